"""The shared base: the notice's data and the named actors of every test."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command

from allocations.models import Prefecture
from core.models import Role, User


@pytest.fixture(autouse=True)
def _empty_cache():
    # The dashboard caches its charts under the data version (the highest ids);
    # a rolled-back test leaves ids free to be reused, so no test may inherit
    # another's cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reference_data(db):
    call_command("load_reference_data", verbosity=0)


def _make_user(username, role, prefecture_name=None, **extra):
    prefecture = Prefecture.objects.get(name=prefecture_name) if prefecture_name else None
    user = User.objects.create_user(username=username, password="x-test-only-9", prefecture=prefecture, **extra)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def officer_urumqi(reference_data):
    return _make_user("officer_urumqi", Role.FINANCE_OFFICER, "乌鲁木齐市")


@pytest.fixture
def officer_kashgar(reference_data):
    return _make_user("officer_kashgar", Role.FINANCE_OFFICER, "喀什地区")


@pytest.fixture
def hr_reviewer(reference_data):
    return _make_user("hr_reviewer", Role.HR_REVIEWER, is_staff=True)


@pytest.fixture
def auditor(reference_data):
    return _make_user("auditor", Role.AUDITOR, is_staff=True)


@pytest.fixture
def region_admin(reference_data):
    return _make_user("region_admin", Role.REGION_ADMIN, is_staff=True)


@pytest.fixture
def notice_document(reference_data):
    from allocations.models import AllocationDocument

    return AllocationDocument.objects.get(number="新财社〔2023〕74号")


@pytest.fixture
def sample_workbook_path():
    from django.conf import settings

    return settings.BASE_DIR / "fixtures" / "samples" / "allocation_2023_batch2.xlsx"


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login

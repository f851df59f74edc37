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


NOTICE = "新财社〔2023〕74号"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The notice's data, loaded once for the session: each test runs in a
    # transaction that is rolled back, so every test starts from this state.
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def empty_database(db):
    """The domain tables emptied, for the few tests about a database without the notice's data.

    Inside the test's transaction, so the rollback brings the session's data back
    (TRUNCATE is transactional on PostgreSQL; SQLite's flush is plain DELETEs).
    """
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    tables = [
        model._meta.db_table
        for label in ("allocations", "targets", "feedback")
        for model in apps.get_app_config(label).get_models()
    ] + [apps.get_model("core", "User")._meta.db_table]
    with connection.constraint_checks_disabled():
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, allow_cascade=True))


@pytest.fixture
def reference_data(db):
    # A transactional test (the browser tests, the race tests) ends with a
    # flush that empties the database: load the notice again after one.
    from allocations.models import AllocationDocument

    if not AllocationDocument.objects.filter(number=NOTICE).exists():
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


@pytest.fixture
def drafted_tables(reference_data):
    """The notice's target tables as a hand import leaves them: drafts.

    load_reference_data issues them with the notice (targets.reference); the
    review workflow's tests start where an imported table starts.
    """
    from targets.models import TableStatus, TargetTable

    TargetTable.objects.filter(document__number=NOTICE).update(status=TableStatus.DRAFT)
    TargetTable.history.filter(document__number=NOTICE).update(status=TableStatus.DRAFT, history_change_reason=None)

"""Two people on the same report: the save made from the older page is refused, nothing is overwritten."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from allocations.models import Prefecture
from core.models import Role, User
from feedback import workflow
from feedback.models import ReportStatus
from feedback.workflow import STALE_MESSAGE
from tests.allocations.pages import page, visible_text
from tests.feedback.test_report_pages import detail_url, post_data, snapshot


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def july(urumqi, notice_document):
    return workflow.open_report(urumqi, date(2023, 7, 1))


@pytest.fixture
def colleague(officer_urumqi):
    user = User.objects.create_user(
        username="colleague_urumqi", password="x-test-only-9", prefecture=officer_urumqi.prefecture
    )
    user.groups.add(Group.objects.get(name=Role.FINANCE_OFFICER))
    return user


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_refuses_the_second_of_two_saves_from_the_same_version(officer_urumqi, colleague, july):
    first, second = _client(officer_urumqi), _client(colleague)
    # Both open the page at the same version.
    seen = post_data(july)["version"]

    assert first.post(detail_url(july), post_data(july, spent="5000", version=seen)).status_code == 302
    after_first = snapshot(july)

    response = second.post(detail_url(july), post_data(july, spent="6000", reason="我的修改", version=seen))

    assert response.status_code == 200
    assert STALE_MESSAGE in visible_text(page(response))
    assert snapshot(july) == after_first
    assert july.lines.get().spent == Decimal("5000")
    # The refused page keeps the stale version, so saving it again is refused again: reload first.
    assert f'name="version" value="{seen}"' in page(response)


def test_it_refuses_a_stale_submission(officer_urumqi, colleague, july):
    first, second = _client(officer_urumqi), _client(colleague)
    seen = post_data(july)["version"]
    first.post(detail_url(july), post_data(july, spent="5000", version=seen))
    after_first = snapshot(july)

    response = second.post(
        detail_url(july), post_data(july, "submit", spent="8294", uses=["internship"], version=seen)
    )

    assert STALE_MESSAGE in visible_text(page(response))
    assert snapshot(july) == after_first
    assert after_first[0] == ReportStatus.DRAFT


def test_it_accepts_the_save_after_a_reload(officer_urumqi, colleague, july):
    first, second = _client(officer_urumqi), _client(colleague)
    seen = post_data(july)["version"]
    first.post(detail_url(july), post_data(july, spent="5000", version=seen))

    july.refresh_from_db()
    response = second.post(detail_url(july), post_data(july, spent="6000"))

    assert response.status_code == 302
    assert july.lines.get().spent == Decimal("6000")

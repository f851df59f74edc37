"""core.steps through the targets review endpoints, which are built on it."""

import pytest
from django.urls import reverse

from core.steps import status_history
from targets import review
from targets.models import TableStatus, TargetTable
from tests.allocations.pages import page, visible_text
from tests.targets.review_helpers import table_of

pytestmark = pytest.mark.usefixtures("drafted_tables")


@pytest.fixture
def urumqi(reference_data):
    return table_of("乌鲁木齐市")


def _url(name, table):
    return reverse(f"targets:{name}", args=[table.pk])


def _status(table):
    return TargetTable.objects.get(pk=table.pk).status


def test_it_runs_the_step_and_says_so_then_goes_back(urumqi, region_admin, client_for):
    response = client_for(region_admin).post(_url("review_submit", urumqi), {"version": urumqi.version}, follow=True)

    assert response.redirect_chain == [(_url("review", urumqi), 302)]
    assert "乌鲁木齐市绩效目标表已提交审核。" in visible_text(page(response))
    assert _status(urumqi) == TableStatus.SUBMITTED


def test_it_shows_the_forms_problems_as_messages_without_running_the_step(urumqi, region_admin, client_for):
    response = client_for(region_admin).post(_url("review_submit", urumqi), {}, follow=True)

    assert response.redirect_chain == [(_url("review", urumqi), 302)]
    assert "页面已过期，请刷新后重试。" in visible_text(page(response))
    assert _status(urumqi) == TableStatus.DRAFT


def test_it_shows_the_steps_refusal_as_a_message(urumqi, hr_reviewer, client_for):
    response = client_for(hr_reviewer).post(_url("review_approve", urumqi), {"version": urumqi.version}, follow=True)

    assert response.redirect_chain == [(_url("review", urumqi), 302)]
    assert "该表当前状态为“草稿”，不能审核通过" in visible_text(page(response))
    assert _status(urumqi) == TableStatus.DRAFT


def test_it_forbids_a_user_without_the_role(urumqi, auditor, client_for):
    response = client_for(auditor).post(_url("review_submit", urumqi), {"version": urumqi.version})

    assert response.status_code == 403
    assert _status(urumqi) == TableStatus.DRAFT


def test_it_does_not_find_what_lies_outside_the_users_scope(urumqi, officer_kashgar, client_for):
    response = client_for(officer_kashgar).post(_url("review_submit", urumqi), {"version": urumqi.version})

    assert response.status_code == 404


def test_it_takes_only_posts(urumqi, region_admin, client_for):
    response = client_for(region_admin).get(_url("review_submit", urumqi))

    assert response.status_code == 405


def test_it_lists_creation_status_changes_and_reasons_only(urumqi, region_admin, hr_reviewer):
    review.submit(urumqi, region_admin)
    review.return_table(urumqi, hr_reviewer, "请补充")
    review.submit(urumqi, region_admin)

    rows = status_history(urumqi, TableStatus, lambda record: {"version": record.version})

    steps = [(row["from"], row["to"], row["reason"]) for row in rows]
    assert steps[1:] == [("草稿", "已提交", ""), ("已提交", "已退回", "请补充"), ("已退回", "已提交", "")]
    assert steps[0][0] == ""
    assert [row["who"] for row in rows[1:]] == [region_admin, hr_reviewer, region_admin]
    assert rows[-1]["version"] == TargetTable.objects.get(pk=urumqi.pk).version

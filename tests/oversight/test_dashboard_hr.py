"""The HR reviewer's board: tables awaiting review, roll-up problems, targets not met."""

import pytest
from django.urls import reverse

from targets.models import Actual, TableStatus, TargetTable, Verdict
from tests.oversight.dashboard_helpers import demo_activity, slugs  # noqa: F401 (demo_activity is a fixture)

pytestmark = pytest.mark.django_db


def test_it_lists_the_tables_awaiting_review(hr_reviewer, region_admin, client_for, demo_activity):
    waiting = list(TargetTable.objects.filter(status=TableStatus.SUBMITTED))
    response = client_for(hr_reviewer).get("/")

    assert response.status_code == 200
    assert {table.pk for table in response.context["awaiting"]} == {table.pk for table in waiting}
    html = response.content.decode()
    for table in waiting:
        assert reverse("targets:review", args=[table.pk]) in html


def test_it_lists_targets_not_met_at_the_last_checkpoint(hr_reviewer, region_admin, client_for, demo_activity):
    not_met = Actual.objects.filter(verdict=Verdict.NOT_MET, checkpoint="06")
    response = client_for(hr_reviewer).get("/")

    assert len(response.context["not_met"]) == not_met.count() > 0
    first = response.context["not_met"][0]
    assert first.raw_value in response.content.decode()
    assert "6月（年中）" in response.content.decode()
    assert slugs(response) == ["attainment"]


def test_it_reports_roll_up_problems_of_the_notice(hr_reviewer, client_for):
    from targets.rollup import rollup

    response = client_for(hr_reviewer).get("/")
    found = response.context["rollup"]
    expected = rollup(response.context["document"])
    assert len(found["shortfalls"]) == sum(1 for line in expected.lines if line.verdict == "shortfall")
    assert found["without_table"] == expected.without_table


def test_it_has_no_tables_awaiting_review_before_anything_is_submitted(hr_reviewer, client_for):
    response = client_for(hr_reviewer).get("/")
    assert response.context["awaiting"] == []
    assert "没有待审核的表。" in response.content.decode()


def test_it_keeps_the_hr_reviewer_query_count_fixed(hr_reviewer, region_admin, client_for, django_assert_num_queries, demo_activity):
    client = client_for(hr_reviewer)
    # session, user, the user's groups (role checks), the current regional document,
    # the tables awaiting review, the roll-up's prefectures (has a table?) and targets,
    # the last checkpoint, the targets not met there,
    # prefectures with their allocation, the attainment counts by prefecture,
    # the data version the charts are cached under (oversight.dashboard.cache).
    with django_assert_num_queries(12):
        assert client.get("/").status_code == 200

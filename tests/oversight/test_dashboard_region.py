"""The auditor's and region admin's board: allocation, spend, completeness, attainment, recent changes."""

from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from allocations.models import Prefecture
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from targets.models import Actual, Verdict
from tests.oversight.dashboard_helpers import allocated_by_prefecture, block, demo_activity, grouped, slugs  # noqa: F401 (demo_activity is a fixture)

pytestmark = pytest.mark.django_db


def test_it_shows_the_notice_allocation_by_prefecture_to_the_auditor(auditor, client_for):
    response = client_for(auditor).get("/")

    assert response.status_code == 200
    table = block(response, "allocation")["table"]
    expected = allocated_by_prefecture()
    assert {name: amount for name, amount in table.rows} == expected
    assert table.total[1] == sum(expected.values())
    # The notice's own figures, written the notice's way with separators.
    assert expected["喀什地区"] == Decimal("13342") and expected["乌鲁木齐市"] == Decimal("8294")
    assert sum(expected.values()) == Decimal("72988")
    html = response.content.decode()
    for figure in (grouped(expected["喀什地区"]), grouped(expected["乌鲁木齐市"]), grouped(sum(expected.values()))):
        assert f">{figure}<" in html
    assert ">13,342.00<" in html and ">72,988.00<" in html


def test_it_gives_auditor_and_region_admin_the_four_charts(auditor, region_admin, client_for):
    for user in (auditor, region_admin):
        response = client_for(user).get("/")
        assert slugs(response) == ["allocation", "attainment", "spend-progress", "completeness"]
        html = response.content.decode()
        assert html.count("<caption>") >= 4
        assert "导出 CSV" in html and "导出 XLSX" in html
        assert "css/charts.css" in html


def test_it_draws_the_regional_spend_curve_from_the_reported_figures(auditor, region_admin, client_for, demo_activity):
    response = client_for(auditor).get("/")

    table = block(response, "spend-progress")["table"]
    schedule, region, partial, coverage = table.rows[0], table.rows[1], table.rows[2], table.rows[3]
    assert schedule[0] == "时间进度" and schedule[12] == Decimal("100.00")
    reported = (
        FeedbackLine.objects.filter(report__status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
        .values("report__month")
        .annotate(amount=Sum("amount"), spent=Sum("spent"), prefectures=Count("report__prefecture", distinct=True))
    )
    assert reported
    for row in reported:
        expected = (row["spent"] / row["amount"] * 100).quantize(Decimal("0.01"))
        index = row["report__month"].month
        # All 14 in: the region's figure; fewer: only the partial row has it.
        if row["prefectures"] == 14:
            assert (region[index], partial[index]) == (expected, None)
        else:
            assert (region[index], partial[index]) == (None, expected)
        assert coverage[index] == f"{row['prefectures']}/14"
    assert f"{region[reported[0]['report__month'].month]:.2f}%" in response.content.decode()


def test_it_colours_the_completeness_grid_by_report_state(auditor, region_admin, client_for, demo_activity):
    response = client_for(auditor).get("/")

    table = block(response, "completeness")["table"]
    returned = FeedbackReport.objects.get(status=ReportStatus.RETURNED)
    row = next(r for r, name in zip(table.statuses, (t[0] for t in table.rows)) if name == returned.prefecture.name)
    assert row[returned.month.month - 1] == "returned"
    assert "已退回" in response.content.decode()


def test_it_shows_target_attainment_at_the_last_checkpoint(auditor, region_admin, client_for, demo_activity):
    response = client_for(auditor).get("/")

    table = block(response, "attainment")["table"]
    counts = (
        Actual.objects.filter(target__table__prefecture__name="喀什地区")
        .aggregate(met=Count("pk", filter=Q(verdict=Verdict.MET)), not_met=Count("pk", filter=Q(verdict=Verdict.NOT_MET)))
    )
    row = next(r for r in table.rows if r[0] == "喀什地区")
    assert (row[1], row[2]) == (counts["met"], counts["not_met"])
    assert row[4] == (Decimal(counts["met"]) / (counts["met"] + counts["not_met"]) * 100).quantize(Decimal("0.01"))


def test_it_lists_recent_changes_and_reports_awaiting_review_for_the_region_admin(region_admin, client_for, demo_activity):
    response = client_for(region_admin).get("/")

    assert len(response.context["recent_changes"]) == 8
    assert response.context["reports_awaiting"] == FeedbackReport.objects.filter(status=ReportStatus.SUBMITTED).count() > 0
    assert "最近变更" in response.content.decode()


def _latest_changes_all_of_one_model():
    # What the change log costs depends on the models on its page: make the
    # newest eight changes eight saves of one prefecture.
    prefecture = Prefecture.objects.get(name="喀什地区")
    for _ in range(8):
        prefecture.save()


def test_it_keeps_the_auditor_query_count_fixed(auditor, region_admin, client_for, django_assert_num_queries, demo_activity):
    _latest_changes_all_of_one_model()
    client = client_for(auditor)
    # session, user, the user's groups (role checks),
    # the current regional document,
    # the latest changes (one UNION ALL), their prefecture history rows and the previous versions,
    # prefectures with their allocation (one subquery), the spend sums by prefecture-month,
    # the shares running to their fund's end, the settled or spent-out ones (feedback.obligations: the grid and
    # the curve's coverage),
    # the prefectures and the year's reports (completeness grid),
    # the last checkpoint, the attainment counts by prefecture.
    # And the data version the charts are cached under (oversight.dashboard.cache).
    with django_assert_num_queries(16):
        assert client.get("/").status_code == 200


def test_it_keeps_the_region_admin_query_count_fixed(region_admin, client_for, django_assert_num_queries, demo_activity):
    _latest_changes_all_of_one_model()
    client = client_for(region_admin)
    # The auditor's sixteen, and the count of feedback reports awaiting review.
    with django_assert_num_queries(17):
        assert client.get("/").status_code == 200

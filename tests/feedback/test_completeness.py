"""The completeness rules: each cell's state, the grid, and the overdue list, for a given today."""

from datetime import date, datetime
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core import clock
from allocations.models import Prefecture
from feedback.completeness import (
    ACCEPTED,
    DRAFT,
    MISSING,
    NOT_DUE,
    NOT_REQUIRED,
    RETURNED,
    SUBMITTED_LATE,
    SUBMITTED_ON_TIME,
    cell_status,
    grid,
    overdue,
)
from feedback.models import FeedbackReport, ReportStatus

JULY = date(2023, 7, 1)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _report(status=ReportStatus.DRAFT, on_time=None, due=date(2023, 7, 31)):
    return FeedbackReport(month=JULY, due_date=due, status=status, on_time=on_time, return_reason="x")


@pytest.mark.parametrize(
    "report, today, expected",
    [
        (None, date(2023, 7, 15), NOT_DUE),
        (None, date(2023, 7, 31), NOT_DUE),  # the due date itself is still in time
        (None, date(2023, 8, 1), MISSING),
        (_report(), date(2023, 7, 20), NOT_DUE),
        (_report(), date(2023, 8, 1), DRAFT),
        (_report(ReportStatus.SUBMITTED, on_time=True), date(2023, 9, 1), SUBMITTED_ON_TIME),
        (_report(ReportStatus.SUBMITTED, on_time=False), date(2023, 9, 1), SUBMITTED_LATE),
        (_report(ReportStatus.RETURNED), date(2023, 7, 20), RETURNED),
        (_report(ReportStatus.RETURNED), date(2023, 9, 1), RETURNED),
        (_report(ReportStatus.ACCEPTED, on_time=False), date(2023, 9, 1), ACCEPTED),
    ],
)
def test_it_gives_each_cell_its_state(report, today, expected):
    assert cell_status(report, JULY, today) == expected


def test_it_uses_the_due_date_fixed_on_the_report(settings):
    # The report was opened under a "5th of next month" rule: it is not late on 3 August.
    assert cell_status(_report(due=date(2023, 8, 5)), JULY, date(2023, 8, 3)) == NOT_DUE
    settings.FEEDBACK_DUE_RULE = "next_month:5"
    assert cell_status(None, JULY, date(2023, 8, 3)) == NOT_DUE
    assert cell_status(None, JULY, date(2023, 8, 6)) == MISSING


def test_it_asks_nothing_of_a_prefecture_that_had_received_nothing():
    assert cell_status(None, JULY, date(2023, 9, 1), received=False) == NOT_REQUIRED
    assert cell_status(_report(), JULY, date(2023, 9, 1), received=False) == NOT_REQUIRED
    # Whatever was submitted still shows as submitted.
    assert cell_status(_report(ReportStatus.SUBMITTED, on_time=True), JULY, date(2023, 9, 1), received=False) == (
        SUBMITTED_ON_TIME
    )


def _submit(report, at, by):
    from feedback import workflow

    line = report.lines.get()
    line.spent = line.amount
    line.uses = ["vocational_training"]
    line.save()
    return workflow.submit(report, by, at=at)


@pytest.fixture
def urumqi(reference_data):
    return Prefecture.objects.get(name="乌鲁木齐市")


@pytest.fixture
def kashgar(reference_data):
    return Prefecture.objects.get(name="喀什地区")


def test_it_builds_the_year_grid_in_four_queries(urumqi, kashgar, officer_urumqi, django_assert_num_queries):
    from feedback.workflow import open_report

    _submit(open_report(urumqi, JULY), datetime(2023, 7, 30, 10, tzinfo=SHANGHAI), officer_urumqi)
    _submit(open_report(urumqi, date(2023, 8, 1)), datetime(2023, 9, 2, 10, tzinfo=SHANGHAI), officer_urumqi)
    open_report(kashgar, JULY)

    # The shares running to their fund's end, grouped, and the settled or spent-out ones (feedback.obligations);
    # the prefectures; the year's reports.
    with django_assert_num_queries(4):
        rows = grid(2023, date(2023, 9, 15))

    assert len(rows) == 14
    by_name = {prefecture.name: [cell.status for cell in cells] for prefecture, cells in rows}
    # The notice (发文 2023-06-05) is the first fund: nothing to report before June.
    assert by_name["乌鲁木齐市"] == (
        [NOT_REQUIRED] * 5 + [MISSING, SUBMITTED_ON_TIME, SUBMITTED_LATE, NOT_DUE] + [NOT_DUE] * 3
    )
    assert by_name["喀什地区"][5:9] == [MISSING, DRAFT, MISSING, NOT_DUE]
    assert rows[0][1][6].report.status == ReportStatus.SUBMITTED


def test_it_limits_the_grid_to_the_given_prefectures(urumqi):
    rows = grid(2023, date(2023, 9, 15), Prefecture.objects.filter(pk=urumqi.pk))
    assert [prefecture.name for prefecture, _ in rows] == ["乌鲁木齐市"]


def test_it_lists_what_is_overdue_with_the_days_overdue(
    urumqi, kashgar, officer_urumqi, region_admin, django_assert_num_queries
):
    from feedback import workflow

    _submit(workflow.open_report(urumqi, date(2023, 6, 1)), datetime(2023, 6, 20, tzinfo=SHANGHAI), officer_urumqi)
    draft = workflow.open_report(urumqi, JULY)
    august = workflow.open_report(urumqi, date(2023, 8, 1))
    returned = _submit(august, datetime(2023, 8, 20, tzinfo=SHANGHAI), officer_urumqi)
    workflow.return_report(returned, region_admin, "数字有误")

    # The shares running to their fund's end, grouped, and the settled or spent-out ones (feedback.obligations);
    # the prefectures; their reports in the owed months.
    with django_assert_num_queries(4):
        found = overdue(date(2023, 9, 10), Prefecture.objects.filter(pk__in=[urumqi.pk, kashgar.pk]))

    summary = [(item.prefecture.name, f"{item.month:%Y-%m}", item.status, item.days_overdue) for item in found]
    # Most recent first, the prefectures in their order within a month.
    assert summary == [
        ("乌鲁木齐市", "2023-08", RETURNED, 10),
        ("喀什地区", "2023-08", MISSING, 10),
        ("乌鲁木齐市", "2023-07", DRAFT, 41),
        ("喀什地区", "2023-07", MISSING, 41),
        ("喀什地区", "2023-06", MISSING, 72),
    ]
    assert found[2].report == draft
    assert found[2].due_date == date(2023, 7, 31)


def test_it_does_not_list_a_month_on_its_due_date(urumqi):
    found = overdue(date(2023, 6, 30), Prefecture.objects.filter(pk=urumqi.pk))
    assert found == []
    found = overdue(date(2023, 7, 1), Prefecture.objects.filter(pk=urumqi.pk))
    assert [(f"{item.month:%Y-%m}", item.days_overdue) for item in found] == [("2023-06", 1)]


def test_it_lists_nothing_for_prefectures_that_received_nothing(reference_data):
    empty = Prefecture.objects.create(name="测试地区", position=99)
    assert overdue(date(2024, 1, 1), Prefecture.objects.filter(pk=empty.pk)) == []
    assert [cell.status for cell in grid(2023, date(2024, 1, 1), Prefecture.objects.filter(pk=empty.pk))[0][1]] == [
        NOT_REQUIRED
    ] * 12


def test_it_reads_today_in_the_bureau_time_zone(monkeypatch):
    # 17:00 UTC on 31 July is already 1 August in Urumqi's offices (Beijing time).
    monkeypatch.setattr(timezone, "now", lambda: datetime(2023, 7, 31, 17, 0, tzinfo=dt_timezone.utc))
    assert clock.today() == date(2023, 8, 1)

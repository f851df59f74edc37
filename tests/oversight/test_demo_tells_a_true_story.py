"""load_demo_activity covers the notice's own period (2023年6月–12月): the overdue list shows what is really missing."""

from datetime import date

import pytest
from django.urls import reverse

from feedback.models import FeedbackReport, Settlement
from tests.allocations.pages import page, table_rows
from tests.oversight.dashboard_helpers import demo_activity  # noqa: F401 (demo_activity is a fixture)

pytestmark = pytest.mark.django_db


def test_it_fills_in_the_notices_own_months(demo_activity):
    months = sorted(set(FeedbackReport.objects.values_list("month", flat=True)))
    assert months == [date(2023, number, 1) for number in range(6, 13)]


def test_it_shows_the_most_recent_overdue_reports_on_the_first_page(region_admin, client_for, demo_activity):
    rows = table_rows(page(client_for(region_admin).get(reverse("feedback:overdue"))))

    assert [(row.prefecture, row.cells[1], row.cells[2]) for row in rows] == [
        ("乌鲁木齐市", "2023年12月", "已退回"),
        ("克州", "2023年12月", "未填报"),
        ("和田地区", "2023年12月", "未填报"),
        ("克州", "2023年11月", "未填报"),
    ]


def test_it_settles_at_year_end_what_was_not_spent_out(demo_activity):
    settled = set(Settlement.objects.values_list("prefecture__name", flat=True))
    # Behind the schedule in December, or December not accepted: closed on 31 December with a reason.
    assert {"喀什地区", "和田地区", "克州", "乌鲁木齐市"} <= settled
    # Ahead of the schedule and accepted at 100% in December: spent out, nothing to settle.
    assert "克拉玛依市" not in settled
    assert set(Settlement.objects.values_list("closed_on", flat=True)) == {date(2023, 12, 31)}
    assert all("演示数据" in reason for reason in Settlement.objects.values_list("reason", flat=True))

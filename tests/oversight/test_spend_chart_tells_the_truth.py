"""The boards' spend figures do not mislead: a month counts for the region only when every obliged prefecture has
reported; fund bars carry their time schedule and full names; the officer sees reported figures only; lagging lines
stand out."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from allocations.models import Prefecture
from core import clock
from feedback import workflow
from feedback.models import FeedbackReport, ReportStatus
from feedback.obligations import obligations
from oversight.dashboard import queries
from oversight.dashboard.tables import spend_progress as spend_table
from tests.oversight.dashboard_helpers import block, demo_activity  # noqa: F401 (demo_activity is a fixture)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _submit(prefecture, month, share, by):
    report = workflow.open_report(prefecture, month)
    changes = {
        line.pk: {
            "spent": (line.amount * share).quantize(Decimal("0.01")),
            "uses": ["vocational_training"],
            "reason": "项目尚在实施",
            "measure": "加快拨付",
            "measure_deadline": date(2024, 3, 31),
        }
        for line in report.lines.all()
    }
    workflow.save_lines(report, changes, by, report.version)
    report.refresh_from_db()
    return workflow.submit(report, by, at=datetime(month.year, month.month, 25, tzinfo=SHANGHAI))


def test_it_leaves_a_month_out_of_the_region_line_until_every_obliged_prefecture_reported(officer_urumqi, reference_data):
    urumqi = Prefecture.objects.get(name="乌鲁木齐市")
    _submit(urumqi, date(2023, 12, 1), Decimal("0.6"), officer_urumqi)
    prefectures = list(Prefecture.objects.order_by("position"))

    progress = queries.spend_progress(2023, prefectures, obligations(Prefecture.objects.all()))

    # One prefecture of 14 in December: its 60% is not the region's.
    assert progress.region[11] is None
    assert progress.partial[11] == Decimal("60.00")
    assert (progress.reported[11], progress.obliged[11]) == (1, 14)
    assert progress.coverage_label(11) == "已报 1/14"
    # Before the notice (June 2023) nobody owed anything.
    assert progress.obliged[4] == 0 and progress.partial[4] is None


def test_it_draws_the_incomplete_month_dashed_and_labelled_with_its_count(auditor, client_for, demo_activity):
    response = client_for(auditor).get("/")

    spend = block(response, "spend-progress")
    table = spend["table"]
    svg = str(spend["chart"].svg)
    # The demo: 和田地区 never sent December, 克州 neither November nor December, 乌鲁木齐市's December was returned.
    assert table.rows[1][12] is None and table.rows[1][10] is not None
    assert table.rows[3][12] == "11/14" and table.rows[3][11] == "13/14" and table.rows[3][10] == "14/14"
    partial = re.search(r'<g class="chart-series chart-partial"[^>]*>(.*?)</g>', svg, re.S).group(1)
    assert 'stroke-dasharray="6 4"' in partial
    assert "已报 11/14" in partial and "已报 13/14" in partial
    # The table beside the chart says how many prefectures each month includes.
    html = response.content.decode()
    assert "已报地（州、市）" in html and ">11/14<" in html


def test_it_counts_the_region_month_once_the_last_prefecture_reports(region_admin, reference_data):
    # Every prefecture but one in: partial; the last one in: the region's figure.
    prefectures = list(Prefecture.objects.order_by("position"))
    for prefecture in prefectures[:-1]:
        _submit(prefecture, date(2023, 6, 1), Decimal("0.5"), region_admin)
    owed = obligations(Prefecture.objects.all())
    assert queries.spend_progress(2023, prefectures, owed).region[5] is None

    _submit(prefectures[-1], date(2023, 6, 1), Decimal("0.5"), region_admin)
    progress = queries.spend_progress(2023, prefectures, owed)
    assert progress.region[5] == Decimal("50.00") and progress.partial[5] is None
    assert spend_table(progress, prefectures, "全区").rows[3][6] == "14/14"


def test_it_marks_each_fund_bars_schedule_and_shows_its_full_name(officer_kashgar, client_for, demo_activity):
    response = client_for(officer_kashgar).get("/")

    fund = block(response, "fund-lines")
    svg = str(fund["chart"].svg)
    assert svg.count('class="chart-marker"') == len(fund["table"].rows) > 0
    assert "时间进度" in svg
    name = fund["table"].rows[0][0]
    assert f">{name}（{fund['table'].rows[0][1]}）<" in svg
    assert "…" not in svg


def test_it_shows_the_officer_the_last_reported_figures_never_a_returned_report(officer_urumqi, client_for, demo_activity):
    returned = FeedbackReport.objects.get(prefecture__name="乌鲁木齐市", status=ReportStatus.RETURNED)
    assert returned.month == date(2023, 12, 1)

    table = block(client_for(officer_urumqi).get("/"), "fund-lines")["table"]

    assert "2023年11月" in table.caption
    shown = FeedbackReport.objects.get(prefecture__name="乌鲁木齐市", month=date(2023, 11, 1))
    assert shown.status == ReportStatus.ACCEPTED
    assert [row[3] for row in table.rows] == [line.spent for line in shown.lines.order_by("position")]


def test_it_highlights_lagging_lines_on_the_boards(officer_kashgar, auditor, client_for, demo_activity):
    # 喀什地区 runs 3 points behind the schedule (the demo's offsets).
    response = client_for(officer_kashgar).get("/")
    fund = block(response, "fund-lines")
    assert {row[6] for row in fund["table"].rows} == {"滞后"}
    assert (0, 4) in fund["table"].flagged
    assert "chart-bar chart-highlight" in str(fund["chart"].svg)
    assert 'dash-lagging">' in response.content.decode()

    # The region's table flags each prefecture month behind the schedule.
    region = block(client_for(auditor).get("/"), "spend-progress")["table"]
    kashgar = next(index for index, row in enumerate(region.rows) if row[0] == "喀什地区")
    urumqi = next(index for index, row in enumerate(region.rows) if row[0] == "乌鲁木齐市")
    assert (kashgar, 7) in region.flagged  # July
    assert not any(row == urumqi for row, _column in region.flagged)  # 4 points ahead


def test_it_shows_the_notices_year_once_its_money_has_ended(auditor, client_for, demo_activity, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 5, 10))
    table = block(client_for(auditor).get("/"), "spend-progress")["table"]
    assert table.caption.startswith("2023年")

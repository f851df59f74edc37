"""One dashboard per role on the home page (issue 6): which blocks each role gets.

- 财政业务员: this month's report, the spend progress of each fund line
  against the time schedule, the prefecture's curve and months, returned reports;
- 人社审核员: tables awaiting review, roll-up problems, targets not met at
  the last checkpoint, attainment by prefecture;
- 审计 and 自治区管理员: allocation, spend progress, completeness and
  attainment by prefecture, and the latest changes.

A Board reads each figure once (cached) and is limited to the prefectures
the user may see, so an officer's board and export hold their own
prefecture only.
"""

from functools import cached_property

from django.utils.translation import gettext as _

from allocations.models import Prefecture
from oversight.dashboard import queries, tables
from core.permissions import is_auditor, is_finance_officer, is_hr_reviewer, is_region_admin
from feedback import completeness
from feedback.models import FeedbackReport
from feedback.obligations import obligations
from feedback.schedule import expected_progress
from targets.models import Checkpoint

OFFICER, HR, REGION = "officer", "hr", "region"
# The charts of each board, in page order; the export view offers these and no others.
CHARTS = {
    OFFICER: ("fund-lines", "spend-progress", "completeness"),
    HR: ("attainment",),
    REGION: ("allocation", "attainment", "spend-progress", "completeness"),
}


def board_kind(user):
    if is_region_admin(user) or is_auditor(user):
        return REGION
    if is_hr_reviewer(user):
        return HR
    if is_finance_officer(user):
        return OFFICER
    return None


class Board:
    def __init__(self, user, today):
        self.user = user
        self.kind = board_kind(user)
        self.today = today
        self.month = completeness.first_of_month(today)
        self.scope = Prefecture.objects.visible_to(user)

    @cached_property
    def document(self):
        return queries.current_document()

    @cached_property
    def prefectures(self):
        return queries.prefectures_with_allocation(self.scope, self.document)

    @cached_property
    def prefecture(self):
        # An officer's own prefecture (their scope holds just it), else None.
        if self.kind != OFFICER or len(self.prefectures) != 1:
            return None
        return self.prefectures[0]

    @cached_property
    def owed(self):
        # Which prefecture owes which month (feedback.obligations), read once for the grid and the spend curve.
        return obligations(self.scope, self.month)

    @cached_property
    def year(self):
        """This year, unless the scope owes nothing this year: then the last year it owed reports.

        Once the notice's money has ended (its 2023 funds, used up by the end of 2024) the board shows the last
        year there was something to report, not an empty one.
        """
        years = [year for year in self.owed.years() if year <= self.today.year]
        if not years or self.today.year in years:
            return self.today.year
        return years[-1]

    @cached_property
    def grid(self):
        return completeness.grid(self.year, self.today, self.scope, self.owed)

    @cached_property
    def checkpoint(self):
        return queries.last_checkpoint(self.document) if self.document else None

    @property
    def checkpoint_label(self):
        return _(Checkpoint(self.checkpoint).label) if self.checkpoint else _("尚无监控数据")

    @cached_property
    def fund_lines(self):
        return queries.latest_fund_lines(self.prefecture) if self.prefecture else []

    # -- the charts' tables ------------------------------------------------

    def table(self, slug):
        if slug not in CHARTS.get(self.kind, ()):
            return None
        return getattr(self, "_" + slug.replace("-", "_"))()

    def _allocation(self):
        return tables.allocation(self.prefectures, self.document)

    def _spend_progress(self):
        progress = queries.spend_progress(self.year, self.prefectures, self.owed)
        label = self.prefecture.name if self.prefecture else _("全区")
        return tables.spend_progress(progress, self.prefectures, label)

    def _completeness(self):
        return tables.completeness_grid(self.grid, self.year)

    def _attainment(self):
        counts = queries.attainment_counts(self.document, self.checkpoint, self.prefectures) if self.document else {}
        return tables.attainment(self.prefectures, counts, self.checkpoint_label)

    def _fund_lines(self):
        lines = self.fund_lines
        # Each line against its own schedule: carried-over money is due in full (feedback.schedule).
        expected = [expected_progress(line.report.month, line.document) for line in lines]
        return tables.fund_lines(lines, expected)

    # -- the rest of each board -------------------------------------------

    def current_cell(self):
        """This month's cell of the officer's own row: its status and report, if any."""
        if not self.grid:
            return None
        if self.year == self.today.year:
            return self.grid[0][1][self.month.month - 1]
        # The board shows an earlier year: this month is read on its own (one query).
        prefecture = self.grid[0][0]
        report = FeedbackReport.objects.filter(prefecture=prefecture, month=self.month).first()
        status = completeness.cell_status(report, self.month, self.today, self.owed.owes(prefecture.pk, self.month))
        return completeness.Cell(prefecture, self.month, status, report)

    def recent_changes(self, limit=8):
        from oversight.changelog import iter_changes, log_sources

        return list(iter_changes(log_sources(), limit))

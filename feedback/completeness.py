"""Who has reported which month: the completeness grid and the overdue list.

A month's cell is decided from its report (or the lack of one), the month's
due date and today, which is always passed in so the rules can be tested
for any day:

- not_due: the due date has not passed and nothing has been submitted (no
  report yet, or a draft still being filled in);
- missing / draft: the due date has passed with no report / with a draft;
- submitted_on_time / submitted_late: submitted, per the report's on_time;
- returned: sent back by the reviewer, whatever the date;
- accepted.

One more state the notice implies: a prefecture that had received no fund by
the month's end has nothing to report on (附件3 lists received funds, and an
empty report cannot be submitted), so its month is not_required rather than
missing. Whether a month is owed is feedback.obligations's: from the 发文日期
of the prefecture's first 小计 in an issued regional document to the end of its
funds (their end date, a settlement 清算, or an accepted report showing them
fully spent).
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext, gettext_noop

from allocations.models import Prefecture
from feedback.models import FeedbackReport, ReportStatus
from feedback.schedule import due_date
from feedback.obligations import obligations

NOT_REQUIRED = "not_required"
NOT_DUE = "not_due"
MISSING = "missing"
DRAFT = "draft"
SUBMITTED_ON_TIME = "submitted_on_time"
SUBMITTED_LATE = "submitted_late"
RETURNED = "returned"
ACCEPTED = "accepted"

# Marked for the catalog and translated where shown (oversight.dashboard does the same).
LABELS = {
    NOT_REQUIRED: gettext_noop("无需填报"),
    NOT_DUE: gettext_noop("未到期"),
    MISSING: gettext_noop("未填报"),
    DRAFT: gettext_noop("草稿未提交"),
    SUBMITTED_ON_TIME: gettext_noop("按时提交"),
    SUBMITTED_LATE: gettext_noop("逾期提交"),
    RETURNED: gettext_noop("已退回"),
    ACCEPTED: gettext_noop("已审核通过"),
}
# Past due and still not in: what the overdue list and the reminders chase.
OVERDUE = (MISSING, DRAFT, RETURNED)
# The legend of the grid and of the dashboard's heat map: from "nothing to do" to "done".
LEGEND = (NOT_REQUIRED, NOT_DUE, MISSING, DRAFT, RETURNED, SUBMITTED_LATE, SUBMITTED_ON_TIME, ACCEPTED)


def first_of_month(day):
    return day.replace(day=1)


def cell_status(report, month, today, received=True):
    """The state of one prefecture-month. report: its FeedbackReport or None."""
    if report is not None and report.status == ReportStatus.ACCEPTED:
        return ACCEPTED
    if report is not None and report.status == ReportStatus.RETURNED:
        return RETURNED
    if report is not None and report.status == ReportStatus.SUBMITTED:
        return SUBMITTED_ON_TIME if report.on_time else SUBMITTED_LATE
    if not received:
        return NOT_REQUIRED
    due = report.due_date if report is not None else due_date(month)
    if today <= due:
        return NOT_DUE
    return MISSING if report is None else DRAFT


def _by_key(reports, prefectures):
    # Each report gets the prefecture already loaded, so showing it costs no query.
    by_pk = {prefecture.pk: prefecture for prefecture in prefectures}
    found = {}
    for report in reports:
        report.prefecture = by_pk[report.prefecture_id]
        found[(report.prefecture_id, report.month)] = report
    return found


@dataclass(frozen=True)
class Cell:
    prefecture: Prefecture
    month: date
    status: str
    report: FeedbackReport | None

    @property
    def label(self):
        return gettext(LABELS[self.status])


def _ordered(prefectures):
    return list((Prefecture.objects.all() if prefectures is None else prefectures).order_by("position", "name"))


def grid(year, today, prefectures=None, owed=None):
    """[(prefecture, [Cell × 12])] for the year: the prefectures, their obligations, the year's reports.

    owed: the prefectures' obligations.Obligations, when the caller has them already.
    """
    if owed is None:
        owed = obligations(Prefecture.objects.all() if prefectures is None else prefectures, date(year, 12, 1))
    prefectures = _ordered(prefectures)
    reports = FeedbackReport.objects.filter(prefecture__in=[p.pk for p in prefectures], month__year=year)
    by_key = _by_key(reports.order_by(), prefectures)
    rows = []
    for prefecture in prefectures:
        cells = []
        for number in range(1, 13):
            month = date(year, number, 1)
            report = by_key.get((prefecture.pk, month))
            status = cell_status(report, month, today, owed.owes(prefecture.pk, month))
            cells.append(Cell(prefecture, month, status, report))
        rows.append((prefecture, cells))
    return rows


# What the overdue list reads of a report: its state, its due date, and its id for the link.
REPORT_FIELDS = ("id", "prefecture_id", "month", "status", "due_date", "on_time")
# In: never overdue, whatever the date.
DONE = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def _report(row, prefecture):
    report = FeedbackReport(**dict(zip(REPORT_FIELDS, row)))
    report._state.adding = False
    report.prefecture = prefecture
    return report


@dataclass(frozen=True)
class Overdue:
    prefecture: Prefecture
    month: date
    status: str
    report: FeedbackReport | None
    due_date: date
    days_overdue: int

    @property
    def label(self):
        return gettext(LABELS[self.status])


def overdue(today, prefectures=None, year=None):
    """Every prefecture-month past its due date and not submitted, most recent first.

    The months a prefecture owes (feedback.obligations: from its first fund
    to each fund's end, settlement or full spend) up to today's month, or
    within the year when one is given. Then by prefecture, in their order.
    """
    scope = Prefecture.objects.all() if prefectures is None else prefectures
    last = first_of_month(today) if year is None else min(first_of_month(today), date(year, 12, 1))
    owed = obligations(scope, last)
    prefectures = [p for p in _ordered(prefectures) if p.pk in owed.spans]
    owed_months = {}
    for prefecture in prefectures:
        first = owed.first_month(prefecture.pk) if year is None else date(year, 1, 1)
        owed_months[prefecture.pk] = owed.months(prefecture.pk, first, last)
    starts = [months[0] for months in owed_months.values() if months]
    if not starts:
        return []
    # Plain rows, not models: 20,000 reports at national scale, of which only the overdue few become reports.
    reports = FeedbackReport.objects.filter(
        prefecture__in=[p.pk for p in prefectures], month__gte=min(starts), month__lte=last
    ).order_by()
    by_key = {(row[1], row[2]): row for row in reports.values_list(*REPORT_FIELDS)}
    found = []
    for prefecture in prefectures:
        for month in owed_months[prefecture.pk]:
            row = by_key.get((prefecture.pk, month))
            if row is not None and row[3] in DONE:
                continue
            report = None if row is None else _report(row, prefecture)
            status = cell_status(report, month, today)
            due = report.due_date if report is not None else due_date(month)
            if status in OVERDUE and due < today:
                found.append(Overdue(prefecture, month, status, report, due, (today - due).days))
    # Most recent first; the prefectures in their order within a month (the list is built in that order).
    found.sort(key=lambda item: item.month, reverse=True)
    return found

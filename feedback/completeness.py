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
missing. "Received" follows obligations.received_subtotals: the prefecture's 小计
in an issued regional document, counted from the document's 发文日期.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Min, OuterRef, Subquery
from django.utils.translation import gettext, gettext_noop

from allocations.models import Prefecture
from feedback.models import FeedbackReport, ReportStatus
from feedback.schedule import due_date
from feedback.obligations import receiving_subtotals

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


def _first_received_by_prefecture(prefectures):
    """The prefectures, each annotated with first_received: the earliest 发文日期
    of a regional document giving it money (None if none yet) — one query."""
    first = (
        receiving_subtotals()
        .filter(prefecture=OuterRef("pk"))
        .order_by()
        .values("prefecture")
        .annotate(first=Min("document__issued_on"))
        .values("first")
    )
    return list(prefectures.annotate(first_received=Subquery(first)).order_by("position", "name"))


def _received(prefecture, month):
    # Documents count from their 发文日期 up to the month's end, as open_report does.
    first = prefecture.first_received
    return first is not None and first_of_month(first) <= month


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


def grid(year, today, prefectures=None):
    """[(prefecture, [Cell × 12])] for the year: the prefectures, then the year's reports."""
    prefectures = _first_received_by_prefecture(Prefecture.objects.all() if prefectures is None else prefectures)
    reports = FeedbackReport.objects.filter(prefecture__in=[p.pk for p in prefectures], month__year=year)
    by_key = _by_key(reports.order_by(), prefectures)
    rows = []
    for prefecture in prefectures:
        cells = []
        for number in range(1, 13):
            month = date(year, number, 1)
            report = by_key.get((prefecture.pk, month))
            status = cell_status(report, month, today, _received(prefecture, month))
            cells.append(Cell(prefecture, month, status, report))
        rows.append((prefecture, cells))
    return rows


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


def _months(start, end):
    month = first_of_month(start)
    while month <= end:
        yield month
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def overdue(today, prefectures=None):
    """Every prefecture-month past its due date and not submitted, most overdue first.

    Months are counted from the first month the prefecture received a fund
    (before that there is nothing to report on) up to today's month.
    """
    prefectures = _first_received_by_prefecture(Prefecture.objects.all() if prefectures is None else prefectures)
    starts = [p.first_received for p in prefectures if p.first_received is not None]
    if not starts:
        return []
    reports = FeedbackReport.objects.filter(
        prefecture__in=[p.pk for p in prefectures], month__gte=first_of_month(min(starts)), month__lte=today
    ).order_by()
    by_key = _by_key(reports, prefectures)
    found = []
    for prefecture in prefectures:
        if prefecture.first_received is None:
            continue
        for month in _months(prefecture.first_received, today):
            report = by_key.get((prefecture.pk, month))
            status = cell_status(report, month, today)
            due = report.due_date if report is not None else due_date(month)
            if status in OVERDUE and due < today:
                found.append(Overdue(prefecture, month, status, report, due, (today - due).days))
    found.sort(key=lambda item: (-item.days_overdue, item.prefecture.position, item.prefecture.name))
    return found

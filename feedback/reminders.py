"""Who is due a reminder, and whose report is overdue, on a given day.

Everything takes `today` as a parameter, so the rule is tested by passing
dates rather than by freezing the clock. A prefecture owes a month's report
while feedback.obligations says it does: from the month it received money
until its funds end, are settled (清算) or are spent in full; a month it owes
nothing has no report to chase. Submitted and accepted reports are done; a returned
report is back with the officer and is chased like a missing one.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Min

from allocations.models import Prefecture
from core.models import Role, User
from feedback.models import FeedbackReport, ReportStatus
from feedback.schedule import due_date
from feedback.obligations import obligations, receiving_subtotals

DONE = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
MISSING_LABEL = "未填报"
# How far back the overdue list looks.
OVERDUE_MONTHS = 12


@dataclass
class Outstanding:
    prefecture: Prefecture
    month: date
    due_date: date
    report: FeedbackReport | None
    officers: list = field(default_factory=list)

    @property
    def status_label(self):
        return MISSING_LABEL if self.report is None else self.report.get_status_display()

    def days_left(self, today):
        return (self.due_date - today).days

    @property
    def recipients(self):
        return [officer for officer in self.officers if officer.email]

    @property
    def without_email(self):
        return [officer for officer in self.officers if not officer.email]


def month_of(day):
    return day.replace(day=1)


def previous_month(month):
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def first_received():
    """{prefecture id: the issue date of the first money it received}.

    The same documents as obligations.receiving_subtotals: issued regional
    documents with a positive 小计 for the prefecture.
    """
    rows = (
        receiving_subtotals()
        .values("prefecture")
        .annotate(first=Min("document__issued_on"))
        .values_list("prefecture", "first")
    )
    return dict(rows)


def officers_by_prefecture():
    officers = {}
    users = User.objects.filter(groups__name=Role.FINANCE_OFFICER, prefecture__isnull=False, is_active=True)
    for user in users.order_by("username"):
        officers.setdefault(user.prefecture_id, []).append(user)
    return officers


def outstanding(months):
    """Every (prefecture, month) among months that owes a report not yet submitted (feedback.obligations)."""
    prefectures = list(Prefecture.objects.order_by("position", "name"))
    owed = obligations(Prefecture.objects.all(), max(months))
    reports = {(r.prefecture_id, r.month): r for r in FeedbackReport.objects.filter(month__in=months)}
    officers = officers_by_prefecture()
    found = []
    for month in sorted(months):
        for prefecture in prefectures:
            if not owed.owes(prefecture.pk, month):
                continue
            report = reports.get((prefecture.pk, month))
            if report is not None and report.status in DONE:
                continue
            found.append(
                Outstanding(
                    prefecture=prefecture,
                    month=month,
                    # A stored report keeps the due date it was opened with.
                    due_date=report.due_date if report is not None else due_date(month),
                    report=report,
                    officers=officers.get(prefecture.pk, []),
                )
            )
    return found


def due_reminders(today, days_before):
    """Outstanding reports due between today and days_before days from now.

    The previous month is looked at too: with a "next_month:N" due rule, last
    month's report falls due early in this one.
    """
    current = month_of(today)
    candidates = outstanding([previous_month(current), current])
    return [item for item in candidates if 0 <= item.days_left(today) <= days_before]


def overdue(today, months_back=OVERDUE_MONTHS):
    """Outstanding reports whose due date has passed, oldest first."""
    months = [month_of(today)]
    while len(months) < months_back:
        months.append(previous_month(months[-1]))
    return [item for item in outstanding(months) if item.days_left(today) < 0]

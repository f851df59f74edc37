"""结转资金: what each prefecture still holds of earlier years' money, and what is due for recovery.

A row is a prefecture's share (小计) of an issued regional document of a year
before today's: the share, the cumulative spend of the latest accepted
monthly report that lists the document, and the balance carried over (share −
spend; the whole share when no accepted report has a figure). Only accepted
figures count: a draft or a submitted report may still change.

Money left unspent two years after its document's issue (issued_on + 2
years ≤ today) is flagged 应收回, for the region to take back (收回). While
it is carried over, its time schedule is 100% (feedback.schedule).

The statuses are worked out in SQL, so the listing sorts, filters, pages
and exports them like any column, in one query whatever the number of rows.
"""

from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from feedback.models import FeedbackLine, ReportStatus
from feedback.obligations import receiving_subtotals

RECOVERY_YEARS = 2
ZERO = Decimal("0")


class CarryoverStatus(models.TextChoices):
    SPENT = "spent", gettext_lazy("已全部支出")
    CARRIED = "carried", gettext_lazy("结转使用中")
    RECOVERY = "recovery", gettext_lazy("应收回")


def years_later(day, years=RECOVERY_YEARS):
    """The same day some years on; 29 February moves to 1 March, when the full years have passed."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def recovery_cutoff(today):
    """The latest issue date whose unspent money is due for recovery today (issued_on + 2 years ≤ today)."""
    try:
        return today.replace(year=today.year - RECOVERY_YEARS)
    except ValueError:
        # Today is 29 February: a document of 29 February two years back is due on 1 March.
        return date(today.year - RECOVERY_YEARS, 2, 28)


def _last_accepted(field):
    """The latest accepted report's figure for the row's prefecture and document."""
    lines = FeedbackLine.objects.filter(
        report__prefecture=OuterRef("prefecture"),
        document=OuterRef("document"),
        report__status=ReportStatus.ACCEPTED,
        spent__isnull=False,
    ).order_by("-report__month")
    return Subquery(lines.values(field)[:1])


def balances(prefectures, today):
    """The carried-over shares of the prefectures (a Prefecture queryset already limited to the user's).

    Each row: a PrefectureSubtotal with document and prefecture, annotated with
    spent (None when no accepted figure), spent_month, balance, recovery_on and status.
    """
    amount = F("declared_amount")
    balance = amount - Coalesce(F("spent"), Value(ZERO), output_field=models.DecimalField())
    return (
        receiving_subtotals()
        .filter(prefecture__in=prefectures, document__year__lt=today.year)
        .select_related("prefecture", "document__fund")
        .annotate(
            spent=_last_accepted("spent"),
            spent_month=_last_accepted("report__month"),
        )
        .annotate(
            balance=balance,
            status=Case(
                When(Q(spent__gte=amount), then=Value(CarryoverStatus.SPENT.value)),
                When(Q(document__issued_on__lte=recovery_cutoff(today)), then=Value(CarryoverStatus.RECOVERY.value)),
                default=Value(CarryoverStatus.CARRIED.value),
                output_field=models.CharField(),
            ),
        )
        .order_by("prefecture__position", "prefecture__name", "document__issued_on", "document__number")
    )

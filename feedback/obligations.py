"""Which funds oblige a prefecture to report in a month.

One rule behind the pre-filled lines of a report, the completeness grid, the
overdue list, the reminders and the dashboards.
"""

from allocations.models import DocumentStatus, PrefectureSubtotal
from feedback.schedule import month_end


def receiving_subtotals():
    """The 小计 that oblige a prefecture to report: a positive share of an
    issued regional document. The one rule behind the pre-filled lines, the
    completeness grid and the reminders."""
    return PrefectureSubtotal.objects.filter(
        declared_amount__gt=0,
        document__parent__isnull=True,
        document__status=DocumentStatus.ISSUED,
        document__issued_on__isnull=False,
    )


def received_subtotals(prefecture, month):
    """The prefecture's 小计 in every issued regional document up to the month's end."""
    return (
        receiving_subtotals()
        .filter(prefecture=prefecture, document__issued_on__lte=month_end(month))
        .select_related("document__fund")
        .order_by("document__issued_on", "document__number")
    )

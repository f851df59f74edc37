"""When a monthly report is due, and how far spending should have got by then.

Both rules are settings, so a bureau can change them without a release:
FEEDBACK_DUE_RULE is "month_end" (the notice: 每月月末之前) or "next_month:N"
(the Nth day of the following month); FEEDBACK_SCHEDULE is "linear" (month/12)
or a mapping of month number to the expected percentage.

The expected progress of a line also depends on its document, and this module
is the one home of that rule (the report page, validation, the 附件3 export,
the dashboards and the national generator all ask here):

- money carried into a year after its document's year (结转资金) should have
  been spent in full: expected 100% from January on;
- a document whose schedule_basis is "from_issue" spreads its own year evenly
  over the months from its issue month to December (issued in June: 1/7 by
  the end of June, 7/7 by December);
- any other document follows FEEDBACK_SCHEDULE, as every document did before.

A document here is anything with year, issued_on and (optionally)
schedule_basis: the national generator passes its plan's documents.
"""

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def month_end(month):
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def next_month(month):
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def due_date(month):
    rule = getattr(settings, "FEEDBACK_DUE_RULE", "month_end")
    if rule == "month_end":
        return month_end(month)
    if rule.startswith("next_month:"):
        day = int(rule.split(":", 1)[1])
        following = next_month(month)
        return date(following.year, following.month, min(day, month_end(following).day))
    raise ImproperlyConfigured(f"FEEDBACK_DUE_RULE {rule!r}: use month_end or next_month:N")


HUNDRED = Decimal(100)
CALENDAR = "calendar"
FROM_ISSUE = "from_issue"


def _quantized(share):
    return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def is_carried_over(document, month):
    """True when the month falls in a year after the document's own: its money is 结转资金."""
    return document is not None and month.year > document.year


def _from_issue(document, month):
    issued = document.issued_on
    # Issued before its own year (提前下达), or with no date: the year starts in January as usual.
    first = issued.month if issued is not None and issued.year == document.year else 1
    months = 12 - first + 1
    elapsed = min(max(month.month - first + 1, 0), months)
    return _quantized(Decimal(elapsed) / Decimal(months) * HUNDRED)


def expected_progress(month, document=None):
    """The time schedule: the percentage of the document's money that should be spent by the end of month.

    Without a document, the bureau's calendar schedule (the dashboards' curve).
    """
    if is_carried_over(document, month):
        return _quantized(HUNDRED)
    if document is not None and getattr(document, "schedule_basis", CALENDAR) == FROM_ISSUE:
        return _from_issue(document, month)
    rule = getattr(settings, "FEEDBACK_SCHEDULE", "linear")
    if rule == "linear":
        share = Decimal(month.month) / Decimal(12) * HUNDRED
    else:
        share = Decimal(str(rule[month.month]))
    return _quantized(share)


def behind(progress, schedule):
    """The one lagging rule (结余消化慢): a progress below the time schedule; no progress (nothing allocated) never lags."""
    return progress is not None and progress < schedule


def is_lagging(progress, month, document=None):
    return behind(progress, expected_progress(month, document))

"""When a monthly report is due, and how far spending should have got by then.

Both rules are settings, so a bureau can change them without a release:
FEEDBACK_DUE_RULE is "month_end" (the notice: 每月月末之前) or "next_month:N"
(the Nth day of the following month); FEEDBACK_SCHEDULE is "linear" (month/12)
or a mapping of month number to the expected percentage.
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


def expected_progress(month):
    """The time schedule: the percentage that should be spent by the end of month."""
    rule = getattr(settings, "FEEDBACK_SCHEDULE", "linear")
    if rule == "linear":
        share = Decimal(month.month) / Decimal(12) * Decimal(100)
    else:
        share = Decimal(str(rule[month.month]))
    return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def is_lagging(progress, month):
    return progress is not None and progress < expected_progress(month)

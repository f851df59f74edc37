"""转下达 on time: the overdue list and 资金在规定时间内下达率.

A prefecture passes its 小计 in an issued regional document on within
settings.REALLOCATION_DUE_DAYS days of the document's 发文日期 (issued_on):
due on issued_on + N days, overdue from the day after. A regional document
without a 发文日期 has no deadline and is left out.

What counts as passed on, and when: the lines of the prefecture's issued
(已下达) re-allocations under the document, each on its own 发文日期. A
draft has passed nothing on yet, nor has a re-allocation dated after today.
An issued re-allocation without a date (there can be one only from before
the date was required) counts as passed on but never as on time: nothing
shows when it was.

The share on time (the indicator's actual) is what was passed on by the due
date over the 小计; before the due date, what has been passed on so far.
Every function takes today from core.clock unless given one, so a test that
freezes core.clock.today freezes the list and the indicator alike.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Sum

from allocations.models import AllocationLine, DocumentStatus, PrefectureSubtotal
from allocations.money import ZERO
from core import clock

HUNDRED = Decimal("100")
PERCENT_PLACES = Decimal("0.01")


def due_date(document):
    """The last day on which the document's 小计 may be passed on; None without a 发文日期."""
    if document.issued_on is None:
        return None
    return document.issued_on + timedelta(days=settings.REALLOCATION_DUE_DAYS)


@dataclass
class Timeliness:
    """One prefecture's 小计 in one regional document, and how it has been passed on, as of today."""

    subtotal: PrefectureSubtotal
    due_date: date
    today: date
    passed_on: Decimal  # by today, on time or not
    in_time: Decimal  # by the due date
    # The 发文日期 that passed the last of it on; None while some is left, or when that date is unknown.
    completed_on: date | None

    @property
    def document(self):
        return self.subtotal.document

    @property
    def prefecture(self):
        return self.subtotal.prefecture

    @property
    def share(self):
        return self.subtotal.declared_amount

    @property
    def remaining(self):
        return max(self.share - self.passed_on, ZERO)

    @property
    def in_time_percent(self):
        if not self.share:
            return HUNDRED  # nothing to pass on: nothing late
        return (min(self.in_time, self.share) * HUNDRED / self.share).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)

    @property
    def overdue(self):
        """The due date is past and not all of the 小计 was passed on by then."""
        return self.today > self.due_date and self.in_time < self.share

    @property
    def days_late(self):
        """Days past the due date: to today while some is still to pass on, to the day it was all passed on otherwise."""
        if not self.overdue:
            return 0
        if self.remaining:
            return (self.today - self.due_date).days
        if self.completed_on is not None:
            return (self.completed_on - self.due_date).days
        return None


def _passed_on_by_date(parent_ids, today):
    """{(parent id, prefecture id): [(发文日期 or None, Σ amount)]} of the issued re-allocations dated by today."""
    rows = (
        AllocationLine.objects.filter(document__parent_id__in=parent_ids, document__status=DocumentStatus.ISSUED)
        # exclude(), not filter(lte): a re-allocation without a date stays in.
        .exclude(document__issued_on__gt=today)
        .values_list("document__parent_id", "document__issuer_id", "document__issued_on")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    found = defaultdict(list)
    for parent_id, issuer_id, issued_on, total in rows:
        found[(parent_id, issuer_id)].append((issued_on, total))
    return found


def _completed_on(entries, share):
    reached = ZERO
    for issued_on, total in sorted((entry for entry in entries if entry[0] is not None), key=lambda entry: entry[0]):
        reached += total
        if reached >= share:
            return issued_on
    return None


def timeliness(subtotals, today=None):
    """A Timeliness per 小计 (of issued regional documents with a 发文日期), in the order given.

    subtotals: PrefectureSubtotals with their document (and, for display,
    their prefecture) loaded. One query, whatever their number.
    """
    today = today or clock.today()
    subtotals = [sub for sub in subtotals if sub.document.issued_on is not None]
    if not subtotals:
        return []
    found = _passed_on_by_date({sub.document_id for sub in subtotals}, today)
    result = []
    for sub in subtotals:
        due = due_date(sub.document)
        entries = found.get((sub.document_id, sub.prefecture_id), [])
        result.append(
            Timeliness(
                subtotal=sub,
                due_date=due,
                today=today,
                passed_on=sum((total for _date, total in entries), ZERO),
                in_time=sum((total for issued_on, total in entries if issued_on is not None and issued_on <= due), ZERO),
                completed_on=_completed_on(entries, sub.declared_amount),
            )
        )
    return result


def passed_on_in_time(document, today=None):
    """资金在规定时间内下达率: {prefecture id: Decimal percent} for each prefecture with a 小计 in the document.

    The share of its 小计 passed on by the due date (so far, before it). {}
    for a document that gives no deadline: a draft, one without a 发文日期,
    or a re-allocation itself.
    """
    if document.parent_id is not None or document.status != DocumentStatus.ISSUED or document.issued_on is None:
        return {}
    subtotals = list(document.subtotals.filter(declared_amount__gt=0))
    for sub in subtotals:
        sub.document = document  # already at hand: no query per row
    return {row.subtotal.prefecture_id: row.in_time_percent for row in timeliness(subtotals, today)}


def overdue_subtotals(documents, prefectures, today=None):
    """The 小计 whose due date is past, of the issued regional documents among documents, for prefectures among them.

    documents, prefectures: querysets, usually what the user may see
    (AllocationDocument.objects.visible_to, Prefecture.objects.visible_to);
    they stay subqueries.
    """
    today = today or clock.today()
    # Overdue from the day after issued_on + N: issued on or before today - N - 1.
    latest_issue = today - timedelta(days=settings.REALLOCATION_DUE_DAYS + 1)
    due_documents = documents.filter(parent__isnull=True, status=DocumentStatus.ISSUED, issued_on__lte=latest_issue)
    return (
        PrefectureSubtotal.objects.filter(document__in=due_documents, prefecture__in=prefectures, declared_amount__gt=0)
        .select_related("document", "prefecture")
        .order_by("-document__issued_on", "document__number", "prefecture__position")
    )


def overdue(subtotals, today=None):
    """The Timeliness of the subtotals not all passed on by their due date: still owing first, the longest late first."""
    rows = [row for row in timeliness(subtotals, today) if row.overdue]
    rows.sort(key=lambda row: (not row.remaining, -(row.days_late or 0)))
    return rows

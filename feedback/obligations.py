"""Which funds oblige a prefecture to report in a month.

One rule behind the pre-filled lines of a report, the completeness grid, the
overdue list, the reminders and the dashboards.

A prefecture's share (小计) of an issued regional document obliges it to
report from the month of the document's 发文日期 through the last month of
the fund's life, and no further:

- the fund's end (AllocationDocument.use_until; when empty, 31 December of
  the year after the document's year: money carried over (结转) is used
  within two years, feedback.carryover, and the national generator lists last
  year's documents until this year ends);
- the month of an accepted report whose cumulative spend reached the share
  (fully spent: nothing is left to report on);
- the month of a settlement (清算, feedback.models.Settlement) a region admin
  recorded with a reason: the share is closed, spent or not.

A prefecture owes a month's report when any of its shares obliges it that
month. Months are the first day of the month throughout.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Exists, F, Min, OuterRef, Q, Subquery

from allocations.models import DocumentStatus, PrefectureSubtotal
from feedback.models import FeedbackLine, ReportStatus, Settlement
from feedback.schedule import month_end


def first_of_month(day):
    return day.replace(day=1)


def default_end(year):
    """The end of a document's money when it names none: 31 December of the following year."""
    return date(year + 1, 12, 31)


def fund_end(document):
    return document.use_until or default_end(document.year)


def receiving_subtotals():
    """The 小计 that may oblige a prefecture to report: a positive share of an
    issued regional document. Whether it still does in a month is
    received_subtotals / obligations."""
    return PrefectureSubtotal.objects.filter(
        declared_amount__gt=0,
        document__parent__isnull=True,
        document__status=DocumentStatus.ISSUED,
        document__issued_on__isnull=False,
    )


def _spent_out_lines():
    # feedback_line_spent_out (a partial index) holds just these lines, whatever the number of lines.
    return FeedbackLine.objects.filter(report__status=ReportStatus.ACCEPTED, spent__gte=F("amount"))


def received_subtotals(prefecture, month):
    """The prefecture's 小计 that oblige it to report the month: issued by the month's end, not ended, settled
    or spent out in an earlier month."""
    month = first_of_month(month)
    settled = Settlement.objects.filter(
        document=OuterRef("document"), prefecture=OuterRef("prefecture"), closed_on__lt=month
    ).order_by()
    spent_out = _spent_out_lines().filter(
        document=OuterRef("document"), report__prefecture=OuterRef("prefecture"), report__month__lt=month
    )
    ended = Q(document__use_until__lt=month) | Q(document__use_until__isnull=True, document__year__lt=month.year - 1)
    return (
        receiving_subtotals()
        .filter(prefecture=prefecture, document__issued_on__lte=month_end(month))
        .exclude(ended)
        .exclude(Exists(settled))
        .exclude(Exists(spent_out))
        .select_related("document__fund")
        .order_by("document__issued_on", "document__number")
    )


def _merged(spans):
    """Overlapping or adjacent (first, last) month spans joined, in order."""
    merged = []
    for first, last in sorted(spans):
        if merged and first <= _next(merged[-1][1]):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _next(month):
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


class Obligations:
    """The months each prefecture owes a report: {prefecture pk: [(first month, last month)]}, disjoint and ordered."""

    def __init__(self, spans):
        self.spans = {prefecture: _merged(found) for prefecture, found in spans.items()}

    def owes(self, prefecture_pk, month):
        return any(first <= month <= last for first, last in self.spans.get(prefecture_pk, ()))

    def months(self, prefecture_pk, first, last):
        """The months between first and last (inclusive) the prefecture owes, oldest first."""
        owed = []
        for start, end in self.spans.get(prefecture_pk, ()):
            month, stop = max(start, first), min(end, last)
            while month <= stop:
                owed.append(month)
                month = _next(month)
        return owed

    def first_month(self, prefecture_pk):
        spans = self.spans.get(prefecture_pk)
        return spans[0][0] if spans else None

    def years(self):
        return sorted({year for spans in self.spans.values() for first, last in spans for year in range(first.year, last.year + 1)})


def _settled():
    return Settlement.objects.filter(document=OuterRef("document"), prefecture=OuterRef("prefecture")).order_by()


def _spent_out_of_share():
    # Probes feedback_line_spent_out (document, report): only spent-out lines are in it, so few per document.
    return _spent_out_lines().filter(document=OuterRef("document"), report__prefecture=OuterRef("prefecture")).order_by()


def obligations(prefectures, until=None):
    """The Obligations of the prefectures (a Prefecture queryset), in two queries whatever their number.

    until: the last month of interest; shares issued after it are not read.

    Most shares run to their fund's end: those are read grouped by prefecture and end (their union is one span from
    the earliest issue), a few rows a prefecture instead of one per share (66,000 shares at national scale). The
    few settled or spent-out shares are read one by one, with their dates.
    """
    shares = receiving_subtotals().filter(prefecture__in=prefectures)
    if until is not None:
        shares = shares.filter(document__issued_on__lte=month_end(until))
    ended_early = Exists(_settled()) | Exists(_spent_out_of_share())
    # 1. The shares that run to their fund's end, grouped.
    running = (
        shares.exclude(ended_early)
        .order_by()
        .values_list("prefecture_id", "document__year", "document__use_until")
        .annotate(first=Min("document__issued_on"))
    )
    # 2. The settled or spent-out ones, each with its settlement date and its first spent-out month.
    spent_out = _spent_out_of_share().order_by("report__month").values("report__month")[:1]
    ended = (
        shares.filter(ended_early)
        .annotate(closed_on=Subquery(_settled().values("closed_on")[:1]), spent_out=Subquery(spent_out))
        .order_by()
        .values_list("prefecture_id", "document__year", "document__use_until", "document__issued_on", "closed_on", "spent_out")
    )
    spans = defaultdict(list)
    for prefecture, year, use_until, first in running:
        spans[prefecture].append((first_of_month(first), first_of_month(use_until or default_end(year))))
    for prefecture, year, use_until, issued_on, *ends in ended:
        last = min([first_of_month(use_until or default_end(year))] + [first_of_month(end) for end in ends if end is not None])
        if first_of_month(issued_on) <= last:
            spans[prefecture].append((first_of_month(issued_on), last))
    return Obligations(dict(spans))

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

from django.db.models import Exists, F, OuterRef, Q, Subquery

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
    settled = Settlement.objects.filter(document=OuterRef("document"), prefecture=OuterRef("prefecture"), closed_on__lt=month)
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


class Obligations:
    """The months each prefecture owes a report: {prefecture pk: [(first month, last month)]} of its shares."""

    def __init__(self, spans):
        self.spans = spans

    def owes(self, prefecture_pk, month):
        return any(first <= month <= last for first, last in self.spans.get(prefecture_pk, ()))

    def months(self, prefecture_pk, first, last):
        """The months between first and last (inclusive) the prefecture owes, oldest first."""
        owed = set()
        for start, end in self.spans.get(prefecture_pk, ()):
            month = max(start, first)
            while month <= min(end, last):
                owed.add(month)
                month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        return sorted(owed)

    def first_month(self, prefecture_pk):
        return min((first for first, _last in self.spans.get(prefecture_pk, ())), default=None)

    def years(self):
        return sorted({year for spans in self.spans.values() for first, last in spans for year in range(first.year, last.year + 1)})


def _with_ends(shares):
    """The shares annotated with closed_on (their settlement's date) and spent_out (the first accepted month that
    shows them fully spent), each None when there is none: two index lookups per share."""
    settlement = Settlement.objects.filter(document=OuterRef("document"), prefecture=OuterRef("prefecture"))
    spent_out = (
        _spent_out_lines()
        .filter(document=OuterRef("document"), report__prefecture=OuterRef("prefecture"))
        .order_by("report__month")
        .values("report__month")[:1]
    )
    return shares.annotate(closed_on=Subquery(settlement.values("closed_on")[:1]), spent_out=Subquery(spent_out))


def obligations(prefectures, until=None):
    """The Obligations of the prefectures (a Prefecture queryset), in one query whatever their number.

    until: the last month of interest; shares issued after it are not read.
    """
    shares = receiving_subtotals().filter(prefecture__in=prefectures)
    if until is not None:
        shares = shares.filter(document__issued_on__lte=month_end(until))
    rows = _with_ends(shares).order_by().values_list(
        "prefecture_id", "document__issued_on", "document__year", "document__use_until", "closed_on", "spent_out"
    )
    spans = defaultdict(list)
    for prefecture, issued_on, year, use_until, closed_on, spent_out in rows:
        last = first_of_month(use_until or default_end(year))
        for end in (closed_on, spent_out):
            if end is not None:
                last = min(last, first_of_month(end))
        first = first_of_month(issued_on)
        if first <= last:
            spans[prefecture].append((first, last))
    return Obligations(dict(spans))

"""The numbers behind the home page, each read in a fixed number of queries.

Nothing here loops over prefectures issuing queries: every figure is one
grouped query (annotate/aggregate) whatever the number of prefectures,
months or targets, so the page costs the same for 14 prefectures as for a
country's worth. Scope is a Prefecture queryset already limited to what the
user may see (Prefecture.objects.visible_to).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from allocations.models import AllocationDocument, DocumentStatus
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from feedback.progress import percent
from feedback.schedule import expected_progress
from feedback.obligations import receiving_subtotals
from targets.models import Actual, TableStatus, TargetTable, Verdict

# Figures the reviewer has seen or is about to see; a draft or a returned
# report is still being corrected and would move the curve back and forth.
REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def current_document():
    """The regional document the page is about: the latest issued one."""
    return (
        AllocationDocument.objects.regional()
        .filter(status=DocumentStatus.ISSUED)
        .order_by("-issued_on", "-pk")
        .first()
    )


def prefectures_with_allocation(scope, document):
    """The prefectures in scope, each with .allocated: its 小计 in the document (0 when none)."""
    subtotal = (
        receiving_subtotals()
        .filter(document=document, prefecture=OuterRef("pk"))
        .order_by()
        .values("prefecture")
        .annotate(total=Sum("declared_amount"))
        .values("total")
    )
    prefectures = list(scope.annotate(allocated=Subquery(subtotal)).order_by("position", "name"))
    for prefecture in prefectures:
        prefecture.allocated = prefecture.allocated or Decimal("0")
    return prefectures


@dataclass
class SpendProgress:
    months: list  # date of each month's first day, January to December
    schedule: list  # 时间进度 per month, percent
    region: list  # the scope's cumulative progress per month, only where every obliged prefecture reported (else None)
    by_prefecture: dict  # prefecture pk -> [progress or None per month]
    partial: list = None  # the progress of the reports in so far, where only some obliged prefectures reported
    reported: list = None  # per month: how many obliged prefectures have reported
    obliged: list = None  # per month: how many prefectures owe a report (feedback.obligations)

    def coverage_label(self, index):
        return _("已报 %(k)s/%(n)s") % {"k": self.reported[index], "n": self.obliged[index]}


def spend_progress(year, prefectures, owed):
    """Cumulative spend / allocated of the reported (submitted or accepted) reports, per month.

    owed: the prefectures' obligations.Obligations. A month's figure for the
    scope counts only when it covers every prefecture that owes that month's
    report: with one prefecture of 14 in, the sum is that one prefecture's
    progress, not the region's, and the curve would seem to collapse.
    """
    months = [date(year, number, 1) for number in range(1, 13)]
    rows = (
        FeedbackLine.objects.filter(
            report__prefecture__in=[p.pk for p in prefectures], report__month__year=year, report__status__in=REPORTED
        )
        .values("report__prefecture_id", "report__month")
        .annotate(amount=Sum("amount"), spent=Sum("spent"))
        .order_by()
    )
    by_prefecture = {p.pk: [None] * 12 for p in prefectures}
    totals = [[Decimal("0"), Decimal("0"), set()] for _ in months]
    for row in rows:
        index = row["report__month"].month - 1
        spent = row["spent"] or Decimal("0")
        by_prefecture[row["report__prefecture_id"]][index] = percent(spent, row["amount"])
        totals[index][0] += row["amount"]
        totals[index][1] += spent
        totals[index][2].add(row["report__prefecture_id"])
    obliged = [{p.pk for p in prefectures if owed.owes(p.pk, month)} for month in months]
    reported = [len(seen & due) for (_a, _s, seen), due in zip(totals, obliged)]
    region, partial = [], []
    for (amount, spent, seen), due in zip(totals, obliged):
        value = percent(spent, amount) if seen else None
        complete = bool(seen) and due <= seen
        region.append(value if complete else None)
        partial.append(None if complete else value)
    return SpendProgress(
        months, [expected_progress(m) for m in months], region, by_prefecture, partial, reported, [len(d) for d in obliged]
    )


def last_checkpoint(document):
    """The latest 监控时点 with any figure recorded against the document's targets, or None."""
    return Actual.objects.filter(target__table__document=document).aggregate(last=Max("checkpoint"))["last"]


def attainment_counts(document, checkpoint, prefectures):
    """{prefecture pk: (met, not met, recorded)} at the checkpoint, for the prefectures' tables."""
    if checkpoint is None:
        return {}
    rows = (
        Actual.objects.filter(
            checkpoint=checkpoint,
            target__table__document=document,
            target__table__prefecture__in=[p.pk for p in prefectures],
        )
        .values("target__table__prefecture_id")
        .annotate(
            met=Count("pk", filter=Q(verdict=Verdict.MET)),
            not_met=Count("pk", filter=Q(verdict=Verdict.NOT_MET)),
            recorded=Count("pk"),
        )
        .order_by()
    )
    return {row["target__table__prefecture_id"]: (row["met"], row["not_met"], row["recorded"]) for row in rows}


def attainment_rate(met, not_met):
    # Only judged figures count: a qualitative target that cannot be judged
    # neither helps nor hurts the rate.
    return percent(Decimal(met), Decimal(met + not_met))


def not_met_actuals(document, checkpoint, limit=200):
    if checkpoint is None:
        return []
    return list(
        Actual.objects.filter(checkpoint=checkpoint, verdict=Verdict.NOT_MET, target__table__document=document)
        .select_related("target__table__prefecture", "target__indicator")
        .order_by("target__table__prefecture__position", "target__position")[:limit]
    )


def tables_awaiting_review():
    return list(
        TargetTable.objects.filter(status=TableStatus.SUBMITTED)
        .select_related("prefecture", "document")
        .order_by("submitted_at", "pk")
    )


def reports_awaiting_review(prefectures):
    return FeedbackReport.objects.filter(
        status=ReportStatus.SUBMITTED, prefecture__in=[p.pk for p in prefectures]
    ).count()


def returned_reports(prefectures):
    return list(
        FeedbackReport.objects.filter(status=ReportStatus.RETURNED, prefecture__in=[p.pk for p in prefectures])
        .select_related("prefecture")
        .order_by("-month")
    )


def latest_fund_lines(prefecture):
    """The lines of the prefecture's latest submitted or accepted report (one query).

    A draft is still being filled in and a returned report was sent back as wrong: neither is the prefecture's figure.
    """
    latest = (
        FeedbackReport.objects.filter(prefecture=prefecture, status__in=REPORTED, lines__spent__isnull=False)
        .order_by("-month")
        .values("month")[:1]
    )
    return list(
        FeedbackLine.objects.filter(report__prefecture=prefecture, report__month=Subquery(latest))
        # The document gives each line its own time schedule, in the same query.
        .select_related("report", "document")
        .order_by("position")
    )

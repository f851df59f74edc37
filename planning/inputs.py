"""What the computation reads from the database: regions, the previous allocation, execution, grades.

Each reader returns plain mappings keyed by names, so planning/compute.py
stays pure and testable without a database.
"""

import datetime
from decimal import Decimal

from django.db.models import Sum

from allocations.models import AllocationDocument, AllocationLine, County, DocumentStatus, Prefecture, PrefectureSubtotal
from core.workbook import clean_text
from evaluation.grades import grades_for
from treasury.models import PaymentSummary
from treasury.money import fen_from_wan


def regions():
    """(prefecture names in the notice's order, {cleaned: name}, {(prefecture, cleaned county): county}, {prefecture: [county]})."""
    order = list(Prefecture.objects.order_by("position", "name").values_list("name", flat=True))
    counties, counties_of = {}, {}
    for prefecture, name in County.objects.order_by("prefecture__position", "position", "name").values_list(
        "prefecture__name", "name"
    ):
        counties[(prefecture, clean_text(name))] = name
        counties_of.setdefault(prefecture, []).append(name)
    return order, {clean_text(name): name for name in order}, counties, counties_of


def previous_document(number=None):
    """The last issued regional allocation (or the one named): the basis of the county split and the chart."""
    documents = AllocationDocument.objects.regional().filter(status=DocumentStatus.ISSUED)
    if number:
        return documents.filter(number=number).first()
    return documents.order_by("-issued_on", "-year", "-pk").first()


def previous_lines(document):
    """{prefecture name: [(county name, amount)]} in the document's line order."""
    if document is None:
        return {}
    found = {}
    for prefecture, county, amount in (
        AllocationLine.objects.filter(document=document)
        .order_by("county__prefecture__position", "position", "county__position")
        .values_list("county__prefecture__name", "county__name", "amount")
    ):
        found.setdefault(prefecture, []).append((county, amount))
    return found


def previous_subtotals(document):
    """{prefecture name: 小计} of the previous allocation: the chart's other bar."""
    if document is None:
        return {}
    return dict(
        PrefectureSubtotal.objects.filter(document=document).values_list("prefecture__name", "declared_amount")
    )


def unspent_shares(year):
    """{prefecture name: unspent share} at the end of `year`, from the treasury's payment summary.

    Allocated: the 小计 of every issued regional document of that year; paid:
    what the treasury paid under them to 31 December. Empty when the
    treasury holds no payment under them at all: no data is not 100% unspent.
    """
    documents = AllocationDocument.objects.regional().filter(status=DocumentStatus.ISSUED, year=year)
    paid = dict(
        PaymentSummary.objects.filter(document__in=documents, month__lte=datetime.date(year, 12, 1))
        .values_list("prefecture__name")
        .annotate(total=Sum("paid_fen"))
        .order_by()
    )
    if not paid:
        return {}
    allocated = (
        PrefectureSubtotal.objects.filter(document__in=documents)
        .values_list("prefecture__name")
        .annotate(total=Sum("declared_amount"))
        .order_by()
    )
    shares = {}
    for name, amount in allocated:
        fen = fen_from_wan(amount)
        if fen > 0:
            shares[name] = Decimal(fen - paid.get(name, 0)) / Decimal(fen)
    return shares


# evaluation.models.Grade's values, as the planning's rules name them (通知: 优、良、中、差).
GRADE_NAMES = {"excellent": "优", "good": "良", "fair": "中", "poor": "差"}


def grades(year):
    """{prefecture name: 优|良|中|差} from the approved year-end evaluations (evaluation.grades).

    Of the year's regional documents, the last one issued: its target tables
    are the ones evaluated. Empty when none is approved yet.
    """
    documents = AllocationDocument.objects.regional().filter(status=DocumentStatus.ISSUED, year=year)
    document = documents.order_by("-issued_on", "-pk").first()
    if document is None:
        return {}
    by_id = dict(Prefecture.objects.values_list("pk", "name"))
    return {
        by_id[prefecture_id]: GRADE_NAMES.get(str(grade), str(grade))
        for prefecture_id, grade in grades_for(document, year).items()
        if prefecture_id in by_id
    }

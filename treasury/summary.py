"""The payment summary: kept by the import, read by every figure of paid money.

Rows are (regional document, prefecture, county, use, month) with the
month's paid amount in 分. Cumulative to a month is the sum of the months up
to it: one grouped query over the summary, never a scan of payments.

`document_summary` is the one reading of a document's progress by county
(payments_summary now; the flow page and the 附件3 pre-fill later): allocated
from 附件1 (or an issued 转下达 that restates a county), paid to the month's
end, unspent and progress, with a 小计 per prefecture and a 合计, each figure
summed exactly in 分 and rounded once to 万元.
"""

from dataclasses import dataclass, field

from django.db.models import Sum

from allocations.models import Prefecture, PrefectureSubtotal
from treasury.anomalies import county_allocations
from treasury.models import PaymentSummary
from treasury.money import fen_from_wan, progress, wan_from_fen

SUBTOTAL, TOTAL = "小计", "合计"
OWN_UNITS = "本级单位"  # payments with no county: the prefecture's own units


def add_to_summary(deltas):
    """deltas: {(document, prefecture, county, use, month): [分, payments, 分 refunded]} added to the summary rows."""
    if not deltas:
        return
    documents = {key[0] for key in deltas}
    existing = {
        (row.document_id, row.prefecture_id, row.county_id, row.use, row.month): row
        for row in PaymentSummary.objects.filter(document_id__in=documents)
    }
    changed, new = [], []
    for key, (fen, count, refunds) in deltas.items():
        row = existing.get(key)
        if row is None:
            document_id, prefecture_id, county_id, use, month = key
            new.append(PaymentSummary(
                document_id=document_id, prefecture_id=prefecture_id, county_id=county_id, use=use, month=month,
                paid_fen=fen, payments=count, refunds_fen=refunds,
            ))
        else:
            row.paid_fen += fen
            row.payments += count
            row.refunds_fen += refunds
            changed.append(row)
    PaymentSummary.objects.bulk_create(new, batch_size=1000)
    PaymentSummary.objects.bulk_update(changed, ["paid_fen", "payments", "refunds_fen"], batch_size=1000)


@dataclass
class Figures:
    prefecture: str
    county: str
    allocated_fen: int = 0
    paid_fen: int = 0
    by_use: dict = field(default_factory=dict)  # use -> 分 (the flow page's columns)

    @property
    def unspent_fen(self):
        return self.allocated_fen - self.paid_fen

    @property
    def allocated(self):
        return wan_from_fen(self.allocated_fen)

    @property
    def paid(self):
        return wan_from_fen(self.paid_fen)

    @property
    def unspent(self):
        return wan_from_fen(self.unspent_fen)

    @property
    def progress(self):
        return progress(self.paid_fen, self.allocated_fen)


def _paid(document, month, prefecture_ids, by_use):
    """{(prefecture id, county id or None): ({use: 分}, county position, county name)} paid up to the month's end."""
    rows = PaymentSummary.objects.filter(document=document, month__lte=month.replace(day=1))
    if prefecture_ids is not None:
        rows = rows.filter(prefecture_id__in=prefecture_ids)
    keys = ("prefecture_id", "county_id", "county__position", "county__name", "use" if by_use else "document_id")
    found = {}
    for prefecture_id, county_id, position, name, use, total in rows.values_list(*keys).annotate(total=Sum("paid_fen")).order_by():
        place = found.setdefault((prefecture_id, county_id), ({}, position, name))
        place[0][use if by_use else ""] = total
    return found


def document_summary(document, month, prefecture_ids=None, by_use=True):
    """[Figures] for a regional document to the month's end: counties, a 小计 per prefecture, then the 合计.

    by_use=False leaves each row's by_use empty (the amounts by use are the
    flow page's columns; payments_summary has none) and groups the summary
    by county only.
    """
    subtotals = PrefectureSubtotal.objects.filter(document=document)
    if prefecture_ids is not None:
        subtotals = subtotals.filter(prefecture_id__in=prefecture_ids)
    declared = dict(subtotals.values_list("prefecture_id", "declared_amount"))
    allocated = county_allocations(document.pk, prefecture_ids)
    paid = _paid(document, month, prefecture_ids, by_use)
    by_prefecture = {}
    for county_id, (prefecture_id, position, name, _fen) in allocated.items():
        by_prefecture.setdefault(prefecture_id, {})[county_id] = (position, name)
    for (prefecture_id, county_id), (_uses, position, name) in paid.items():
        by_prefecture.setdefault(prefecture_id, {}).setdefault(county_id, (position, name))
    prefecture_ids_shown = set(declared) | {p for p, _c in paid}
    rows = []
    total = Figures(TOTAL, "")
    for prefecture in Prefecture.objects.filter(pk__in=prefecture_ids_shown).order_by("position", "name", "pk"):
        subtotal = Figures(prefecture.name, SUBTOTAL, allocated_fen=fen_from_wan(declared.get(prefecture.pk, 0)))
        places = by_prefecture.get(prefecture.pk, {})
        # Counties in their order (position, name); the prefecture's own units, when paid, last.
        counties = sorted((place for place in places.items() if place[0] is not None), key=lambda place: place[1])
        if None in places:
            counties.append((None, (None, OWN_UNITS)))
        for county_id, (_position, name) in counties:
            uses = paid.get((prefecture.pk, county_id), ({},))[0]
            allocated_fen = allocated[county_id][3] if county_id in allocated else 0
            line = Figures(prefecture.name, name, allocated_fen=allocated_fen, paid_fen=sum(uses.values()), by_use=uses if by_use else {})
            rows.append(line)
            subtotal.paid_fen += line.paid_fen
            for use, fen in line.by_use.items():
                subtotal.by_use[use] = subtotal.by_use.get(use, 0) + fen
        rows.append(subtotal)
        total.allocated_fen += subtotal.allocated_fen
        total.paid_fen += subtotal.paid_fen
        for use, fen in subtotal.by_use.items():
            total.by_use[use] = total.by_use.get(use, 0) + fen
    rows.append(total)
    return rows


def paid_by_document(prefecture_id, month, document_ids=None):
    """{regional document id: {use: 分}} a prefecture paid up to the month's end: one grouped query.

    What the 附件3 form will pre-fill (实际支出金额 and 资金支出方向, issue 15.7), for every line at once.
    """
    rows = PaymentSummary.objects.filter(prefecture_id=prefecture_id, month__lte=month.replace(day=1))
    if document_ids is not None:
        rows = rows.filter(document_id__in=document_ids)
    found = {}
    for document_id, use, total in rows.values_list("document_id", "use").annotate(total=Sum("paid_fen")).order_by():
        found.setdefault(document_id, {})[use] = total
    return found

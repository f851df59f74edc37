"""The direct-funds monitoring export (通知第三条: 直达资金监控系统): one row per (document, prefecture, county).

A regional document's rows are its 附件1 lines; each issued 转下达 that names
it adds its own rows, with the regional 文号 as 上级文号. 已支付 comes from the
treasury: for a regional row, everything paid to the county under the
document (payments citing a 转下达 roll up to it, as in the summary table);
for a 转下达 row, the payments that cite that 转下达 itself. Amounts are exact:
分配金额 as the document states it (万元, 2 places), 已支付 and 未支付 the exact
sum of 分 in 万元 (6 places, never rounded); only 支出进度 is a rounded ratio.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from allocations.models import AllocationDocument, AllocationLine, DocumentStatus
from feedback.workflow import fund_label
from treasury.models import Payment, PaymentSummary
from treasury.money import fen_from_wan, progress

COLUMNS = (
    ("fund_name", "资金名称"),
    ("number", "文号"),
    ("parent_number", "上级文号"),
    ("direct_mark", "直达资金标识"),
    ("function_subject", "功能科目"),
    ("prefecture", "地（州、市）"),
    ("county", "县（市、区）"),
    ("allocated", "分配金额（万元）"),
    ("paid", "已支付（万元）"),
    ("unpaid", "未支付（万元）"),
    ("progress", "支出进度（%）"),
)


def exact_wan(fen):
    # 1 万元 = 10^6 分: six places hold every 分 exactly.
    return (Decimal(fen) / 1_000_000).quantize(Decimal("0.000001"))


@dataclass
class Row:
    fund_name: str
    number: str
    parent_number: str
    direct_mark: str
    function_subject: str
    prefecture: str
    county: str
    allocated: Decimal
    paid: Decimal
    unpaid: Decimal
    progress: Decimal | None

    def values(self):
        return [getattr(self, key) for key, _label in COLUMNS]


def documents_of(document, visible=None):
    """The document and, for a regional one, its issued 转下达 (those `visible` allows), regional first."""
    documents = [document]
    if document.parent_id is None:
        reallocations = AllocationDocument.objects.filter(parent=document, status=DocumentStatus.ISSUED)
        if visible is not None:
            reallocations = reallocations & visible
        documents += list(reallocations.select_related("fund", "issuer", "parent").order_by("issuer__position", "number"))
    return documents


def _paid(documents):
    """{(document id, county id): 分} paid to date."""
    regional = [d.pk for d in documents if d.parent_id is None]
    reallocations = [d.pk for d in documents if d.parent_id is not None]
    paid = {}
    summary = PaymentSummary.objects.filter(document_id__in=regional, county__isnull=False)
    for document_id, county_id, fen in summary.values_list("document_id", "county_id").annotate(fen=Sum("paid_fen")).order_by():
        paid[(document_id, county_id)] = fen
    payments = Payment.objects.filter(document_id__in=reallocations, county__isnull=False)
    for document_id, county_id, fen in payments.values_list("document_id", "county_id").annotate(fen=Sum("amount_fen")).order_by():
        paid[(document_id, county_id)] = fen
    return paid


def rows(document, lines=None, visible=None):
    """[Row] of the document and its 转下达; lines: the AllocationLine queryset to read (a user's visible lines)."""
    documents = documents_of(document, visible)
    by_id = {d.pk: d for d in documents}
    lines = (lines if lines is not None else AllocationLine.objects.all()).filter(document_id__in=by_id)
    lines = lines.select_related("county__prefecture").order_by("county__prefecture__position", "position", "county__position")
    paid = _paid(documents)
    found = []
    order = {pk: index for index, pk in enumerate(by_id)}
    for line in sorted(lines, key=lambda line: order[line.document_id]):
        doc = by_id[line.document_id]
        fund = doc.fund
        allocated_fen = fen_from_wan(line.amount)
        paid_fen = paid.get((doc.pk, line.county_id), 0)
        found.append(Row(
            fund_name=fund_label(doc),
            number=doc.number,
            parent_number=doc.parent.number if doc.parent_id else "",
            direct_mark=doc.direct_mark,
            function_subject=f"{fund.expenditure_code} {fund.expenditure_subject}",
            prefecture=line.county.prefecture.name,
            county=line.county.name,
            allocated=line.amount,
            paid=exact_wan(paid_fen),
            unpaid=exact_wan(allocated_fen - paid_fen),
            progress=progress(paid_fen, allocated_fen),
        ))
    return found


def as_dicts(found):
    """Rows as JSON objects keyed by COLUMNS' keys, amounts as exact decimal strings."""
    return [
        {key: (format(value, "f") if isinstance(value, Decimal) else value) for (key, _label), value in zip(COLUMNS, row.values())}
        for row in found
    ]


def as_json(document, found):
    return {"document": document.number, "columns": dict(COLUMNS), "rows": as_dicts(found)}

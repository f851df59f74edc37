"""What a payment is, against the allocations: its document, its use, and what is odd about it.

Anomalies are stored and flagged (PaymentException), never refused: the
treasury paid the money, and the record of it stands. A payment citing a
prefecture's re-allocation (转下达) rolls up to the parent regional document.
"""

from django.db.models import F, RowRange, Sum, Window

from allocations.models import AllocationDocument, AllocationLine, DirectMark, DocumentStatus, PrefectureSubtotal
from core.workbook import clean_text
from treasury.models import ExceptionKind, Payment, PaymentCode, PaymentException, PaymentSummary
from treasury.money import fen_from_wan, yuan

EMPLOYMENT_SUBSIDY = "20807"
_DIRECT = clean_text(DirectMark.CENTRAL_DIRECT.value)


class Documents:
    """The documents, their lines and the code table, read as payments ask for them (once per import)."""

    def __init__(self):
        self.by_number = {
            clean_text(number): (pk, parent_id, issuer_id, status)
            for pk, number, parent_id, issuer_id, status in AllocationDocument.objects.values_list(
                "pk", "number", "parent_id", "issuer_id", "status"
            )
        }
        self.uses = dict(PaymentCode.objects.values_list("code", "use"))
        self._prefectures = {}
        self._lines = {}

    def prefectures_of(self, document_id):
        if document_id not in self._prefectures:
            self._prefectures[document_id] = set(
                PrefectureSubtotal.objects.filter(document_id=document_id).values_list("prefecture_id", flat=True)
            )
        return self._prefectures[document_id]

    def counties_of(self, document_id):
        if document_id not in self._lines:
            self._lines[document_id] = set(
                AllocationLine.objects.filter(document_id=document_id).values_list("county_id", flat=True)
            )
        return self._lines[document_id]

    def resolve(self, number, prefecture_id):
        """(cited document id, regional document id), or (None, None) when the prefecture never received it."""
        found = self.by_number.get(clean_text(number))
        if found is None:
            return None, None
        pk, parent_id, issuer_id, status = found
        if parent_id is None:
            if status == DocumentStatus.ISSUED and prefecture_id in self.prefectures_of(pk):
                return pk, pk
            return None, None
        if issuer_id == prefecture_id:
            return pk, parent_id
        return None, None


def judge(payment, documents, prefecture_name, county_name):
    """(document id, regional document id, use, [(kind, detail)]) for one parsed payment."""
    flags = []
    document_id, root_id = documents.resolve(payment.document_number, payment.prefecture_id)
    if document_id is None:
        cited = payment.document_number or "（空）"
        flags.append((
            ExceptionKind.UNKNOWN_DOCUMENT,
            f"指标文号 {cited} 既不是下达给{prefecture_name}的自治区文件，也不是{prefecture_name}的转下达文件",
        ))
    elif payment.county_id is not None and payment.county_id not in documents.counties_of(document_id):
        flags.append((ExceptionKind.COUNTY_NOT_IN_DOCUMENT, f"{county_name} 在 {payment.document_number} 中没有分配"))
    if not payment.function_code.startswith(EMPLOYMENT_SUBSIDY):
        flags.append((
            ExceptionKind.NOT_EMPLOYMENT_SUBSIDY,
            f"功能分类科目 {payment.function_code or '（空）'} 不在 20807 就业补助之下",
        ))
    if clean_text(payment.direct_mark) != _DIRECT:
        shown = f"“{payment.direct_mark}”" if payment.direct_mark else "空"
        flags.append((ExceptionKind.MISSING_DIRECT_MARK, f"直达资金标识为{shown}，应为“{DirectMark.CENTRAL_DIRECT.value}”"))
    use = documents.uses.get(payment.function_code, "")
    return document_id, root_id, use, flags


def county_allocations(document_id, prefecture_ids=None):
    """{county id: (prefecture id, county position, county name, 分)} under a regional document.

    附件1's line, or the issued 转下达's where one restates the county. The
    county's place comes in the same query: the flow of a national document
    names thousands of counties, and a second query by their ids would be a
    list of thousands of parameters.
    """
    fields = ("county_id", "county__prefecture_id", "county__position", "county__name", "amount")
    lines = AllocationLine.objects.filter(document_id=document_id)
    restated = AllocationLine.objects.filter(document__parent_id=document_id, document__status=DocumentStatus.ISSUED)
    if prefecture_ids is not None:
        lines = lines.filter(county__prefecture_id__in=prefecture_ids)
        restated = restated.filter(county__prefecture_id__in=prefecture_ids)
    found = {}
    for rows in (lines, restated):  # a restated county's line overrides 附件1's
        for county_id, prefecture_id, position, name, amount in rows.values_list(*fields):
            found[county_id] = (prefecture_id, position, name, fen_from_wan(amount))
    return found


def allocations_by_county(document_id):
    """{county id: allocation in 分} under a regional document (county_allocations without the places)."""
    return {county_id: place[3] for county_id, place in county_allocations(document_id).items()}


def flag_over_allocation(touched):
    """Re-judge over_allocation for the (regional document, county) pairs an import touched.

    The payment flagged is the one at which the cumulative paid, in date
    order, first exceeds the allocation: the one that overspent. A county
    whose total is within its allocation is not flagged.
    """
    flagged = 0
    by_document = {}
    for document_id, county_id in touched:
        by_document.setdefault(document_id, set()).add(county_id)
    for document_id, counties in by_document.items():
        PaymentException.objects.filter(
            kind=ExceptionKind.OVER_ALLOCATION, payment__root_document_id=document_id, payment__county_id__in=counties
        ).delete()
        allocated = allocations_by_county(document_id)
        months = {}
        rows = (
            PaymentSummary.objects.filter(document_id=document_id, county_id__in=counties)
            .values_list("county_id", "month")
            .annotate(paid=Sum("paid_fen"), refunds=Sum("refunds_fen"))
            .order_by("county_id", "month")
        )
        for county_id, month, paid, refunds in rows:
            months.setdefault(county_id, []).append((month, paid, refunds))
        new = []
        for county_id, by_month in months.items():
            limit = allocated.get(county_id, 0)
            start = walk_from(by_month, limit)
            if start is None:
                continue
            month, before = start
            # The running sum in the database, in the order of treasury_payment_by_line, from that month on: it
            # stops at the crossing.
            crossing = (
                Payment.objects.filter(root_document_id=document_id, county_id=county_id, paid_on__gte=month)
                .annotate(running=Window(Sum("amount_fen"), order_by=[F("paid_on"), F("voucher")], frame=RowRange(None, 0)))
                .filter(running__gt=limit - before)
                .order_by("paid_on", "voucher")
                .values_list("voucher", "running")[:1]
            )
            for voucher, running in crossing:
                new.append(PaymentException(
                    payment_id=voucher,
                    kind=ExceptionKind.OVER_ALLOCATION,
                    detail=f"累计支付 {yuan(before + int(running))} 元，超过分配金额 {yuan(limit)} 元",
                ))
        PaymentException.objects.bulk_create(new, batch_size=1000)
        flagged += len(new)
    return flagged


def walk_from(months, limit):
    """(the first month the cumulative paid may exceed limit within, the cumulative before it), or None.

    months: [(month, 分 paid, 分 refunded)] in order. None when the total is
    within the limit. Within a month the running sum is at most what came
    before plus the month's payments without its refunds: no month before the
    one returned can hold the crossing, so the walk of the payments starts there.
    """
    if sum(paid for _month, paid, _refunds in months) <= limit:
        return None
    before = 0
    for month, paid, refunds in months:
        if before + paid - refunds > limit:
            return month, before
        before += paid

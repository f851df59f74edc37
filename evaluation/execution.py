"""预算执行率 at year end: paid (treasury) or reported (附件3) to 31 December, divided by the amount allocated.

The treasury is the authority for 实际支出金额 (附件3 说明2), so its payments are
read first. A prefecture with no payment on record for the document falls back
to its latest 附件3 report of the year that was submitted or accepted (a draft
is not yet the bureau's word). Allocated is the prefecture's 小计 in the document.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from allocations.models import PrefectureSubtotal
from feedback.models import FeedbackLine, ReportStatus
from treasury.money import fen_from_wan, progress, wan_from_fen
from treasury.summary import paid_by_document

TREASURY = "国库支付"
REPORTED = "附件3 %s反馈表"
NOTHING = "无支出记录"


@dataclass(frozen=True)
class Execution:
    allocated: Decimal
    spent: Decimal
    source: str
    rate: Decimal | None  # percent, 2 places; None when nothing was allocated


def year_end_execution(document, prefecture_id, year):
    december = datetime.date(year, 12, 1)
    allocated = (
        PrefectureSubtotal.objects.filter(document=document, prefecture_id=prefecture_id)
        .values_list("declared_amount", flat=True)
        .first()
    ) or Decimal(0)
    uses = paid_by_document(prefecture_id, december, [document.pk]).get(document.pk)
    if uses:
        spent_fen, source = sum(uses.values()), TREASURY
    else:
        line = (
            FeedbackLine.objects.filter(
                document=document,
                report__prefecture_id=prefecture_id,
                report__month__year=year,
                report__status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED),
                spent__isnull=False,
            )
            .select_related("report")
            .order_by("-report__month")
            .first()
        )
        if line is None:
            spent_fen, source = 0, NOTHING
        else:
            spent_fen, source = fen_from_wan(line.spent), REPORTED % line.report.month_label
    allocated_fen = fen_from_wan(allocated)
    return Execution(
        allocated=Decimal(allocated), spent=wan_from_fen(spent_fen), source=source, rate=progress(spent_fen, allocated_fen)
    )

"""What the 转下达 tests share: the notice's dates and a parent that funds a prefecture as a whole."""

from datetime import date, timedelta
from decimal import Decimal

from allocations.models import AllocationDocument, DocumentStatus, PrefectureSubtotal

NOTICE_ISSUED_ON = date(2023, 6, 5)  # 新财社〔2023〕74号's 发文日期
IN_TIME = date(2023, 6, 20)  # a 转下达 date well within 30 days of it
DUE = NOTICE_ISSUED_ON + timedelta(days=30)  # 2023-07-05, the last day on time with the default setting


def lump_sum_document(fund, prefecture, amount, number="测试〔2023〕50号", issued_on=NOTICE_ISSUED_ON):
    """An issued regional document giving the prefecture a 小计 and no county lines: the prefecture distributes it.

    The notice names a county on every line; such a document can only be
    written directly (the app's import and 下达 want lines that add up to the 小计).
    """
    document = AllocationDocument.objects.create(
        number=number,
        title="测试文件（只分配到地州市）",
        year=issued_on.year,
        fund=fund,
        declared_total=Decimal(amount),
        status=DocumentStatus.ISSUED,
        issued_on=issued_on,
    )
    PrefectureSubtotal.objects.create(document=document, prefecture=prefecture, declared_amount=Decimal(amount))
    return document

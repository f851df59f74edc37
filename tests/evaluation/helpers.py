"""The notice's 乌鲁木齐市 table at year end, as the evaluation tests set it up."""

import datetime
from decimal import Decimal

from allocations.models import AllocationDocument, Prefecture, PrefectureSubtotal
from targets.models import Actual, Checkpoint, TargetTable
from targets.values import Operator
from treasury.models import PaymentSummary
from treasury.money import fen_from_wan

NOTICE = "新财社〔2023〕74号"
URUMQI = "乌鲁木齐市"
CITY_JOBS = "城镇新增就业人数"


def notice():
    return AllocationDocument.objects.get(number=NOTICE)


def table_of(name=URUMQI):
    return TargetTable.objects.select_related("prefecture", "document").get(document__number=NOTICE, prefecture__name=name)


def _figure(number, unit):
    text = format(number.normalize(), "f")
    return f"{text}{unit}"


def record_year_end(table, overrides=None):
    """A 12月 actual exactly at every numeric target; overrides: {indicator name: raw actual} (explained if short)."""
    overrides = overrides or {}
    for target in table.targets.select_related("indicator"):
        if target.operator == Operator.TEXT:
            continue
        name = target.indicator.name if target.indicator_id else target.wording
        raw = overrides.get(name, _figure(target.base_number, target.base_unit))
        Actual(
            target=target, checkpoint=Checkpoint.YEAR_END, raw_value=raw,
            deviation_reason="测试：未完成", improvement_measure="测试：加强",
        ).save()


def pay(table, share=Decimal(1), month=datetime.date(2023, 12, 1)):
    """Treasury payments to the year's end: share of the prefecture's 小计."""
    subtotal = PrefectureSubtotal.objects.get(document=table.document, prefecture=table.prefecture).declared_amount
    PaymentSummary.objects.create(
        document=table.document, prefecture=table.prefecture, county=None, use="", month=month,
        paid_fen=int(fen_from_wan(subtotal) * share), payments=1,
    )
    return subtotal


def prefecture(name=URUMQI):
    return Prefecture.objects.get(name=name)

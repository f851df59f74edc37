"""The whole computation (planning/compute.py) on plain inputs: renormalising, ties, the county split."""

from decimal import Decimal

import pytest

from core.refusals import ImportRefused
from planning.adjustments import Deduction
from planning.compute import COUNTY_FACTORS, compute, parse_total
from planning.factors import Factor
from planning.sheet import FactorRows, FactorSheet

D = Decimal
ORDER = ["乌鲁木齐市", "伊犁州", "喀什地区"]
ONE_FACTOR = [Factor("f", D(1))]


def sheet(values, counties=None):
    rows = {name: {"f": D(value)} for name, value in values.items()}
    county_rows = None
    if counties is not None:
        county_rows = FactorRows(ONE_FACTOR, {key: {"f": D(v)} for key, v in counties.items()}, {})
    return FactorSheet(FactorRows(ONE_FACTOR, rows, {}), county_rows)


PREVIOUS = {
    "乌鲁木齐市": [("天山区", D(1)), ("沙依巴克区", D(1))],
    "伊犁州": [("伊宁市", D(3))],
    "喀什地区": [("喀什市", D(2)), ("疏附县", D(1))],
}


def test_it_puts_the_prefectures_in_the_notices_order_whatever_the_sheets_order():
    plan = compute(100, sheet({"喀什地区": 1, "乌鲁木齐市": 1}), ORDER, previous_lines=PREVIOUS)
    assert [p.name for p in plan.prefectures] == ["乌鲁木齐市", "喀什地区"]


def test_it_breaks_a_tie_at_the_prefectures_by_the_notices_order():
    # Three equal shares of 100: the one unit left goes to 乌鲁木齐市, first in the notice, though last in the sheet.
    values = {"喀什地区": 1, "伊犁州": 1, "乌鲁木齐市": 1}
    plan = compute(100, sheet(values), ORDER, previous_lines=PREVIOUS)
    assert plan.amounts() == {"乌鲁木齐市": 34, "伊犁州": 33, "喀什地区": 33}


def test_it_renormalises_the_adjusted_shares_to_the_total():
    # 甲 优 (+5%) on equal shares: 1050 : 1000 : 1000 of 3000 → 1033.x, 983.x, 983.x.
    plan = compute(3000, sheet({name: 1 for name in ORDER}), ORDER, previous_lines=PREVIOUS, grades={"乌鲁木齐市": "优"})
    amounts = plan.amounts()
    assert sum(amounts.values()) == 3000
    assert amounts == {"乌鲁木齐市": 1033, "伊犁州": 984, "喀什地区": 983}


def test_it_refuses_a_deduction_for_a_prefecture_not_in_the_sheet():
    deduction = Deduction("伊犁州", D(1), "问题", "文号", row=3)
    with pytest.raises(ImportRefused, match="扣减表第3行：伊犁州 不在因素表中"):
        compute(100, sheet({"乌鲁木齐市": 1}), ORDER, previous_lines=PREVIOUS, deductions=[deduction])


def test_it_splits_each_prefecture_over_its_counties_by_the_previous_shares_summing_to_its_amount():
    plan = compute(1000, sheet({name: 1 for name in ORDER}), ORDER, previous_lines=PREVIOUS, previous_number="上批")
    for p in plan.prefectures:
        assert sum(c.amount for c in p.counties) == p.amount
        assert p.county_basis == "上次分配比例（上批）"
    kashgar = plan.prefectures[2]
    assert [(c.name, c.amount) for c in kashgar.counties] == [("喀什市", 222), ("疏附县", 111)]


def test_it_splits_by_the_county_factors_where_the_sheet_has_them():
    counties = {("喀什地区", "喀什市"): 1, ("喀什地区", "疏附县"): 3}
    plan = compute(999, sheet({name: 1 for name in ORDER}, counties), ORDER, previous_lines=PREVIOUS,
                   counties_of={"喀什地区": ["喀什市", "疏附县"]})
    kashgar = plan.prefectures[2]
    assert kashgar.county_basis == COUNTY_FACTORS
    assert [(c.name, c.amount) for c in kashgar.counties] == [("喀什市", 83), ("疏附县", 250)]
    # 乌鲁木齐市 is not on the county sheet: the previous shares.
    assert plan.prefectures[0].county_basis.startswith("上次分配比例")


def test_it_refuses_a_prefecture_with_no_way_to_split_it():
    with pytest.raises(ImportRefused, match="伊犁州：没有已下达的上次分配文件，无法拆分到县（市、区）"):
        compute(100, sheet({"伊犁州": 1}), ORDER, previous_lines={})


@pytest.mark.parametrize("text, message", [
    ("80000.5", "总额 80000.5 万元不是整数"),
    ("八万", "总额“八万”不是数字"),
    ("", "不是数字"),
    ("-5", "应大于 0"),
    ("0", "应大于 0"),
])
def test_it_refuses_a_total_that_is_not_a_whole_positive_number(text, message):
    with pytest.raises(ImportRefused, match=message):
        parse_total(text)


def test_it_reads_a_whole_total_written_with_decimals_or_separators():
    assert parse_total("80,000") == 80000
    assert parse_total("80000.00") == 80000

"""Factor shares (planning/factors.py): Σ(weight × value ÷ Σ values)."""

from decimal import Decimal

import pytest

from core.refusals import ImportRefused
from planning.factors import Factor, shares

D = Decimal


def test_it_weights_each_factors_proportion():
    factors = [Factor("就业任务", D("0.4")), Factor("失业人员", D("0.6"))]
    values = {"甲": {"就业任务": D(30), "失业人员": D(10)}, "乙": {"就业任务": D(70), "失业人员": D(30)}}

    result = {s.key: s for s in shares(factors, values)}

    # 甲: 0.4 × 30/100 + 0.6 × 10/40 = 0.12 + 0.15
    assert result["甲"].contributions == {"就业任务": D("0.12"), "失业人员": D("0.15")}
    assert result["甲"].share == D("0.27")
    assert result["乙"].share == D("0.73")


def test_it_keeps_the_order_it_is_given():
    factors = [Factor("f", D(1))]
    values = {"乙": {"f": D(1)}, "甲": {"f": D(3)}}
    assert [s.key for s in shares(factors, values)] == ["乙", "甲"]


def test_it_refuses_a_factor_whose_values_are_all_zero_naming_it():
    factors = [Factor("培训任务", D("0.5")), Factor("失业人员", D("0.5"))]
    values = {"甲": {"培训任务": D(0), "失业人员": D(1)}}
    with pytest.raises(ImportRefused, match="因素“培训任务”各行数值合计为 0"):
        shares(factors, values)

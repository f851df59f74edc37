"""激励约束 (planning/adjustments.py): grade, execution and audit deductions on the factor share."""

from decimal import Decimal

import pytest

from core.refusals import ImportRefused
from planning.adjustments import DEDUCTION, EXECUTION, GRADE, Deduction, Rules, adjust

D = Decimal
TWO = [("甲", "甲", D("0.5")), ("乙", "乙", D("0.5"))]


def by_key(result):
    return {entry.key: entry for entry in result}


@pytest.mark.parametrize("grade, expected", [("优", D("1050")), ("良", D("1000")), ("中", D("970")), ("差", D("950"))])
def test_it_moves_the_share_by_the_default_rate_of_each_grade(grade, expected):
    entry = by_key(adjust(TWO, 2000, grades={"甲": grade}))["甲"]
    assert entry.base == D(1000)
    assert entry.adjusted == expected
    assert all(a.kind == GRADE and grade in a.reason for a in entry.adjustments)


def test_it_takes_other_rates_when_configured():
    rules = Rules(grade_rates={"优": D("0.10"), "良": D(0), "中": D(0), "差": D("-0.2")})
    assert by_key(adjust(TWO, 2000, grades={"甲": "差"}, rules=rules))["甲"].adjusted == D(800)


def test_it_refuses_an_unknown_grade():
    with pytest.raises(ImportRefused, match="评价等次“甲等”不是"):
        adjust(TWO, 2000, grades={"甲": "甲等"})


def test_it_cuts_3_percent_only_above_30_percent_unspent():
    result = by_key(adjust(TWO, 2000, unspent={"甲": D("0.31"), "乙": D("0.30")}))
    assert result["甲"].adjusted == D(970)
    assert result["甲"].adjustments[0].kind == EXECUTION and "31.00%" in result["甲"].adjustments[0].reason
    assert result["乙"].adjustments == []


def test_it_deducts_an_audit_finding_with_its_reason_and_source():
    deduction = Deduction("甲", D(120), "虚报冒领", "新审〔2024〕2号", row=2)
    entry = by_key(adjust(TWO, 2000, deductions={"甲": [deduction]}))["甲"]
    assert entry.adjusted == D(880)
    assert (entry.adjustments[0].kind, entry.adjustments[0].reason) == (DEDUCTION, "虚报冒领（新审〔2024〕2号）")


def test_it_refuses_a_deduction_larger_than_the_share_naming_the_row():
    deduction = Deduction("甲", D(1001), "虚报冒领", "新审〔2024〕2号", row=5)
    with pytest.raises(ImportRefused, match="扣减表第5行 甲：扣减金额 1001 万元大于该地调整后的因素份额 1000.00 万元"):
        adjust(TWO, 2000, deductions={"甲": [deduction]})


def test_it_allows_a_deduction_of_the_whole_share():
    deduction = Deduction("甲", D(1000), "追回", "新审〔2024〕2号", row=2)
    assert by_key(adjust(TWO, 2000, deductions={"甲": [deduction]}))["甲"].adjusted == D(0)

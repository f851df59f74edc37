"""The 测算说明 workbook (planning/explanation.py): per prefecture, each factor's part, each adjustment and its reason, the rounding."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from planning import explanation
from planning.adjustments import Deduction
from planning.compute import compute
from planning.factors import Factor
from planning.sheet import FactorRows, FactorSheet

D = Decimal
ORDER = ["乌鲁木齐市", "喀什地区"]


def plan():
    factors = [Factor("就业任务", D("0.4")), Factor("失业人员", D("0.6"))]
    rows = {"乌鲁木齐市": {"就业任务": D(30), "失业人员": D(10)}, "喀什地区": {"就业任务": D(70), "失业人员": D(30)}}
    previous = {"乌鲁木齐市": [("天山区", D(1)), ("水磨沟区", D(2))], "喀什地区": [("喀什市", D(1))]}
    deduction = Deduction("喀什地区", D(50), "违规发放补贴", "新审〔2024〕3号", row=2)
    return compute(1001, FactorSheet(FactorRows(factors, rows, {})), ORDER, previous_lines=previous,
                   previous_number="上批", grades={"乌鲁木齐市": "优"}, deductions=[deduction])


def cells(sheet):
    return [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]


def test_it_has_a_summary_and_a_sheet_per_prefecture():
    buffer = io.BytesIO()
    explanation.build(plan(), "新财社〔2024〕1号", "测试").save(buffer)
    workbook = load_workbook(buffer)

    assert workbook.sheetnames == ["汇总", "乌鲁木齐市", "喀什地区"]
    summary = cells(workbook["汇总"])
    assert summary[-3][0] == "合计" and summary[-3][-1] == 1001


def test_it_shows_each_factors_contribution_each_adjustment_and_the_rounding():
    planned = plan()
    buffer = io.BytesIO()
    explanation.build(planned, "新财社〔2024〕1号", "测试").save(buffer)
    kashgar = cells(load_workbook(buffer)["喀什地区"])
    flat = [str(value) for row in kashgar for value in row]

    # 0.4 × 70/100 = 0.28; 0.6 × 30/40 = 0.45
    assert ["就业任务", 70, 100, 0.4, 0.28] in kashgar
    assert ["失业人员", 30, 40, 0.6, 0.45] in kashgar
    assert any(row[:1] == ["审计扣减"] and row[-1] == "违规发放补贴（新审〔2024〕3号）" for row in kashgar)
    assert "取整" in flat and ("余数进1" in flat or "舍去余数" in flat)
    assert ["分配金额（万元）", planned.amounts()["喀什地区"]] in kashgar
    assert [row for row in kashgar if row[:1] == ["小计"]][0][-1] == planned.amounts()["喀什地区"]


def test_it_says_when_there_is_no_adjustment():
    buffer = io.BytesIO()
    explanation.build(plan(), "X", "测试").save(buffer)
    urumqi = cells(load_workbook(buffer)["乌鲁木齐市"])
    assert any(row[:1] == ["绩效评价"] and "优" in row[-1] for row in urumqi)

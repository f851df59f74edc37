"""The factor sheet reader (planning/sheet.py): what it reads, and every refusal naming its row and column."""

import io
from decimal import Decimal

import pytest

from core.refusals import ImportRefused
from planning.sheet import read_factor_sheet
from tests.planning.sheets import factor_sheet, workbook_bytes

PREFECTURES = {"乌鲁木齐市": "乌鲁木齐市", "喀什地区": "喀什地区"}
COUNTIES = {("喀什地区", "喀什市"): "喀什市", ("喀什地区", "疏附县"): "疏附县"}
HEADINGS = ["城镇新增就业任务（0.4）", "失业人员数（0.6）"]


def read(data):
    return read_factor_sheet(io.BytesIO(data), PREFECTURES, COUNTIES)


def refusal(data):
    with pytest.raises(ImportRefused) as refused:
        read(data)
    return "\n".join(refused.value.errors)


def test_it_reads_factors_weights_and_values():
    sheet = read(factor_sheet(HEADINGS, [("乌鲁木齐市", 100, "20.5"), ("喀什地区", 300, 40)]))

    assert [(f.name, f.weight) for f in sheet.prefectures.factors] == [("城镇新增就业任务", Decimal("0.4")), ("失业人员数", Decimal("0.6"))]
    assert sheet.prefectures.rows["乌鲁木齐市"] == {"城镇新增就业任务": Decimal(100), "失业人员数": Decimal("20.5")}
    assert sheet.counties is None


def test_it_reads_the_optional_county_sheet():
    sheet = read(factor_sheet(HEADINGS, [("喀什地区", 1, 1)], county_rows=[("喀什地区", "喀什市", 1, 2), ("喀什地区", "疏附县", 3, 4)]))
    assert sheet.counties.rows[("喀什地区", "疏附县")] == {"城镇新增就业任务": Decimal(3), "失业人员数": Decimal(4)}


def test_it_passes_over_title_rows_above_the_header():
    data = workbook_bytes([("因素", [["2024年就业补助资金分配因素表"], ["单位：人"], ["地（州、市）", "培训任务（1）"], ["喀什地区", 5]])])
    assert read(data).prefectures.row_numbers == {"喀什地区": 4}


@pytest.mark.parametrize("rows, headings, message", [
    ([("乌鲁木齐市", -1, 1)], HEADINGS, "第2行 乌鲁木齐市 B2（城镇新增就业任务）：数值 -1 为负数"),
    ([("乌鲁木齐市", None, 1)], HEADINGS, "第2行 乌鲁木齐市 B2（城镇新增就业任务）：数值为空"),
    ([("乌鲁木齐市", "很多", 1)], HEADINGS, "B2（城镇新增就业任务）：“很多”不是数字"),
    ([("乌鲁木齐市", "=1+1", 1)], HEADINGS, "B2（城镇新增就业任务）：是公式（=1+1）"),
    ([("乌鲁木齐市", 1, 1)], ["城镇新增就业任务（0.4）", "失业人员数（0.5）"], "第1行：各因素权重之和为 0.9（0.4＋0.5），应为 1"),
    ([("乌鲁木齐市", 1)], ["城镇新增就业任务"], "B1 表头“城镇新增就业任务”：应为“因素名称（权重）”"),
    ([("乌鲁木齐市", 1)], ["培训任务（1.5）"], "权重“1.5”应为 0 到 1 之间的数"),
    ([("火星市", 1, 1)], HEADINGS, "第2行：未知的地（州、市）“火星市”"),
    ([("喀什地区", 1, 1), ("喀什地区", 2, 2)], HEADINGS, "第3行：喀什地区 重复（第2行已有）"),
    ([], HEADINGS, "表头下没有数据行"),
])
def test_it_refuses_a_bad_value_naming_row_and_column(rows, headings, message):
    assert message in refusal(factor_sheet(headings, rows))


def test_it_refuses_an_unknown_county_naming_its_row():
    data = factor_sheet(HEADINGS, [("喀什地区", 1, 1)], county_rows=[("喀什地区", "火星县", 1, 1)])
    assert "工作表“县市区因素”第2行：喀什地区 没有名为“火星县”的县（市、区）" in refusal(data)


def test_it_refuses_a_county_sheet_with_other_factors():
    data = factor_sheet(HEADINGS, [("喀什地区", 1, 1)], county_rows=[("喀什地区", "喀什市", 1)], county_headings=["培训任务（1）"])
    assert "因素列与工作表“地州市因素”不同" in refusal(data)


def test_it_refuses_a_sheet_without_the_header():
    assert "找不到表头行" in refusal(workbook_bytes([("x", [["名称", "值"], ["喀什地区", 1]])]))


def test_it_refuses_a_file_that_is_not_a_workbook():
    assert "不是有效的 Excel 工作簿" in refusal(b"a,b\n1,2\n")


def test_it_refuses_county_rows_of_a_prefecture_missing_from_the_first_sheet():
    data = factor_sheet(HEADINGS, [("乌鲁木齐市", 1, 1)], county_rows=[("喀什地区", "喀什市", 1, 1)])
    assert "工作表“县市区因素”第2行：喀什地区 不在工作表“地州市因素”中" in refusal(data)

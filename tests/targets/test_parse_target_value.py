"""Every distinct form of 指标值 found in 新财社〔2023〕74号 附件2, and a few a person would also write."""

import json
from decimal import Decimal as D

import pytest
from django.conf import settings

from targets.values import Direction, Operator, parse_target_value, split_wording

FORMS = [
    # raw value, wording (supplies a missing unit), direction, operator, number, unit, base number, base unit
    ("超过80万人次", "享受职业培训补贴人员数量", None, ">=", "80", "万人次", "800000", "人次"),
    ("超过22万人", "享受社会保险补贴人员数量", None, ">=", "22", "万人", "220000", "人"),
    ("超过5.79万人", "享受公益性岗位补贴人员数量", None, ">=", "5.79", "万人", "57900", "人"),
    ("超过1万人", "享受就业见习补贴人员数量", None, ">=", "1", "万人", "10000", "人"),
    ("超过38万人", "城镇新增就业人数", None, ">=", "38", "万人", "380000", "人"),
    ("超过13万人", "失业人员再就业人数", None, ">=", "13", "万人", "130000", "人"),
    ("超过2万人", "就业困难人员就业人数", None, ">=", "2", "万人", "20000", "人"),
    ("≥95%", "符合政策规定的毕业年度高校毕业生享受求职创业补贴比例", None, ">=", "95", "%", "95", "%"),
    ("≥98%", "职业培训补贴发放准确率(%)", None, ">=", "98", "%", "98", "%"),
    ("≥80%", "接受职业培训后取得职业资格证书(…)人员的比例(%)", None, ">=", "80", "%", "80", "%"),
    ("≥85%", "公共就业服务满意度(%)", None, ">=", "85", "%", "85", "%"),
    ("≥90%", "就业扶持政策经办服务满意度(%)", None, ">=", "90", "%", "90", "%"),
    ("5.5%以内", "城镇调查失业率(%)", None, "<=", "5.5", "%", "5.5", "%"),
    ("0起", "因就业问题发生重大群体性事件数量(起)", Direction.LOWER, "<=", "0", "起", "0", "起"),
    ("5个", "国家级高技能人才培训基地建设数量", Direction.HIGHER, ">=", "5", "个", "5", "个"),
    ("12.3", "享受职业技能培训补贴人员数量(万人次)", Direction.HIGHER, ">=", "12.3", "万人次", "123000", "人次"),
    ("5", "享受职业技能培训补贴人员数量(万人次)", Direction.HIGHER, ">=", "5", "万人次", "50000", "人次"),
    ("70000", "享受社会保险补贴人员数量(人)", Direction.HIGHER, ">=", "70000", "人", "70000", "人"),
    ("1925", "享受公益性岗位补贴人员数量(人)", Direction.HIGHER, ">=", "1925", "人", "1925", "人"),
    # Not in the notice, but the same forms as a person writes them.
    ("≥ 95 %", "", None, ">=", "95", "%", "95", "%"),
    ("＞＝９５％", "", None, ">=", "95", "%", "95", "%"),
    ("不低于90%", "", None, ">=", "90", "%", "90", "%"),
    ("3%以下", "", None, "<=", "3", "%", "3", "%"),
    ("100人以上", "", None, ">=", "100", "人", "100", "人"),
    ("≤5.5%", "", None, "<=", "5.5", "%", "5.5", "%"),
    ("7", "国家级大师工作室建设数量(个)", None, "=", "7", "个", "7", "个"),
]

TEXTS = [
    "保持稳定",
    "以自治区最终评审文件为准",
    "原则上不高于当地最低工资标准",
    "单位应缴纳的三项社会保险费或原则上不超过社会保险费实际缴费金额的三分之二",
    "",
    "约80万",
    "80万人次左右",
]


@pytest.mark.parametrize("raw, wording, direction, operator, number, unit, base, base_unit", FORMS)
def test_it_reads_each_value_form(raw, wording, direction, operator, number, unit, base, base_unit):
    value = parse_target_value(raw, wording, direction)

    assert value.raw == raw
    assert (value.operator, value.number, value.unit, value.base_number, value.base_unit) == (
        operator,
        D(number),
        unit,
        D(base),
        base_unit,
    )
    assert "E" not in str(value.base_number)


@pytest.mark.parametrize("raw", TEXTS)
def test_it_keeps_text_as_text(raw):
    value = parse_target_value(raw, "年末高校毕业生总体就业率")

    assert value.is_text
    assert value.operator == Operator.TEXT
    assert (value.number, value.base_number, value.raw) == (None, None, raw)


def test_it_reads_chaoguo_as_reached_at_the_figure():
    # The notice splits 超过38万 into prefecture targets adding up to exactly 380,000.
    assert parse_target_value("超过38万人").operator == Operator.AT_LEAST


def test_it_splits_the_unit_off_an_indicator_name():
    assert split_wording("享受职业技能培训补贴人员数量(万人次)") == ("享受职业技能培训补贴人员数量", "万人次")
    assert split_wording("城镇调查失业率（%）") == ("城镇调查失业率", "%")
    assert split_wording("社会保险补贴人均标准") == ("社会保险补贴人均标准", "")
    # A parenthesis that is not a unit stays part of the name.
    long_name = "接受职业培训后取得职业资格证书(或职业技能等级证书、专项职业能力证书、培训合格证书)人员的比例(%)"
    assert split_wording(long_name)[1] == "%"
    assert split_wording(long_name)[0].endswith("培训合格证书)人员的比例")


def test_it_covers_every_distinct_value_in_the_notice():
    data = json.loads((settings.BASE_DIR / "fixtures" / "targets_xincaishe_2023_74.json").read_text(encoding="utf-8"))
    found = {(row["value"]) for table in data["tables"] for row in table["rows"]}
    listed = {form[0] for form in FORMS} | set(TEXTS)
    bare_numbers = {value for value in found if value.replace(".", "").isdigit()}

    # Every non-bare form is listed above; bare numbers are all one form.
    assert found - bare_numbers <= listed
    for value in bare_numbers:
        parsed = parse_target_value(value, "x(人)", Direction.HIGHER)
        assert parsed.base_number == D(value) and parsed.operator == Operator.AT_LEAST

from datetime import date
from decimal import Decimal as D

from feedback.validation import field_errors, report_errors


def _line(report, **values):
    line = report.lines.get()
    for name, value in values.items():
        setattr(line, name, value)
    return line


def test_it_accepts_spend_within_the_amount(urumqi_july):
    assert field_errors(_line(urumqi_july, spent=D("8294"))) == {}
    assert field_errors(_line(urumqi_july, spent=D("0"))) == {}


def test_it_refuses_spend_over_the_amount_or_below_zero(urumqi_july):
    assert field_errors(_line(urumqi_july, spent=D("8294.01"))) == {"spent": "实际支出金额 8,294.01 超过资金金额 8,294.00"}
    assert field_errors(_line(urumqi_july, spent=D("-1"))) == {"spent": "实际支出金额不能为负数（-1.00）"}


def test_it_names_the_line_in_report_messages(urumqi_july):
    line = _line(urumqi_july, spent=D("9000"))
    assert report_errors([line], {}) == ["第1行 新财社〔2023〕74号：实际支出金额 9,000.00 超过资金金额 8,294.00"]


def test_it_refuses_a_fall_below_last_months_accepted_spend_without_an_explanation(urumqi_july):
    line = _line(urumqi_july, spent=D("4000"))
    assert field_errors(line, previous_spent=D("4500")) == {
        "decrease_explanation": "累计实际支出 4,000.00 低于上月已审核的 4,500.00，请填写支出减少说明"
    }
    line.decrease_explanation = "6月误报，已按国库数据更正"
    assert field_errors(line, previous_spent=D("4500")) == {}


def test_it_only_takes_the_nine_uses_of_the_notice(urumqi_july):
    assert field_errors(_line(urumqi_july, uses=["vocational_training", "internship"])) == {}
    assert "uses" in field_errors(_line(urumqi_july, uses=["banquets"]))


def test_it_needs_a_spend_and_a_use_to_submit(urumqi_july):
    assert field_errors(_line(urumqi_july), submitting=True) == {"spent": "请填写实际支出金额"}
    errors = field_errors(_line(urumqi_july, spent=D("5000")), submitting=True)
    assert errors == {"uses": "已有支出，请选择资金支出方向"}


def test_it_needs_reason_measure_and_a_later_deadline_for_a_lagging_line(urumqi_july):
    line = _line(urumqi_july, spent=D("1000"), uses=["vocational_training"])
    errors = field_errors(line, submitting=True)
    assert errors == {
        "reason": "支出进度 12.06% 低于时间进度 58.33%，须填写未按计划支出的原因",
        "measure": "支出进度 12.06% 低于时间进度 58.33%，须填写整改措施",
        "measure_deadline": "支出进度 12.06% 低于时间进度 58.33%，须填写整改时间",
    }
    line.reason, line.measure, line.measure_deadline = "项目尚未完成验收", "加快拨付进度", date(2023, 7, 31)
    assert field_errors(line, submitting=True) == {"measure_deadline": "整改时间须晚于 2023-07-31"}
    line.measure_deadline = date(2023, 9, 30)
    assert field_errors(line, submitting=True) == {}


def test_it_does_not_ask_a_line_on_schedule_for_reasons(urumqi_july):
    line = _line(urumqi_july, spent=D("5000"), uses=["social_insurance"])
    assert field_errors(line, submitting=True) == {}

"""The 6月 绩效运行监控表: 1–6月执行情况, the full-year forecast that is judged, how likely the target
is, and a categorised reason wherever the forecast falls short or is not certain."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from targets.models import Actual, Checkpoint
from targets.monitoring import record_actual
from tests.targets.review_helpers import approved, table_of, target_of

MID, END = Checkpoint.MID_YEAR, Checkpoint.YEAR_END
JOBS = "城镇新增就业人数"
EXPLAINED = {"deviation_category": "funding", "deviation_reason": "上半年资金到位较晚", "improvement_measure": "下半年加快拨付"}


@pytest.fixture
def new_jobs(reference_data, region_admin, hr_reviewer):
    # 乌鲁木齐市: 城镇新增就业人数(人) 103000
    return target_of(approved(table_of("乌鲁木齐市"), region_admin, hr_reviewer), JOBS)


def _refusal(target, checkpoint, raw, user, **fields):
    with pytest.raises(ValidationError) as refused:
        record_actual(target, checkpoint, raw, user, **fields)
    assert not Actual.objects.filter(target=target).exists()
    return refused.value.messages


def test_it_judges_the_forecast_not_the_half_year_figure(new_jobs, officer_urumqi):
    actual = record_actual(new_jobs, MID, "52000", officer_urumqi, forecast="105000", possibility="certain")

    assert (actual.verdict, actual.base_number) == ("met", Decimal("52000"))
    assert (actual.deviation_reason, actual.improvement_measure, actual.deviation_category) == ("", "", "")


def test_it_needs_no_reason_for_a_forecast_that_meets_the_target_without_a_possibility(new_jobs, officer_urumqi):
    assert record_actual(new_jobs, MID, "52000", officer_urumqi, forecast="10.4万人").verdict == "met"


def test_it_needs_a_categorised_reason_for_a_forecast_that_falls_short(new_jobs, officer_urumqi):
    messages = _refusal(new_jobs, MID, "52000", officer_urumqi, forecast="98000", possibility="certain")

    assert messages == [
        "城镇新增就业人数：全年预计完成值未达到目标，必须选择偏差原因类别。",
        "城镇新增就业人数：全年预计完成值未达到目标，必须填写偏差原因。",
        "城镇新增就业人数：全年预计完成值未达到目标，必须填写改进措施。",
    ]


def test_it_saves_a_short_forecast_with_its_category_reason_and_measure(new_jobs, officer_urumqi):
    actual = record_actual(new_jobs, MID, "52000", officer_urumqi, forecast="98000", possibility="likely", **EXPLAINED)

    assert actual.verdict == "not_met"
    assert (actual.get_deviation_category_display(), actual.get_possibility_display()) == ("经费保障", "有可能")


@pytest.mark.parametrize("possibility, label", [("likely", "有可能"), ("impossible", "完全不可能")])
def test_it_needs_a_reason_when_the_target_is_not_certain_to_be_met(new_jobs, officer_urumqi, possibility, label):
    messages = _refusal(new_jobs, MID, "52000", officer_urumqi, forecast="105000", possibility=possibility)

    assert messages == [
        f"城镇新增就业人数：完成目标可能性为“{label}”，必须选择偏差原因类别。",
        f"城镇新增就业人数：完成目标可能性为“{label}”，必须填写偏差原因。",
        f"城镇新增就业人数：完成目标可能性为“{label}”，必须填写改进措施。",
    ]
    actual = record_actual(new_jobs, MID, "52000", officer_urumqi, forecast="105000", possibility=possibility, **EXPLAINED)
    assert actual.verdict == "met"


def test_it_judges_a_half_year_figure_without_a_forecast_against_the_full_year_as_before(new_jobs, officer_urumqi):
    # Rows recorded before the 监控表 have no forecast; they keep their meaning.
    assert _refusal(new_jobs, MID, "52000", officer_urumqi) == [
        "城镇新增就业人数：未完成目标，必须填写偏差原因。",
        "城镇新增就业人数：未完成目标，必须填写改进措施。",
    ]


def test_it_wants_the_forecast_before_its_possibility_or_category(new_jobs, officer_urumqi):
    assert _refusal(new_jobs, MID, "104000", officer_urumqi, possibility="certain") == [
        "城镇新增就业人数：填写了完成目标可能性或偏差原因类别，必须填写全年预计完成值。"
    ]


def test_it_reads_the_forecast_as_an_actual_and_refuses_a_bare_figure_a_hundredfold_off(new_jobs, officer_urumqi):
    assert _refusal(new_jobs, MID, "5.2万人", officer_urumqi, forecast="10.5") == [
        "城镇新增就业人数：全年预计完成值“10.5”按“人”理解为10.5人，是否应为10.5万人？"
        "请在数字后写明单位（如“105000人”或“10.5万人”）。"
    ]


def test_it_refuses_a_category_or_possibility_it_does_not_know(new_jobs, officer_urumqi):
    messages = _refusal(new_jobs, MID, "52000", officer_urumqi, forecast="105000", possibility="maybe")

    assert len(messages) == 1 and messages[0].startswith("城镇新增就业人数：") and "maybe" in messages[0]


def test_it_judges_the_year_end_figure_itself_as_before(new_jobs, officer_urumqi):
    record_actual(new_jobs, MID, "52000", officer_urumqi, forecast="105000", possibility="certain")

    assert _end_refusal(new_jobs, officer_urumqi, "98000") == [
        "城镇新增就业人数：未完成目标，必须填写偏差原因。",
        "城镇新增就业人数：未完成目标，必须填写改进措施。",
    ]
    actual = record_actual(new_jobs, END, "104000", officer_urumqi)
    assert (actual.verdict, actual.forecast, actual.possibility) == ("met", "", "")


def _end_refusal(target, user, raw, **fields):
    with pytest.raises(ValidationError) as refused:
        record_actual(target, END, raw, user, **fields)
    assert not Actual.objects.filter(target=target, checkpoint=END).exists()
    return refused.value.messages


def test_it_does_not_ask_for_a_forecast_at_year_end(new_jobs, officer_urumqi):
    assert _end_refusal(new_jobs, officer_urumqi, "104000", forecast="105000", possibility="certain") == [
        "城镇新增就业人数：全年预计完成值只在6月（年中）监控时填写。",
        "城镇新增就业人数：完成目标可能性只在6月（年中）监控时填写。",
    ]


def test_it_backs_the_mid_year_rules_in_the_database(new_jobs, officer_urumqi):
    actual = record_actual(new_jobs, MID, "52000", officer_urumqi, forecast="98000", possibility="likely", **EXPLAINED)
    rows = Actual.objects.filter(pk=actual.pk)

    for change in ({"deviation_category": ""}, {"deviation_reason": ""}, {"checkpoint": END}, {"forecast": ""}):
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.update(**change)


def test_it_keeps_a_row_recorded_before_the_monitoring_form(new_jobs):
    # What 0003 leaves on an existing row: no forecast, no possibility, no category, and the old rule.
    actual = Actual.objects.create(
        target=new_jobs, checkpoint=MID, raw_value="52000", deviation_reason="年中", improvement_measure="加力"
    )

    assert (actual.forecast, actual.possibility, actual.deviation_category, actual.verdict) == ("", "", "", "not_met")

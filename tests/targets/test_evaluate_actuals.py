"""双监控 verdicts: an actual figure judged against the notice's own targets, and the
rule that a shortfall is explained before it is saved."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from targets.evaluation import evaluate
from targets.models import REGION_SCOPE, Actual, TableStatus, TargetTable
from targets.monitoring import record_actual
from tests.targets.review_helpers import approved, table_of, target_of

MET, NOT_MET, NOT_CHECKABLE = "met", "not_met", "not_checkable"


def _verdict(scope, name, raw):
    return evaluate(target_of(table_of(scope), name), raw)[1]


@pytest.mark.parametrize(
    "raw, verdict",
    [("95%", MET), ("95", MET), ("99.5%", MET), ("94.9%", NOT_MET), ("94.9", NOT_MET)],
)
def test_it_judges_an_at_least_target(reference_data, raw, verdict):
    # 乌鲁木齐市: ≥95%
    assert _verdict("乌鲁木齐市", "符合政策规定的毕业年度高校毕业生享受求职创业补贴比例", raw) == verdict


@pytest.mark.parametrize(
    "raw, verdict",
    # 超过38万人 is reached at exactly 38万: the prefectures' targets add up to 380,000.
    [("38万人", MET), ("380000人", MET), ("380,000人", MET), ("379999人", NOT_MET), ("37.9万人", NOT_MET)],
)
def test_it_reads_chao_guo_as_reached_at_the_figure(reference_data, raw, verdict):
    assert _verdict(REGION_SCOPE, "城镇新增就业人数", raw) == verdict


@pytest.mark.parametrize("raw, verdict", [("5.5%", MET), ("5.2", MET), ("5.6%", NOT_MET), ("8", NOT_MET)])
def test_it_judges_yi_nei_as_lower_is_better(reference_data, raw, verdict):
    # 自治区: 城镇调查失业率 5.5%以内
    assert _verdict(REGION_SCOPE, "城镇调查失业率", raw) == verdict


@pytest.mark.parametrize(
    "raw, verdict", [("12.5", MET), ("12.3", MET), ("12.0", NOT_MET), ("123000人次", MET), ("122999人次", NOT_MET)]
)
def test_it_reads_a_bare_figure_in_the_unit_of_the_indicator(reference_data, raw, verdict):
    # 乌鲁木齐市: 享受职业技能培训补贴人员数量(万人次) 12.3
    assert _verdict("乌鲁木齐市", "享受职业技能培训补贴人员数量", raw) == verdict


def test_it_reads_an_actual_in_its_own_unit(reference_data):
    # 自治区: 失业人员再就业人数 超过13万人
    target = target_of(table_of(REGION_SCOPE), "失业人员再就业人数")
    assert evaluate(target, "130000人") == (Decimal("130000"), MET)
    assert evaluate(target, "129999人")[1] == NOT_MET


@pytest.mark.parametrize("raw, verdict", [("0", MET), ("0起", MET), ("1", NOT_MET), ("2起", NOT_MET)])
def test_it_wants_no_more_than_zero_incidents(reference_data, raw, verdict):
    assert _verdict("乌鲁木齐市", "因就业问题发生重大群体性事件数量", raw) == verdict


def test_it_cannot_judge_a_text_target(reference_data):
    # 年末高校毕业生总体就业率: 保持稳定
    assert _verdict("乌鲁木齐市", "年末高校毕业生总体就业率", "96%") == NOT_CHECKABLE


@pytest.mark.parametrize("raw", ["基本完成", "约95%", "95人"])
def test_it_cannot_judge_a_text_actual_or_one_in_another_unit(reference_data, raw):
    assert _verdict("乌鲁木齐市", "符合政策规定的毕业年度高校毕业生享受求职创业补贴比例", raw) == NOT_CHECKABLE


@pytest.mark.parametrize(
    "raw, verdict",
    # The notice's 超过38万人 against a head count, whichever way its unit is written.
    [("30万人", NOT_MET), ("300000人", NOT_MET), ("300,000人", NOT_MET), ("38万人", MET), ("380000人", MET)],
)
def test_it_judges_a_figure_that_names_its_unit_as_written(reference_data, raw, verdict):
    assert _verdict(REGION_SCOPE, "城镇新增就业人数", raw) == verdict


def test_it_reads_a_bare_figure_in_the_targets_unit(reference_data):
    # What evaluate() does with "300000" on its own; recording it is refused (below).
    assert evaluate(target_of(table_of(REGION_SCOPE), "城镇新增就业人数"), "300000") == (Decimal("3000000000"), MET)


@pytest.fixture
def region_jobs(reference_data):
    # Whether the notice's tables load issued or as drafts, this one takes figures.
    TargetTable.objects.filter(document__number="新财社〔2023〕74号", prefecture=None).update(status=TableStatus.APPROVED)
    return target_of(table_of(REGION_SCOPE), "城镇新增就业人数")


def test_it_refuses_a_bare_head_count_against_a_target_in_wan(region_jobs, region_admin):
    with pytest.raises(ValidationError) as refused:
        record_actual(region_jobs, "12", "300000", region_admin)

    assert refused.value.messages == [
        "城镇新增就业人数：“300000”按“万人”理解为300000万人，是否应为30万人？请在数字后写明单位（如“300000人”或“30万人”）。"
    ]
    assert not Actual.objects.exists()


@pytest.mark.parametrize("raw", ["30万人", "300000人"])
def test_it_records_a_head_count_that_names_its_unit_as_not_met(region_jobs, region_admin, raw):
    actual = record_actual(region_jobs, "12", raw, region_admin, deviation_reason="企业用工回落", improvement_measure="加大岗位开发")

    assert (actual.base_number, actual.verdict) == (Decimal("300000"), NOT_MET)


def test_it_refuses_a_rate_typed_as_a_fraction(reference_data, region_admin):
    TargetTable.objects.filter(document__number="新财社〔2023〕74号", prefecture=None).update(status=TableStatus.APPROVED)
    target = target_of(table_of(REGION_SCOPE), "符合政策规定的毕业年度高校毕业生享受求职创业补贴比例")

    with pytest.raises(ValidationError) as refused:
        record_actual(target, "12", "0.96", region_admin)

    assert refused.value.messages == [
        "符合政策规定的毕业年度高校毕业生享受求职创业补贴比例：“0.96”按“%”理解为0.96%，是否应为96%？"
        "请在数字后写明单位（如“0.96%”或“96%”）。"
    ]
    assert record_actual(target, "12", "96%", region_admin).verdict == MET


@pytest.fixture
def new_jobs(reference_data, region_admin, hr_reviewer):
    # 乌鲁木齐市: 城镇新增就业人数(人) 103000, approved so that figures can be recorded
    table = approved(table_of("乌鲁木齐市"), region_admin, hr_reviewer)
    return target_of(table, "城镇新增就业人数")


def test_it_records_a_met_figure_with_its_verdict(new_jobs, officer_urumqi):
    actual = record_actual(new_jobs, "06", "10.4万人", officer_urumqi)

    assert (actual.verdict, actual.base_number, actual.recorded_by) == (MET, Decimal("104000"), officer_urumqi)


def test_it_refuses_a_shortfall_without_a_reason_and_a_measure(new_jobs, officer_urumqi):
    with pytest.raises(ValidationError) as refused:
        record_actual(new_jobs, "12", "98000", officer_urumqi, deviation_reason="  ")

    assert refused.value.messages == [
        "城镇新增就业人数：未完成目标，必须填写偏差原因。",
        "城镇新增就业人数：未完成目标，必须填写改进措施。",
    ]
    assert not Actual.objects.filter(target=new_jobs).exists()


def test_it_saves_a_shortfall_with_its_reason_and_measure(new_jobs, officer_urumqi):
    actual = record_actual(
        new_jobs, "12", "98000", officer_urumqi, deviation_reason="重点企业减员", improvement_measure="加大岗位开发"
    )

    assert actual.verdict == NOT_MET
    assert (actual.deviation_reason, actual.improvement_measure) == ("重点企业减员", "加大岗位开发")


def test_it_backs_the_explanation_rule_in_the_database(new_jobs, officer_urumqi):
    actual = record_actual(new_jobs, "12", "98000", officer_urumqi, deviation_reason="减员", improvement_measure="开发岗位")

    with pytest.raises(IntegrityError), transaction.atomic():
        Actual.objects.filter(pk=actual.pk).update(improvement_measure="")


def test_it_updates_the_figure_of_a_checkpoint_in_place(new_jobs, officer_urumqi):
    record_actual(new_jobs, "06", "50000", officer_urumqi, deviation_reason="季节因素", improvement_measure="下半年加力")

    record_actual(new_jobs, "06", "104000", officer_urumqi)

    actual = Actual.objects.get(target=new_jobs)
    assert (actual.raw_value, actual.verdict) == ("104000", MET)
    assert actual.history.count() == 2


def test_it_refuses_figures_for_a_table_not_yet_approved(drafted_tables, officer_urumqi):
    target = target_of(table_of("乌鲁木齐市"), "城镇新增就业人数")

    with pytest.raises(ValidationError) as refused:
        record_actual(target, "06", "104000", officer_urumqi)

    assert refused.value.messages == ["该表当前状态为“草稿”，审核通过后才能填报实际完成值。"]


@pytest.mark.parametrize("who", ["officer_kashgar", "hr_reviewer", "auditor"])
def test_it_takes_figures_only_from_the_prefecture_or_the_region_admin(request, new_jobs, who):
    with pytest.raises(PermissionDenied):
        record_actual(new_jobs, "06", "104000", request.getfixturevalue(who))

    assert not Actual.objects.exists()


def test_it_refuses_an_unknown_checkpoint(new_jobs, region_admin):
    with pytest.raises(ValidationError) as refused:
        record_actual(new_jobs, "09", "104000", region_admin)

    assert refused.value.messages == ["监控时点只能是6月（年中）或12月（年末）。"]

"""draft → submitted → approved or returned: who may take each step, what it needs, and the history kept."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from evaluation import workflow
from evaluation.building import build
from evaluation.grades import grades_for
from evaluation.models import Evaluation, EvaluationStatus, Grade, IndicatorScore, Method
from tests.evaluation.helpers import NOTICE, notice, pay, record_year_end, table_of


@pytest.fixture
def evaluation(reference_data):
    table = table_of()
    record_year_end(table)
    pay(table)
    return build(table, 2023)


def _score_every_text(evaluation, user):
    for row in evaluation.scores.filter(method=Method.REVIEWER):
        workflow.score_by_reviewer(row, user, row.weight, "已按文件完成")


def test_it_approves_only_when_every_text_indicator_has_a_score(evaluation, region_admin, hr_reviewer):
    workflow.submit(evaluation, region_admin)
    with pytest.raises(ValidationError) as refused:
        workflow.approve(evaluation, hr_reviewer)
    assert "项指标待审核员评分" in refused.value.messages[0]

    _score_every_text(evaluation, hr_reviewer)
    workflow.approve(evaluation, hr_reviewer)

    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.APPROVED
    assert evaluation.score == Decimal("100.00") and evaluation.grade == Grade.EXCELLENT
    assert [record.status for record in evaluation.history.order_by("history_date", "history_id")][-2:] == ["submitted", "approved"]


def test_it_needs_a_reason_to_return_and_keeps_it(evaluation, region_admin, hr_reviewer):
    workflow.submit(evaluation, region_admin)
    with pytest.raises(ValidationError, match="退回必须填写原因。"):
        workflow.return_evaluation(evaluation, hr_reviewer, "  ")

    workflow.return_evaluation(evaluation, hr_reviewer, "执行率数据待核实")

    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.RETURNED and evaluation.return_reason == "执行率数据待核实"
    assert evaluation.history.filter(history_change_reason="执行率数据待核实").exists()
    workflow.submit(evaluation, region_admin)  # a returned evaluation goes back in


def test_it_keeps_roles_to_their_steps(evaluation, region_admin, hr_reviewer, auditor, officer_urumqi):
    for user in (hr_reviewer, auditor, officer_urumqi):
        with pytest.raises(PermissionDenied):
            workflow.submit(evaluation, user)
    workflow.submit(evaluation, region_admin)
    for user in (region_admin, auditor, officer_urumqi):
        with pytest.raises(PermissionDenied):
            workflow.approve(evaluation, user)


def test_it_refuses_new_weights_or_a_rebuild_under_review(evaluation, region_admin):
    workflow.submit(evaluation, region_admin)
    weights = {"weight_output": "50", "weight_benefit": "30", "weight_satisfaction": "10", "weight_execution": "10"}
    with pytest.raises(ValidationError, match="已提交"):
        workflow.set_weights(evaluation, region_admin, weights)
    with pytest.raises(ValidationError, match="已提交"):
        build(table_of(), 2023)


def test_it_refuses_a_formula_scored_indicator_to_the_reviewer(evaluation, hr_reviewer):
    row = evaluation.scores.filter(method=Method.FORMULA).first()
    with pytest.raises(ValidationError, match="按公式计分"):
        workflow.score_by_reviewer(row, hr_reviewer, "0", "不同意")


def test_it_holds_the_weights_and_score_rules_in_the_database(evaluation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.filter(pk=evaluation.pk).update(weight_execution=5)
    row = evaluation.scores.filter(method=Method.REVIEWER).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorScore.objects.filter(pk=row.pk).update(score=row.weight + 1, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorScore.objects.filter(pk=row.pk).update(score=0, reason="")


def test_it_reports_approved_grades_for_planning(evaluation, region_admin, hr_reviewer):
    assert grades_for(notice(), 2023) == {}
    workflow.submit(evaluation, region_admin)
    _score_every_text(evaluation, hr_reviewer)
    workflow.approve(evaluation, hr_reviewer)

    assert grades_for(notice(), 2023) == {evaluation.prefecture_id: Grade.EXCELLENT}
    assert grades_for(NOTICE, 2023) == {evaluation.prefecture_id: "excellent"}
    assert grades_for(NOTICE, 2024) == {}

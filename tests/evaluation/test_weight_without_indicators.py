"""A group's weight with no indicator under it is refused at submission, naming the group, until it is moved."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evaluation import workflow
from evaluation.building import build
from evaluation.models import EvaluationStatus, Method
from targets.models import Level1
from tests.evaluation.helpers import pay, record_year_end, table_of


@pytest.fixture
def without_satisfaction(reference_data):
    table = table_of()
    # A table whose 满意度指标 rows were never filled in (the notice's tables all have two).
    table.targets.filter(indicator__level1=Level1.SATISFACTION).delete()
    record_year_end(table)
    pay(table)
    return build(table, 2023)


def test_it_refuses_to_submit_a_weight_no_indicator_can_score(without_satisfaction, region_admin):
    with pytest.raises(ValidationError) as refused:
        workflow.submit(without_satisfaction, region_admin)

    assert "满意度指标（10.00）下没有三级指标" in refused.value.messages[0]
    without_satisfaction.refresh_from_db()
    assert without_satisfaction.status == EvaluationStatus.DRAFT


def test_it_submits_once_the_weight_is_moved_and_a_perfect_year_reaches_100(without_satisfaction, region_admin, hr_reviewer):
    evaluation = workflow.set_weights(without_satisfaction, region_admin, {
        "weight_output": "50", "weight_benefit": "40", "weight_satisfaction": "0", "weight_execution": "10",
    })
    workflow.submit(evaluation, region_admin)
    for row in evaluation.scores.filter(method=Method.REVIEWER):
        workflow.score_by_reviewer(row, hr_reviewer, row.weight, "已按文件完成")

    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED
    assert evaluation.score == Decimal("100.00")

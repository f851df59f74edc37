"""The grade bands, the even split of a group's weight, and the execution rate's sources."""

import datetime
from decimal import Decimal

import pytest

from evaluation.building import build, split_weight
from evaluation.grading import grade_of
from evaluation.models import Grade
from feedback.models import FeedbackLine, FeedbackReport, ReportStatus
from tests.evaluation.helpers import pay, record_year_end, table_of

D = Decimal


@pytest.mark.parametrize(
    "score, grade",
    [("100", Grade.EXCELLENT), ("90", Grade.EXCELLENT), ("89.99", Grade.GOOD), ("80", Grade.GOOD),
     ("79.99", Grade.FAIR), ("60", Grade.FAIR), ("59.99", Grade.POOR), ("0", Grade.POOR)],
)
def test_it_grades_by_the_bands(score, grade):
    assert grade_of(D(score)) == grade


@pytest.mark.parametrize("total, count", [("50", 17), ("30", 7), ("10", 2), ("10", 3), ("0", 4)])
def test_it_splits_a_group_weight_to_the_cent_adding_up_exactly(total, count):
    parts = split_weight(D(total), count)
    assert sum(parts) == D(total)
    assert max(parts) - min(parts) <= D("0.01")
    assert parts == sorted(parts, reverse=True)  # the extra cents go to the first rows


def test_it_takes_the_execution_rate_from_the_treasury(reference_data):
    table = table_of()
    record_year_end(table)
    pay(table, share=D("0.5"))

    evaluation = build(table, 2023)

    assert (evaluation.execution_rate, evaluation.spent_source) == (D("50.00"), "国库支付")
    assert evaluation.execution_score == D("5.0000")


def test_it_falls_back_to_the_reported_figure_without_payments(reference_data):
    table = table_of()
    record_year_end(table)
    subtotal = table.document.subtotals.get(prefecture=table.prefecture).declared_amount
    report = FeedbackReport.objects.create(
        prefecture=table.prefecture, month=datetime.date(2023, 12, 1), due_date=datetime.date(2023, 12, 31),
        status=ReportStatus.ACCEPTED,
    )
    FeedbackLine.objects.create(
        report=report, document=table.document, fund_name="就业补助资金", document_number=table.document.number,
        amount=subtotal, spent=subtotal * D("0.8"), direct_mark=table.document.direct_mark, position=1,
    )

    evaluation = build(table, 2023)

    assert evaluation.execution_rate == D("80.00")
    assert evaluation.spent_source == "附件3 2023-12反馈表"


def test_it_scores_no_execution_without_a_record(reference_data):
    table = table_of()
    evaluation = build(table, 2023)
    assert (evaluation.execution_rate, evaluation.spent_source, evaluation.execution_score) == (D("0.00"), "无支出记录", D("0"))


def test_it_scores_lower_is_better_rows_of_the_notice_in_a_build(reference_data):
    table = table_of()
    record_year_end(table, {"城镇调查失业率": "11%", "因就业问题发生重大群体性事件数量": "1起"})
    pay(table)

    evaluation = build(table, 2023)

    rate = evaluation.scores.get(target__indicator__name="城镇调查失业率")
    incidents = evaluation.scores.get(target__indicator__name="因就业问题发生重大群体性事件数量")
    assert rate.score == rate.weight / 2 and rate.note == "目标/实际 = 5.5/11"
    assert incidents.score == 0


def test_it_leaves_an_actual_in_another_unit_to_the_reviewer(reference_data):
    table = table_of()
    # 享受社会保险补贴人员数量 is counted in 人; an actual in 人次 cannot be compared with it.
    record_year_end(table, {"享受社会保险补贴人员数量": "70000人次"})

    evaluation = build(table, 2023)

    row = evaluation.scores.get(target__indicator__name="享受社会保险补贴人员数量")
    assert (row.method, row.score, row.note) == ("reviewer", None, "实际值无法与目标比较，由审核员评分")

"""Bad input to the year-end evaluation (issue 16.1): weights, a reviewer's score, a return, the build form, the command.

Each page case builds 乌鲁木齐市's 2023 evaluation first (before the dump: building is not the bad input),
then posts one spoiled field.
"""

from evaluation.building import build
from evaluation.models import Method
from evaluation.workflow import submit
from tests.badinput.case import cases_of, given
from tests.badinput.entries import NOTICE, TARGET_COPY, URUMQI, Input
from tests.targets.review_helpers import table_of

WEIGHTS = {"weight_output": "50", "weight_benefit": "30", "weight_satisfaction": "10", "weight_execution": "10"}


def _evaluation(ctx):
    ctx.fixture("reference_data")
    return build(table_of(URUMQI), 2023)


def weights(**spoiled):
    def builder(ctx):
        return Input(data={**WEIGHTS, **spoiled}, url_args=(_evaluation(ctx).pk,))

    return builder


def reviewer_score(score, reason="评审文件已下达，已完成"):
    def builder(ctx):
        evaluation = _evaluation(ctx)
        row = evaluation.scores.filter(method=Method.REVIEWER).order_by("position").first()
        return Input(data={"score": score, "reason": reason}, url_args=(evaluation.pk, row.pk))

    return builder


def returned(reason):
    def builder(ctx):
        evaluation = _evaluation(ctx)
        submit(evaluation, ctx.fixture("region_admin"))
        return Input(data={"reason": reason}, url_args=(evaluation.pk,))

    return builder


def build_form(**data):
    def builder(ctx):
        ctx.fixture("reference_data")
        return Input(data=data)

    return builder


def the_notice(**data):
    def builder(ctx):
        from allocations.models import AllocationDocument

        return Input(data={"document": AllocationDocument.objects.get(number=NOTICE).pk, **data})

    return builder


def _entry(entry, prefix):
    return cases_of(entry, prefix)


weights_case = _entry("evaluation:weights", "evaluation_weights")
score_case = _entry("evaluation:score", "evaluation_score")
return_case = _entry("evaluation:return", "evaluation_return")
build_case = _entry("evaluation:build", "evaluation_build")
command = _entry("evaluate_performance", "evaluate_performance")

CASES = [
    weights_case("not-100", weights(weight_execution="5"), "各项权重之和须为100，现为95。"),
    weights_case("over-100", weights(weight_output="60"), "各项权重之和须为100，现为110。"),
    weights_case("text", weights(weight_benefit="三十"), "效益指标权重“三十”不是数字。"),
    weights_case("blank", weights(weight_satisfaction=""), "满意度指标权重不能为空。"),
    weights_case("negative", weights(weight_output="-10", weight_benefit="90"), "权重不能为负数：产出指标权重。"),
    weights_case("3-decimals", weights(weight_output="49.995", weight_benefit="30.005"), "产出指标权重“49.995”最多保留两位小数。"),
    weights_case("huge", weights(weight_output="1" * 20), f"产出指标权重“{'1' * 20}”超过100。"),
    weights_case("nan", weights(weight_output="NaN"), "产出指标权重“NaN”不是数字。"),
    score_case("above-weight", reviewer_score("2.95"), "的得分须在0到2.94之间，填写的是2.95。"),
    score_case("negative", reviewer_score("-1"), "的得分须在0到2.94之间，填写的是-1。"),
    score_case("without-reason", reviewer_score("2", reason="  "), "须填写评分理由。"),
    score_case("text", reviewer_score("满分"), "的得分“满分”不是数字。"),
    score_case("blank", reviewer_score(""), "的得分不能为空。"),
    return_case("without-reason", returned("   "), "退回必须填写原因。"),
    build_case("no-document", build_form(year="2023"), "请选择分配文件。"),
    build_case("text-year", the_notice(year="二〇二三"), "评价年度须为整数。"),
    build_case("year-out-of-range", the_notice(year="1999"), "评价年度须在2000到2100之间。"),
    command("unknown-document", given(flags=("新财社〔2023〕999号",)), "找不到文号为 新财社〔2023〕999号 的分配文件。"),
    command("text-year", given(flags=(NOTICE,), options={"--year": "二〇二三"}), "年度“二〇二三”不是2000到2100之间的整数。"),
    command("bad-format", given(flags=(NOTICE,), options={"--format": "pdf"}), "不支持的输出格式“pdf”，只能是 text 或 csv。"),
    command("no-settled-table", given(flags=(TARGET_COPY,)), f"{TARGET_COPY} 没有审核通过的地（州、市）绩效目标表，无法评价。"),
]

"""Building a prefecture's year-end evaluation from its settled target table and the 12月 actuals.

Each group's weight (产出 50, 效益 30, 满意度 10 by default) is split evenly over
its 三级 indicators, to the cent by the largest remainder so the parts add up
to the group's weight exactly (50 over 3 is 16.67 + 16.67 + 16.66, in row order).
A numeric indicator is scored by targets.scoring; a text one, or an actual
that cannot be judged against its target, waits for the HR reviewer, whose
score survives a rebuild while it still fits within the weight.
"""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from evaluation.execution import year_end_execution
from evaluation.grading import grade_of
from evaluation.models import EDITABLE, Evaluation, Group, IndicatorScore, Method
from targets.models import SETTLED, Actual, Checkpoint, Level1
from targets.review import indicator_label
from targets.scoring import score_execution, score_indicator
from targets.values import Operator, Verdict

CENT = Decimal("0.01")
TEXT_NOTE = "文字指标，由审核员评分"
NOT_COMPARABLE_NOTE = "实际值无法与目标比较，由审核员评分"
# 成本指标 counts under 产出指标, as in the template (evaluation.models.Group).
GROUP_OF_LEVEL1 = {
    Level1.OUTPUT: Group.OUTPUT,
    Level1.COST: Group.OUTPUT,
    Level1.BENEFIT: Group.BENEFIT,
    Level1.SATISFACTION: Group.SATISFACTION,
}


def split_weight(total, count):
    """total split into count parts of whole cents adding up to total exactly (largest remainder, earlier rows first)."""
    if count == 0:
        return []
    total = Decimal(total)
    share = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    parts = [share] * count
    left = int((total - share * count) / CENT)
    for index in range(left):
        parts[index] += CENT
    return parts


def _group_of(target):
    if target.indicator_id is None:
        return None
    return GROUP_OF_LEVEL1.get(target.indicator.level1)


def _check_table(table):
    if table.prefecture_id is None:
        raise ValidationError(_("自治区汇总表不做地州绩效自评，请选择地（州、市）的绩效目标表。"), code="region_table")
    if table.status not in SETTLED:
        raise ValidationError(
            _("%(table)s尚未审核通过（当前状态：%(status)s），不能做年度绩效自评。") % {
                "table": table, "status": table.get_status_display()
            },
            code="table_not_settled",
        )


def unmapped_targets(table):
    """Rows of the table that match no catalogue entry: they have no 一级指标 to be weighted under."""
    return [target for target in table.targets.select_related("indicator") if _group_of(target) is None]


def _scored_rows(evaluation, targets, actuals, kept):
    by_group = {}
    for target in targets:
        by_group.setdefault(_group_of(target), []).append(target)
    rows = []
    for group, members in by_group.items():
        for target, weight in zip(members, split_weight(evaluation.group_weight(group), len(members))):
            actual = actuals.get(target.pk)
            row = IndicatorScore(
                evaluation=evaluation, target=target, group=group, position=target.position,
                wording=indicator_label(target), target_raw=target.raw_value, operator=target.operator,
                target_number=target.base_number, base_unit=target.base_unit, weight=weight,
                actual_raw=actual.raw_value if actual else "", actual_number=actual.base_number if actual else None,
            )
            judged = actual is None or actual.verdict != Verdict.NOT_CHECKABLE
            if target.operator != Operator.TEXT and target.base_number is not None and judged:
                result = score_indicator(target.operator, target.base_number, row.actual_number, weight)
                row.method, row.score, row.note = Method.FORMULA, result.score, result.working
            else:
                row.method = Method.REVIEWER
                # Stored as data, in the 自评表's language, whatever the builder's interface language.
                row.note = TEXT_NOTE if target.operator == Operator.TEXT else NOT_COMPARABLE_NOTE
                previous = kept.get(target.pk)
                if previous is not None and previous.score is not None and previous.score <= weight:
                    row.score, row.reason = previous.score, previous.reason
                    row.scored_by_id, row.scored_at = previous.scored_by_id, previous.scored_at
            rows.append(row)
    return rows


def total_of(evaluation, rows=None):
    rows = evaluation.scores.all() if rows is None else rows
    indicators = sum((row.score for row in rows if row.score is not None), Decimal(0))
    # Rounded once, half up, as every figure of the app is.
    return (indicators + evaluation.execution_score).quantize(CENT, rounding=ROUND_HALF_UP)


def settle_total(evaluation, rows=None):
    evaluation.score = total_of(evaluation, rows)
    evaluation.grade = grade_of(evaluation.score)


@transaction.atomic
def build(table, year, user=None):
    """The evaluation of a settled prefecture table for a year, computed afresh; refused once under review."""
    _check_table(table)
    evaluation, _created = Evaluation.objects.select_for_update().get_or_create(
        prefecture_id=table.prefecture_id, table=table, year=year
    )
    if evaluation.status not in EDITABLE:
        raise ValidationError(
            _("%(prefecture)s %(year)s年绩效自评已%(status)s，不能重新计算。") % {
                "prefecture": table.prefecture.name, "year": year, "status": evaluation.get_status_display()
            },
            code="not_editable",
        )
    targets = [target for target in table.targets.select_related("indicator").order_by("position") if _group_of(target)]
    actuals = {
        actual.target_id: actual
        for actual in Actual.objects.filter(target__table=table, checkpoint=Checkpoint.YEAR_END)
    }
    kept = {row.target_id: row for row in evaluation.scores.filter(method=Method.REVIEWER)}
    rows = _scored_rows(evaluation, targets, actuals, kept)
    evaluation.scores.all().delete()
    bulk_create_with_history(rows, IndicatorScore, default_user=user)
    execution = year_end_execution(table.document, table.prefecture_id, year)
    evaluation.allocated, evaluation.spent = execution.allocated, execution.spent
    evaluation.spent_source, evaluation.execution_rate = execution.source, execution.rate
    evaluation.execution_score = score_execution(execution.rate, evaluation.weight_execution)
    settle_total(evaluation, rows)
    evaluation.built_at = timezone.now()
    evaluation._history_user = user
    evaluation.save()
    return evaluation


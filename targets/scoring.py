"""Scoring one indicator at year end (绩效自评), from its parsed operator and the actual.

- A target met scores its full weight.
- A target not met scores in proportion, capped at the weight: actual/target for
  "at least" (≥, 超过, 以上), target/actual for "at most" (≤, 以内).
- A target of 0 ("0起") is met only at 0: no proportion of nothing is earned.
- A text target ("保持稳定") is not scored here: a reviewer scores it.

Numbers are in the target's base unit (targets.values). Scores are Decimal,
kept to 4 places so that half of a 2-place weight is exact.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from targets.values import Operator, is_reached

PLACES = Decimal("0.0001")
_AT_LEAST = (Operator.AT_LEAST, Operator.MORE_THAN)
_AT_MOST = (Operator.AT_MOST, Operator.LESS_THAN)


@dataclass(frozen=True)
class IndicatorScore:
    score: Decimal | None  # None: not scored by the formula (a reviewer scores it)
    met: bool | None
    ratio: Decimal | None  # the proportion applied, 1 when met
    working: str  # how the score was reached, shown beside it


def _quantize(number):
    return number.quantize(PLACES, rounding=ROUND_HALF_UP)


def _ratio(operator, target, actual):
    """The proportion earned by an actual short of its target, in [0, 1]."""
    if operator in _AT_LEAST:
        return actual / target if target > 0 else Decimal(0)
    if operator in _AT_MOST:
        # 0起 (at most 0) lands here only when missed: nothing is earned.
        return target / actual if actual > 0 and target > 0 else Decimal(0)
    # "=": the nearer, the more; either side.
    if target <= 0 or actual <= 0:
        return Decimal(0)
    return min(actual / target, target / actual)


def _plain(number):
    return format(number.normalize(), "f")


def score_indicator(operator, target, actual, weight):
    """The score of one indicator: operator from targets.values.Operator, target and actual Decimal in base units."""
    weight = Decimal(weight)
    if operator == Operator.TEXT or target is None:
        return IndicatorScore(None, None, None, "文字指标，由审核员评分")
    if actual is None:
        return IndicatorScore(_quantize(Decimal(0)), False, Decimal(0), "无全年实际值")
    target, actual = Decimal(target), Decimal(actual)
    if is_reached(operator, target, actual):
        return IndicatorScore(_quantize(weight), True, Decimal(1), "已完成")
    ratio = min(max(_ratio(operator, target, actual), Decimal(0)), Decimal(1))
    if operator in _AT_MOST:
        working = f"目标/实际 = {_plain(target)}/{_plain(actual)}" if actual > 0 and target > 0 else "目标为0，未达到"
    else:
        working = f"实际/目标 = {_plain(actual)}/{_plain(target)}"
    return IndicatorScore(_quantize(weight * ratio), False, ratio, working)


def score_execution(rate, weight):
    """预算执行率 (a percentage): its full weight at 100%, in proportion below; None (nothing allocated) scores 0."""
    weight = Decimal(weight)
    if rate is None:
        return _quantize(Decimal(0))
    return _quantize(weight * min(max(Decimal(rate), Decimal(0)), Decimal(100)) / Decimal(100))

"""双监控: judging an actual figure against its target.

The actual is read with the same parser as the target, in the target's unit
unless it names its own ("12.5" under 万人次, or "130000人"), and compared in
base units with the target's operator.
"""

from targets.values import is_reached, parse_target_value


def evaluate(target, raw_actual):
    """(base number of the actual or None, verdict value)."""
    from targets.models import Verdict

    goal = target.parsed()
    unit_hint = f"({goal.unit})" if goal.unit else target.wording
    actual = parse_target_value(raw_actual, unit_hint)
    if actual.is_text:
        return None, Verdict.NOT_CHECKABLE
    if goal.is_text or actual.base_unit != goal.base_unit:
        return actual.base_number, Verdict.NOT_CHECKABLE
    reached = is_reached(goal.operator, goal.base_number, actual.base_number)
    return actual.base_number, Verdict.MET if reached else Verdict.NOT_MET

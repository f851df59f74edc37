"""双监控: judging an actual figure against its target.

The actual is read with the same parser as the target, in the target's unit
unless it names its own ("12.5" under 万人次, or "130000人"), and compared in
base units with the target's operator.
"""

import re

from targets.values import Verdict, is_reached, parse_target_value

# Figures reported from the field often carry thousands separators
# ("130,000人"); a target never does, so only actuals are read this way.
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")


def plain_figure(raw_actual):
    """The figure as written, without thousands separators."""
    return _THOUSANDS.sub("", raw_actual or "")


def evaluate(target, raw_actual):
    """(base number of the actual or None, verdict value)."""
    goal = target.parsed()
    unit_hint = f"({goal.unit})" if goal.unit else target.wording
    actual = parse_target_value(plain_figure(raw_actual), unit_hint)
    if actual.is_text:
        return None, Verdict.NOT_CHECKABLE
    if goal.is_text or actual.base_unit != goal.base_unit:
        return actual.base_number, Verdict.NOT_CHECKABLE
    reached = is_reached(goal.operator, goal.base_number, actual.base_number)
    return actual.base_number, Verdict.MET if reached else Verdict.NOT_MET

"""A bare figure is read in its target's unit; one a hundredfold away from the target is refused, not guessed.

"300000" typed against 超过38万人 is 300000万人 by that rule and a head count
by intent: judged as read it gives a false 已完成. So a figure that names no
unit and is more than 100× or less than 1/100 of the target's number (both in
the target's written unit) is sent back with both readings. A rate typed as a
fraction ("0.96" against ≥95%) is sent back the same way. A figure that names
its unit ("300000人", "30万人", "96%") says what it means and is taken as written.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from targets.evaluation import plain_figure
from targets.values import UNITS, parse_target_value

LIMIT = Decimal(100)
# The 万 unit over each base unit: "人" -> "万人".
_TEN_THOUSANDS = {base: unit for unit, (base, factor) in UNITS.items() if factor != 1}


def _plain(number):
    return format(number.normalize(), "f")


def _within(number, goal_number):
    return goal_number <= number * LIMIT and number <= goal_number * LIMIT


def _meant(number, unit, goal_number):
    """(what the figure likely meant, written with its unit; the other way to write it) or None.

    Offered only where that reading is itself plausible: it is a question, not a correction.
    """
    base, factor = UNITS.get(unit, (unit, Decimal(1)))
    wan = _TEN_THOUSANDS.get(unit)
    if unit == "%" and number <= 1 <= goal_number:
        # A rate typed as a fraction: 0.96 for 96%.
        meant, written = number * 100, (f"{_plain(number * 100)}%", f"{_plain(number)}%")
    elif factor != 1 and number > goal_number:
        # A head count typed against a target in 万: 300000人 is 30万人.
        meant, written = number / factor, (f"{_plain(number / factor)}{unit}", f"{_plain(number)}{base}")
    elif wan and number < goal_number:
        # A figure in 万 typed against a target in persons: 7万人 is 70000人.
        factor = UNITS[wan][1]
        meant, written = number * factor, (f"{_plain(number)}{wan}", f"{_plain(number * factor)}{unit}")
    else:
        return None
    return written if _within(meant, goal_number) else None


def implausible(target, raw, label=""):
    """The refusal of a bare figure too far from its target to be read safely, or None.

    label names the field in the message ("全年预计完成值"); the actual itself goes unnamed.
    """
    goal = target.parsed()
    if goal.is_text or not goal.number:
        # A text target has no scale, and neither has 0起.
        return None
    figure = parse_target_value(plain_figure(raw))
    if figure.is_text or figure.unit or not figure.number:
        # A named unit is taken as written; 0 reads the same in every unit.
        return None
    number, unit = figure.number, goal.unit
    fraction_of_a_rate = unit == "%" and number <= 1 <= goal.number
    if not fraction_of_a_rate and _within(number, goal.number):
        return None
    values = {"label": label, "raw": raw.strip(), "unit": unit, "reading": f"{_plain(number)}{unit}", "target": target.raw_value}
    meant = _meant(number, unit, goal.number) if unit else None
    if meant is not None:
        values["meant"], values["example"] = meant
        message = _(
            "%(label)s“%(raw)s”按“%(unit)s”理解为%(reading)s，是否应为%(meant)s？请在数字后写明单位（如“%(example)s”或“%(meant)s”）。"
        )
    elif unit:
        message = _(
            "%(label)s“%(raw)s”按“%(unit)s”理解为%(reading)s，与目标“%(target)s”相差百倍以上。请核对，并在数字后写明单位（如“%(reading)s”）。"
        )
    else:
        message = _("%(label)s“%(raw)s”与目标“%(target)s”相差百倍以上，请核对。")
    # An English label ends in a space that the unlabelled actual leaves at the start.
    return (message % values).strip()

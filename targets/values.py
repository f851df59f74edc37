"""Target values (指标值): the raw text as written, read into operator + number + unit.

Forms found in the notice: "超过80万人次", "≥95%", "5.5%以内", "0起", "5个",
bare numbers whose unit is in the indicator's name ("12.3" under "(万人次)"),
and text ("保持稳定", "以自治区最终评审文件为准", …), which stays text.

"超过X" is reached at X: the notice splits 超过38万 new urban jobs into
prefecture targets that add up to exactly 380,000, so it cannot mean "> X".
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Operator(models.TextChoices):
    AT_LEAST = ">=", _("不低于")
    AT_MOST = "<=", _("不高于")
    MORE_THAN = ">", _("大于")
    LESS_THAN = "<", _("小于")
    EQUAL = "=", _("等于")
    TEXT = "text", _("文字（不可量化）")


class Verdict(models.TextChoices):
    # 双监控's judgement of an actual against its target (targets.evaluation).
    MET = "met", _("已完成")
    NOT_MET = "not_met", _("未完成")
    NOT_CHECKABLE = "not_checkable", _("不可判断")


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class DeviationCategory(models.TextChoices):
    # The standard categories of 偏差原因 on the 绩效运行监控表.
    FUNDING = "funding", _("经费保障")
    RULES = "rules", _("制度保障")
    STAFF = "staff", _("人员保障")
    FACILITIES = "facilities", _("硬件条件保障")
    OTHER = "other", _("其他")


class Possibility(models.TextChoices):
    # 完成目标可能性 on the 绩效运行监控表.
    CERTAIN = "certain", _("确定能")
    LIKELY = "likely", _("有可能")
    IMPOSSIBLE = "impossible", _("完全不可能")


# unit as written -> (base unit, factor)
UNITS = {
    "万人次": ("人次", Decimal(10000)),
    "万人": ("人", Decimal(10000)),
    "人次": ("人次", Decimal(1)),
    "人": ("人", Decimal(1)),
    "%": ("%", Decimal(1)),
    "个": ("个", Decimal(1)),
    "起": ("起", Decimal(1)),
}
# How a unit is named beside an input: the stored unit is data ("万人"), its
# name is interface, so an English page can say what a bare figure means.
UNIT_LABELS = {
    "万人次": _("万人次"),
    "万人": _("万人"),
    "人次": _("人次"),
    "人": _("人"),
    "%": "%",
    "个": _("个"),
    "起": _("起"),
}
_UNIT_PATTERN = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_PREFIXES = {
    "≥": Operator.AT_LEAST,
    ">=": Operator.AT_LEAST,
    "不低于": Operator.AT_LEAST,
    "不少于": Operator.AT_LEAST,
    "超过": Operator.AT_LEAST,
    "达到": Operator.AT_LEAST,
    "≤": Operator.AT_MOST,
    "<=": Operator.AT_MOST,
    "不高于": Operator.AT_MOST,
    "不超过": Operator.AT_MOST,
    ">": Operator.MORE_THAN,
    "<": Operator.LESS_THAN,
    "=": Operator.EQUAL,
}
_SUFFIXES = {"以内": Operator.AT_MOST, "以下": Operator.AT_MOST, "以上": Operator.AT_LEAST, "及以上": Operator.AT_LEAST}
_VALUE = re.compile(
    r"^(?P<prefix>%s)?(?P<number>\d+(?:\.\d+)?)(?P<unit>%s)?(?P<suffix>%s)?$"
    % (
        "|".join(sorted(map(re.escape, _PREFIXES), key=len, reverse=True)),
        _UNIT_PATTERN,
        "|".join(sorted(map(re.escape, _SUFFIXES), key=len, reverse=True)),
    )
)
_WORDING_UNIT = re.compile(r"[(（](?P<unit>%s)[)）]$" % _UNIT_PATTERN)


@dataclass(frozen=True)
class TargetValue:
    raw: str
    operator: str
    number: Decimal | None = None
    unit: str = ""
    base_number: Decimal | None = None
    base_unit: str = ""

    @property
    def is_text(self):
        return self.operator == Operator.TEXT


def _fold(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _exact(number):
    # 12.3 × 10000 is 123000.0; keep it 123000 without going to 1.23E+5.
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def split_wording(wording):
    """'享受社会保险补贴人员数量(人)' -> ('享受社会保险补贴人员数量', '人')."""
    text = _fold(wording)
    match = _WORDING_UNIT.search(text)
    if not match:
        return text, ""
    return text[: match.start()], match.group("unit")


def parse_target_value(raw, wording="", direction=None):
    """Read one 指标值. wording supplies a unit the value leaves out; direction
    gives a bare number its operator (a target is reached from its side)."""
    text = _fold(raw)
    match = _VALUE.match(text)
    if not match:
        return TargetValue(raw=raw, operator=Operator.TEXT)
    unit = match.group("unit") or split_wording(wording)[1]
    operator = _PREFIXES.get(match.group("prefix")) or _SUFFIXES.get(match.group("suffix"))
    if operator is None:
        if direction == Direction.LOWER:
            operator = Operator.AT_MOST
        elif direction == Direction.HIGHER:
            operator = Operator.AT_LEAST
        else:
            operator = Operator.EQUAL
    number = Decimal(match.group("number"))
    base_unit, factor = UNITS.get(unit, (unit, Decimal(1)))
    return TargetValue(
        raw=raw,
        operator=operator,
        number=number,
        unit=unit,
        base_number=_exact(number * factor),
        base_unit=base_unit,
    )


def is_reached(operator, target, actual):
    """Whether an actual figure (in the target's base unit) reaches the target."""
    return {
        Operator.AT_LEAST: actual >= target,
        Operator.AT_MOST: actual <= target,
        Operator.MORE_THAN: actual > target,
        Operator.LESS_THAN: actual < target,
        Operator.EQUAL: actual == target,
    }[operator]

"""激励约束 (通知第四条): the factor share moved by grade, budget execution and audit findings.

Each prefecture's base is its factor share of the total, in 万元. Three rules
move it, each recorded with its reason so the 测算说明 can show it:

- the year-end evaluation grade: a percentage of the base (defaults 优 +5%,
  良 0, 中 −3%, 差 −5%; configurable);
- budget execution: a year-end unspent share above the threshold (30%) cuts
  a percentage of the base (3%);
- audit deductions (审计和督查检查发现问题): amounts in 万元, each with its
  reason and source 文号. A deduction larger than what is left of the share
  after the other two rules is refused: a share below zero means nothing.

The adjusted amounts are then renormalised to the total by the rounding
(planning/rounding.py), which is where the deducted money goes back to all.
Pure: no database.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from core.refusals import ImportRefused
from planning.precision import CONTEXT, ZERO, settled

GRADES = ("优", "良", "中", "差")
DEFAULT_GRADE_RATES = {"优": Decimal("0.05"), "良": Decimal("0"), "中": Decimal("-0.03"), "差": Decimal("-0.05")}
DEFAULT_UNSPENT_THRESHOLD = Decimal("0.30")
DEFAULT_UNSPENT_CUT = Decimal("-0.03")

GRADE, EXECUTION, DEDUCTION = "绩效评价", "预算执行", "审计扣减"


@dataclass(frozen=True)
class Rules:
    grade_rates: dict = field(default_factory=lambda: dict(DEFAULT_GRADE_RATES))
    unspent_threshold: Decimal = DEFAULT_UNSPENT_THRESHOLD
    unspent_cut: Decimal = DEFAULT_UNSPENT_CUT


@dataclass(frozen=True)
class Deduction:
    prefecture: str
    amount: Decimal  # 万元, > 0
    reason: str
    source: str  # the 文号 of the audit or inspection finding
    row: int | None = None  # the row of the deductions file


@dataclass(frozen=True)
class Adjustment:
    kind: str  # GRADE, EXECUTION or DEDUCTION
    amount: Decimal  # 万元, signed
    reason: str


@dataclass
class Adjusted:
    key: object
    name: str
    share: Decimal
    base: Decimal  # share × total
    adjustments: list

    @property
    def adjusted(self):
        return self.base + sum((a.amount for a in self.adjustments), ZERO)


def _percent(rate):
    return f"{(rate * 100).normalize():+f}%".replace("+0%", "0%")


def adjust(prefectures, total, grades=None, unspent=None, deductions=None, rules=None):
    """[Adjusted] in the order of `prefectures` ([(key, name, share)]).

    grades: {key: 优|良|中|差}; unspent: {key: Decimal unspent share at year end};
    deductions: {key: [Deduction]}. A key absent from a mapping is not adjusted by that rule.
    """
    rules = rules or Rules()
    grades = grades or {}
    unspent = unspent or {}
    deductions = deductions or {}
    result, errors = [], []
    for key, name, share in prefectures:
        base = settled(CONTEXT.multiply(share, Decimal(total)))
        entry = Adjusted(key, name, share, base, [])
        grade = grades.get(key)
        if grade is not None:
            if grade not in rules.grade_rates:
                errors.append(f"{name}：评价等次“{grade}”不是 优、良、中、差 之一。")
                continue
            rate = rules.grade_rates[grade]
            if rate:
                entry.adjustments.append(Adjustment(
                    GRADE, settled(CONTEXT.multiply(base, rate)), f"绩效评价等次“{grade}”，按因素份额{_percent(rate)}"
                ))
        left = unspent.get(key)
        if left is not None and left > rules.unspent_threshold and rules.unspent_cut:
            entry.adjustments.append(Adjustment(
                EXECUTION,
                settled(CONTEXT.multiply(base, rules.unspent_cut)),
                f"年末结余率 {(left * 100).quantize(Decimal('0.01'))}% 超过 {(rules.unspent_threshold * 100).normalize():f}%，"
                f"按因素份额{_percent(rules.unspent_cut)}",
            ))
        for deduction in deductions.get(key, ()):
            entry.adjustments.append(Adjustment(
                DEDUCTION, -deduction.amount, f"{deduction.reason}（{deduction.source}）"
            ))
        if entry.adjusted < ZERO:
            taken = sum((d.amount for d in deductions.get(key, ())), ZERO)
            rows = "、".join(f"第{d.row}行" for d in deductions.get(key, ()) if d.row)
            where = f"扣减表{rows} " if rows else ""
            errors.append(
                f"{where}{name}：扣减金额 {taken.normalize():f} 万元大于该地调整后的因素份额 "
                f"{settled(entry.adjusted + taken).quantize(Decimal('0.01'))} 万元。"
            )
            continue
        result.append(entry)
    if errors:
        raise ImportRefused(errors)
    return result

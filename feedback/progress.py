"""附件3's computed columns: never typed, always derived from 资金金额 and 实际支出金额.

未支出金额 = 资金金额 − 实际支出金额
实际支出进度 = 实际支出金额 / 资金金额, as a percentage with two decimals
合计 = the same over the column sums (not the average of the percentages).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figures:
    amount: Decimal
    spent: Decimal | None
    unspent: Decimal
    progress: Decimal | None  # percent, e.g. 60.28; None when nothing was allocated

    @property
    def progress_label(self):
        return "" if self.progress is None else f"{self.progress}%"


def percent(part, whole):
    if not whole:
        return None
    return (part / whole * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def figures(amount, spent):
    """One line. An empty 实际支出金额 counts as nothing spent yet."""
    spent_value = spent if spent is not None else ZERO
    return Figures(amount=amount, spent=spent, unspent=amount - spent_value, progress=percent(spent_value, amount))


def totals(lines):
    """The 合计 row over (amount, spent) pairs or objects with those attributes."""
    amount = ZERO
    spent = ZERO
    for line in lines:
        line_amount, line_spent = (line.amount, line.spent) if hasattr(line, "amount") else line
        amount += line_amount
        spent += line_spent or ZERO
    return figures(amount, spent)

"""因素法: each prefecture's (or county's) share = Σ over the factors of weight × value ÷ Σ values.

Pure: values in, shares out, no database. The reader (planning/sheet.py) has
already refused negative or missing values and weights that do not sum to 1;
what is left to refuse here is a factor whose values are all zero, since its
share of anything is undefined.
"""

from dataclasses import dataclass

from core.refusals import ImportRefused
from planning.precision import CONTEXT, ZERO, settled


@dataclass(frozen=True)
class Factor:
    name: str
    weight: object  # Decimal


@dataclass
class Share:
    key: object
    share: object  # Decimal, Σ over keys = 1
    contributions: dict  # factor name -> weight × value ÷ Σ values


def shares(factors, values, scope=""):
    """[Share] in the order of `values`.

    factors: [Factor]; values: {key: {factor name: Decimal}}, ordered as the result should be.
    scope names the group in a refusal (a prefecture when counties are split).
    """
    totals = {}
    for factor in factors:
        totals[factor.name] = sum((row[factor.name] for row in values.values()), ZERO)
    empty = [factor.name for factor in factors if totals[factor.name] == ZERO and factor.weight != ZERO]
    if empty:
        where = f"{scope}：" if scope else ""
        raise ImportRefused([
            f"{where}因素“{name}”各行数值合计为 0，无法按该因素计算份额。" for name in empty
        ])
    result = []
    for key, row in values.items():
        contributions = {}
        for factor in factors:
            total = totals[factor.name]
            part = ZERO if total == ZERO else CONTEXT.divide(CONTEXT.multiply(factor.weight, row[factor.name]), total)
            contributions[factor.name] = settled(part)
        result.append(Share(key, settled(sum(contributions.values(), ZERO)), contributions))
    return result

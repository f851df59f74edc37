"""Whole 万元 by the largest-remainder (Hamilton) method: the parts add up to the total exactly.

Each key's quota is total × weight ÷ Σ weights; every key gets the whole part
of its quota, and the units still missing go one each to the largest
remainders. Two equal remainders are told apart by the order the caller
gives (the notice's order of prefectures, then of counties), never by
chance: the same inputs always give the same amounts. Each amount is within
1 of its quota.
"""

from dataclasses import dataclass
from decimal import ROUND_FLOOR

from planning.precision import CONTEXT, ZERO, settled


@dataclass(frozen=True)
class Rounded:
    key: object
    quota: object  # Decimal: the exact proportional amount
    amount: int  # whole 万元
    extra_unit: bool  # one of the units handed out by remainder

    @property
    def remainder(self):
        return self.quota - int(self.quota.to_integral_value(rounding=ROUND_FLOOR))


def largest_remainder(total, weights):
    """[Rounded] in the order of `weights` ([(key, Decimal ≥ 0)]); Σ amount = total.

    total: a whole number of 万元. With every weight zero, every amount is zero:
    only possible for a total of zero, which the caller checks.
    """
    total = int(total)
    weight_sum = sum((weight for _key, weight in weights), ZERO)
    if weight_sum == ZERO:
        if total:
            raise ValueError("a positive total cannot be shared by zero weights")
        return [Rounded(key, ZERO, 0, False) for key, _weight in weights]
    quotas = [settled(CONTEXT.divide(CONTEXT.multiply(total, weight), weight_sum)) for _key, weight in weights]
    floors = [int(quota.to_integral_value(rounding=ROUND_FLOOR)) for quota in quotas]
    missing = total - sum(floors)
    # Largest remainder first; equal remainders in the caller's order.
    ranked = sorted(range(len(weights)), key=lambda index: (-(quotas[index] - floors[index]), index))
    extra = set(ranked[:missing])
    return [
        Rounded(key, quotas[index], floors[index] + (1 if index in extra else 0), index in extra)
        for index, (key, _weight) in enumerate(weights)
    ]

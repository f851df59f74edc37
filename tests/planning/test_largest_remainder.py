"""Rounding to whole 万元 (planning/rounding.py): sums exact, each within 1 of its quota, ties by the given order."""

from decimal import Decimal

import pytest

from planning.rounding import largest_remainder


def amounts(total, weights):
    return [r.amount for r in largest_remainder(total, list(weights))]


def test_it_makes_the_parts_add_up_to_the_total_exactly():
    weights = [(f"地{n}", Decimal(n * 37 % 101 + 1)) for n in range(14)]
    for total in (1, 13, 999, 72988, 80000, 123457):
        assert sum(amounts(total, weights)) == total


def test_it_keeps_each_part_within_1_of_its_exact_quota():
    weights = [("a", Decimal("1")), ("b", Decimal("2")), ("c", Decimal("3.3")), ("d", Decimal("0.7"))]
    weight_sum = sum(w for _k, w in weights)
    for result, (_key, weight) in zip(largest_remainder(1001, weights), weights):
        assert abs(result.amount - Decimal(1001) * weight / weight_sum) < 1


def test_it_gives_the_leftover_units_to_the_largest_remainders():
    # Quotas 3.5, 3.3, 3.2 of 10: the floors make 9, the one unit goes to 3.5.
    assert amounts(10, [("a", Decimal("3.5")), ("b", Decimal("3.3")), ("c", Decimal("3.2"))]) == [4, 3, 3]


def test_it_breaks_equal_remainders_by_the_order_given():
    # Three equal shares of 10: one unit over, to the first in the notice's order, whichever key it is.
    assert amounts(10, [("和田地区", Decimal(1)), ("乌鲁木齐市", Decimal(1)), ("喀什地区", Decimal(1))]) == [4, 3, 3]
    assert amounts(10, [("乌鲁木齐市", Decimal(1)), ("和田地区", Decimal(1)), ("喀什地区", Decimal(1))]) == [4, 3, 3]
    assert amounts(11, [("a", Decimal(1)), ("b", Decimal(1)), ("c", Decimal(1))]) == [4, 4, 3]


def test_it_gives_the_same_amounts_for_the_same_inputs():
    weights = [(n, Decimal(1) / Decimal(7) * (n + 1)) for n in range(20)]
    assert largest_remainder(99991, weights) == largest_remainder(99991, weights)


def test_it_reads_a_whole_quota_as_whole_despite_an_inexact_quotient():
    # 1/3 of each of three weights of 1/3: a quotient that is not exact in any decimal precision.
    third = Decimal(1) / Decimal(3)
    results = largest_remainder(300, [("a", third), ("b", third), ("c", third)])
    assert [r.amount for r in results] == [100, 100, 100]
    assert not any(r.extra_unit for r in results)


def test_it_gives_zero_weights_zero_and_refuses_a_positive_total_over_them():
    assert amounts(0, [("a", Decimal(0)), ("b", Decimal(0))]) == [0, 0]
    with pytest.raises(ValueError):
        largest_remainder(5, [("a", Decimal(0))])

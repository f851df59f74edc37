"""The integer writing of 分 as 万元 gives exactly what the Decimal rounding and the pages' money format give."""

import random

import pytest

from core.formats import money
from treasury.money import wan_from_fen, wan_text

TIES_AND_EDGES = [0, 1, -1, 4_999, 5_000, -5_000, 5_001, 14_999, 15_000, -15_000, 999_999, 1_000_000, -1_000_000,
                  72_988_000_000, 9_999_995_000, -9_999_995_000, 123_456_789_012_345]


@pytest.mark.parametrize("fen", TIES_AND_EDGES)
def test_it_agrees_with_the_decimal_rounding_at_ties_and_edges(fen):
    assert wan_text(fen) == money(wan_from_fen(fen))
    assert wan_text(fen, grouped=False) == format(wan_from_fen(fen), "f")


def test_it_agrees_with_the_decimal_rounding_on_random_amounts():
    chance = random.Random(15)
    for _ in range(20_000):
        fen = chance.randint(-10**12, 10**12)
        assert wan_text(fen) == money(wan_from_fen(fen)), fen


def test_it_rounds_half_up_once_from_the_exact_amount():
    # 5,000 分 is 0.005 万元: half up to 0.01; 4,999 分 stays 0.00.
    assert wan_text(5_000) == "0.01"
    assert wan_text(4_999) == "0.00"
    assert wan_text(50_000_000_000) == "50,000.00"

"""Year-end scoring of one indicator (targets.scoring), rule by rule, from parsed target values."""

from decimal import Decimal

import pytest

from targets.scoring import score_execution, score_indicator
from targets.values import Operator, parse_target_value

D = Decimal


def _score(raw_target, actual, weight="10", wording="", direction=None):
    goal = parse_target_value(raw_target, wording, direction)
    return score_indicator(goal.operator, goal.base_number, None if actual is None else D(actual), D(weight))


@pytest.mark.parametrize("actual", ["800000", "800001", "1200000"])
def test_it_gives_the_full_weight_to_a_target_met(actual):
    # 超过80万人次 is reached at 80万.
    result = _score("超过80万人次", actual)
    assert (result.score, result.met) == (D("10.0000"), True)


def test_it_caps_an_overshoot_at_the_weight():
    assert _score("≥95%", "100", weight="7.5").score == D("7.5000")


@pytest.mark.parametrize("actual, expected", [("400000", "5.0000"), ("600000", "7.5000"), ("0", "0.0000")])
def test_it_scores_an_at_least_shortfall_as_actual_over_target(actual, expected):
    result = _score("超过80万人次", actual)
    assert (result.score, result.met) == (D(expected), False)
    assert "实际/目标" in result.working


def test_it_scores_a_bare_number_by_its_direction():
    # "103000" under 城镇新增就业人数(人), higher is better: half the target earns half the weight.
    assert _score("103000", "51500", weight="5", wording="城镇新增就业人数(人)", direction="higher").score == D("2.5000")


@pytest.mark.parametrize("actual, expected", [("5.5", "10.0000"), ("4", "10.0000"), ("11", "5.0000"), ("22", "2.5000")])
def test_it_scores_an_at_most_target_as_target_over_actual(actual, expected):
    # 5.5%以内: lower is better.
    assert _score("5.5%以内", actual).score == D(expected)


def test_it_says_how_an_at_most_score_was_reached():
    assert _score("5.5%以内", "11").working == "目标/实际 = 5.5/11"


@pytest.mark.parametrize("actual, expected", [("0", "10.0000"), ("1", "0.0000"), ("3", "0.0000")])
def test_it_meets_zero_incidents_only_at_zero(actual, expected):
    # 0起 under 因就业问题发生重大群体性事件数量, lower is better.
    result = _score("0起", actual, direction="lower")
    assert result.score == D(expected)
    assert result.met is (actual == "0")


@pytest.mark.parametrize("raw", ["保持稳定", "以自治区最终评审文件为准"])
def test_it_leaves_a_text_target_to_the_reviewer(raw):
    result = _score(raw, "100")
    assert result.score is None and result.met is None


def test_it_scores_a_missing_actual_zero():
    result = _score("≥98%", None)
    assert (result.score, result.met) == (D("0.0000"), False)


def test_it_keeps_half_of_an_odd_weight_exact():
    # 50 over 3 indicators: 16.67 each; half of it is 8.335, not rounded to 8.34.
    assert _score("≥98%", "49", weight="16.67").score == D("8.3350")


def test_it_scores_an_equal_target_by_the_nearer_ratio():
    assert score_indicator(Operator.EQUAL, D(10), D(20), D(10)).score == D("5.0000")
    assert score_indicator(Operator.EQUAL, D(10), D(5), D(10)).score == D("5.0000")
    assert score_indicator(Operator.EQUAL, D(10), D(10), D(10)).score == D("10.0000")


@pytest.mark.parametrize("rate, expected", [("100", "10.0000"), ("120", "10.0000"), ("80", "8.0000"), ("0", "0.0000"), (None, "0.0000")])
def test_it_scores_the_execution_rate_in_proportion_below_100(rate, expected):
    assert score_execution(None if rate is None else D(rate), D(10)) == D(expected)

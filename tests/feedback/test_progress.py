from decimal import Decimal as D

from feedback.progress import figures, percent, totals


def test_it_computes_unspent_and_progress_for_a_line():
    line = figures(D("8294"), D("5000"))
    assert (line.unspent, line.progress, line.progress_label) == (D("3294"), D("60.28"), "60.28%")


def test_it_counts_an_empty_spend_as_nothing_spent():
    line = figures(D("8294"), None)
    assert (line.spent, line.unspent, line.progress) == (None, D("8294"), D("0.00"))


def test_it_gives_no_progress_for_nothing_allocated():
    assert figures(D("0"), D("0")).progress is None
    assert percent(D("1"), D("0")) is None


def test_it_rounds_half_up_to_two_decimals():
    assert percent(D("1"), D("8")) == D("12.50")
    assert percent(D("2"), D("3")) == D("66.67")
    assert percent(D("0.125"), D("1")) == D("12.50")


def test_it_totals_the_columns_not_the_percentages():
    total = totals([(D("100"), D("100")), (D("300"), D("0")), (D("600"), None)])
    # The average of 100%, 0% and 0% would be 33.33%; the 合计 is Σspent / Σamount.
    assert (total.amount, total.spent, total.unspent, total.progress) == (D("1000"), D("100"), D("900"), D("10.00"))


def test_it_totals_nothing_as_zero():
    total = totals([])
    assert (total.amount, total.unspent, total.progress) == (D("0"), D("0"), None)

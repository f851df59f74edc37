"""core.amounts: what counts as an amount in 万元, whichever way it came in, and what is said when it does not."""

from datetime import datetime
from decimal import Decimal

import pytest
from django import forms

from allocations.models import AllocationDocument, AllocationLine, PrefectureSubtotal
from allocations.money import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS
from core.amounts import DECIMAL_PLACES, MAX_DIGITS, AmountError, AmountField, amount_or_problem, parse_amount
from feedback.models import FeedbackLine

LABEL = "拨付金额"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1200", Decimal("1200.00")),
        ("0", Decimal("0.00")),
        ("-0", Decimal("0.00")),
        ("12.3", Decimal("12.30")),
        ("12.30", Decimal("12.30")),
        (".5", Decimal("0.50")),
        ("5.", Decimal("5.00")),
        ("+5", Decimal("5.00")),
        ("  12  ", Decimal("12.00")),
        ("999999999999.99", Decimal("999999999999.99")),
        # Pasted from a spreadsheet or typed with a Chinese input method.
        ("1,234.5", Decimal("1234.50")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("5 000", Decimal("5000.00")),
        ("5\u00a0000", Decimal("5000.00")),
        ("１，２３４．５", Decimal("1234.50")),
        ("１２００", Decimal("1200.00")),
        ("1，234", Decimal("1234.00")),
        # A number cell of a workbook.
        (1200, Decimal("1200.00")),
        (1834.5, Decimal("1834.50")),
        (0.1, Decimal("0.10")),  # repr(0.1) is "0.1": the number typed, not the double's 55 digits
        (Decimal("1E+3"), Decimal("1000.00")),
        (Decimal("1234.5"), Decimal("1234.50")),  # the fast path for a positive Decimal
        (Decimal("999999999999.99"), Decimal("999999999999.99")),
        (Decimal("-0"), Decimal("0.00")),
        (Decimal("0E+20"), Decimal("0.00")),
    ],
)
def test_it_reads_an_amount_as_cents(value, expected):
    amount = parse_amount(value, LABEL)

    assert (amount, amount.as_tuple().exponent) == (expected, -DECIMAL_PLACES)


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000"])
def test_it_reads_nothing_as_none(value):
    assert parse_amount(value, LABEL) is None


NOT_A_NUMBER = "拨付金额“{}”不是数字"


@pytest.mark.parametrize(
    "value, message",
    [
        # Decimal() would read each of these; none is an amount anyone means.
        ("1e309", NOT_A_NUMBER.format("1e309")),
        ("1e3", NOT_A_NUMBER.format("1e3")),
        ("1E3", NOT_A_NUMBER.format("1E3")),
        ("1E+3", NOT_A_NUMBER.format("1E+3")),
        ("NaN", NOT_A_NUMBER.format("NaN")),
        ("nan", NOT_A_NUMBER.format("nan")),
        ("sNaN", NOT_A_NUMBER.format("sNaN")),
        ("Infinity", NOT_A_NUMBER.format("Infinity")),
        ("-Infinity", NOT_A_NUMBER.format("-Infinity")),
        ("inf", NOT_A_NUMBER.format("inf")),
        ("١٢٣", NOT_A_NUMBER.format("١٢٣")),  # Arabic-Indic
        ("१२३", NOT_A_NUMBER.format("१२३")),  # Devanagari
        ("١٢٣.٤", NOT_A_NUMBER.format("١٢٣.٤")),
        ("1_000", NOT_A_NUMBER.format("1_000")),
        # Not numbers at all, or separators where none belongs.
        ("一千二", NOT_A_NUMBER.format("一千二")),
        ("abc", NOT_A_NUMBER.format("abc")),
        ("1,", NOT_A_NUMBER.format("1,")),
        (",1", NOT_A_NUMBER.format(",1")),
        ("1.2,3", NOT_A_NUMBER.format("1.2,3")),
        ("1.2.3", NOT_A_NUMBER.format("1.2.3")),
        (".", NOT_A_NUMBER.format(".")),
        ("-", NOT_A_NUMBER.format("-")),
        ("12万", NOT_A_NUMBER.format("12万")),
        # Cells that hold something other than a number.
        (float("inf"), NOT_A_NUMBER.format("Infinity")),  # how a 1e309 cell reads
        (float("-inf"), NOT_A_NUMBER.format("-Infinity")),
        (float("nan"), NOT_A_NUMBER.format("NaN")),
        (Decimal("Infinity"), NOT_A_NUMBER.format("Infinity")),
        (Decimal("NaN"), NOT_A_NUMBER.format("NaN")),
        (Decimal("sNaN"), NOT_A_NUMBER.format("sNaN")),
        (True, NOT_A_NUMBER.format("True")),
        (datetime(2023, 6, 20), NOT_A_NUMBER.format("2023-06-20 00:00:00")),
        # More than the column's two decimals, even zeros: never rounded away.
        ("12.345", "拨付金额最多保留2位小数（12.345）"),
        ("1.230", "拨付金额最多保留2位小数（1.230）"),
        ("１２．３４５", "拨付金额最多保留2位小数（１２．３４５）"),
        ("1,234.567", "拨付金额最多保留2位小数（1,234.567）"),
        (5000.125, "拨付金额最多保留2位小数（5000.125）"),
        (Decimal("0.001"), "拨付金额最多保留2位小数（0.001）"),
        (Decimal("12.345"), "拨付金额最多保留2位小数（12.345）"),  # past the fast path's traps
        (Decimal("1.230"), "拨付金额最多保留2位小数（1.230）"),
        (Decimal("999999999999.995"), "拨付金额最多保留2位小数（999999999999.995）"),
        # More than the column's 14 digits.
        ("1000000000000", "拨付金额过大（1000000000000）"),
        ("1" * 20, f"拨付金额过大（{'1' * 20}）"),
        (10**19, "拨付金额过大（10000000000000000000）"),
        (1e20, "拨付金额过大（100000000000000000000）"),
        (Decimal("1E+12"), "拨付金额过大（1000000000000）"),
        (Decimal("1000000000000.00"), "拨付金额过大（1000000000000.00）"),
        # Below zero.
        ("-5", "拨付金额不能为负数（-5）"),
        ("－５", "拨付金额不能为负数（－５）"),
        (-5, "拨付金额不能为负数（-5）"),
        (Decimal("-1200"), "拨付金额不能为负数（-1200）"),
    ],
)
def test_it_refuses_what_is_not_an_amount_with_its_message(value, message):
    with pytest.raises(AmountError) as refused:
        parse_amount(value, LABEL)

    assert str(refused.value) == message
    assert amount_or_problem(value, LABEL) == (None, message)


def test_it_refuses_as_a_value_error_django_import_export_reports():
    with pytest.raises(ValueError, match="不是数字"):
        parse_amount("1e3", LABEL)


def test_it_allows_a_negative_amount_only_when_the_caller_does():
    assert parse_amount("-1,234.5", LABEL, allow_negative=True) == Decimal("-1234.50")
    with pytest.raises(AmountError, match="不是数字"):
        parse_amount("-1e3", LABEL, allow_negative=True)


def test_it_quotes_an_overlong_value_shortened():
    with pytest.raises(AmountError) as refused:
        parse_amount("9" * 100_000, LABEL)

    assert refused.value.code == "too_large"
    assert len(str(refused.value)) < 60


def test_it_reads_a_huge_integer_cell_without_converting_it_to_text():
    # int -> str is limited to 4300 digits; the message must not be what fails.
    with pytest.raises(AmountError, match="过大"):
        parse_amount(10**5000, LABEL)


def test_it_restates_the_digits_and_places_of_allocations_money():
    # core imports no domain app, so the limits are restated there: they must not drift.
    assert (MAX_DIGITS, DECIMAL_PLACES) == (AMOUNT_MAX_DIGITS, AMOUNT_DECIMAL_PLACES)


@pytest.mark.parametrize(
    "field",
    [
        AllocationLine._meta.get_field("amount"),
        PrefectureSubtotal._meta.get_field("declared_amount"),
        AllocationDocument._meta.get_field("declared_total"),
        FeedbackLine._meta.get_field("amount"),
        FeedbackLine._meta.get_field("spent"),
    ],
    ids=str,
)
def test_it_holds_amounts_to_the_digits_of_the_model_columns(field):
    assert (field.max_digits, field.decimal_places) == (MAX_DIGITS, DECIMAL_PLACES)


class _Form(forms.Form):
    amount = AmountField(label="天山区 拨付金额", required=False)


@pytest.mark.parametrize(
    "typed, expected",
    [("１，２３４．５", Decimal("1234.50")), ("", None)],
)
def test_it_gives_a_form_field_the_same_reading(typed, expected):
    form = _Form({"amount": typed})

    assert form.is_valid()
    assert form.cleaned_data["amount"] == expected


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1e3", "天山区 拨付金额“1e3”不是数字"),
        ("-1", "天山区 拨付金额不能为负数（-1）"),
        ("1.001", "天山区 拨付金额最多保留2位小数（1.001）"),
    ],
)
def test_it_gives_a_form_field_the_same_messages(typed, message):
    form = _Form({"amount": typed})

    assert form.errors == {"amount": [message]}


def test_it_offers_a_text_input_a_browser_leaves_as_typed():
    # A number input would drop "1,234.5" before the server could read it.
    html = str(_Form()["amount"])

    assert 'type="text"' in html and 'inputmode="decimal"' in html

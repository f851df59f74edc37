"""The one reading of an amount in 万元, for every way an amount comes in.

The 附件1 and 附件3 workbooks, the admin's flat CSV/XLSX line import and the
forms all hand their value to parse_amount, so "1,234.5" or "1e3" means the
same everywhere and a refusal reads the same everywhere. What a caller adds
on top is its own business (whether empty is allowed, 实际支出 ≤ 资金金额, a
document's share); what counts as an amount, and what is said when a value
is not one, is decided here only.

Text is folded with NFKC first, so full-width digits, "，" and "．" read as
ASCII. Only ASCII digits count after that: Decimal() alone would also take
"1e3", "NaN", "Infinity" and other scripts' digits such as "١٢٣", none of
which an officer means as an amount. A number that arrives as a number (a
workbook cell) is taken as it is, a float through repr(): the shortest text
that reads back as the same double, i.e. the number Excel was given (see
allocations/workbook/reader.py). A cell holding 1e309 arrives as
float('inf') and is refused like the text "Infinity".

Kept apart from the domain apps (core imports none of them here): the model
columns' max_digits and decimal_places are restated below, and a test holds
them equal to the models'.
"""

import re
import unicodedata
from decimal import Context, Decimal, DecimalException, InvalidOperation, Rounded

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

MAX_DIGITS = 14
DECIMAL_PLACES = 2
MAX_WHOLE_DIGITS = MAX_DIGITS - DECIMAL_PLACES

# Already-parsed Decimals come 100k at a time from a large 附件1: quantizing
# in this context raises exactly where the checks below refuse (a third
# decimal, even a 0, is Rounded; more digits than the column holds is
# InvalidOperation), so a positive amount it accepts needs none of them.
_CENT = Decimal(1).scaleb(-DECIMAL_PLACES)
_EXACT_CENTS = Context(prec=MAX_DIGITS, traps=[Rounded, InvalidOperation])
_ZERO = Decimal("0.00")

# After NFKC. Separators (",", spaces) only between digits of the whole part:
# "1,234.5" and "5 000" are how figures are pasted from spreadsheets.
_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:[,\s]+[0-9]+)*(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_SEPARATORS = re.compile(r"[,\s]+", re.ASCII)

# A refused value is quoted back; a 300-digit one would drown the message.
_SHOWN_MAX = 40


class AmountError(ValueError):
    """A value that is not an amount; str() is the message, in the active language.

    A ValueError, so that django-import-export shows it as the cell's error.
    """

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return self.message


def _shown(value):
    # A number is quoted as the Decimal it was read as: a 1e309 cell then
    # reads "Infinity", like the text of that name.
    if isinstance(value, float):
        value = Decimal(repr(value))
    elif isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, Decimal):
        text = format(value, "f") if value.is_finite() else str(value)
    else:
        text = str(value)
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"


def _refuse(code, label, value):
    shown = _shown(value)
    if code == "not_a_number":
        message = gettext("%(label)s“%(value)s”不是数字") % {"label": label, "value": shown}
    elif code == "negative":
        message = gettext("%(label)s不能为负数（%(plain)s）") % {"label": label, "plain": shown}
    elif code == "decimal_places":
        message = gettext("%(label)s最多保留%(amount_decimal_places)s位小数（%(value)s）") % {
            "label": label,
            "amount_decimal_places": DECIMAL_PLACES,
            "value": shown,
        }
    else:
        message = gettext("%(label)s过大（%(plain)s）") % {"label": label, "plain": shown}
    return AmountError(message, code)


def _number(value, label):
    """The value as a Decimal, checked for form only; None when empty."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        folded = unicodedata.normalize("NFKC", text).strip()
        if not _TEXT.fullmatch(folded):
            raise _refuse("not_a_number", label, value)
        return Decimal(_SEPARATORS.sub("", folded))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):  # an int to Python, a TRUE/FALSE cell to the officer
        raise _refuse("not_a_number", label, value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    # A date or time cell in the amount column, say.
    raise _refuse("not_a_number", label, value)


def parse_amount(value, label, *, allow_negative=False):
    """value (text, int, float or Decimal) as a Decimal of cents; None when empty.

    Raises AmountError naming label and quoting the value as it came.
    Negative amounts are refused unless the caller allows them.
    """
    if value.__class__ is Decimal and value.is_finite() and value > 0:
        try:
            return value.quantize(_CENT, context=_EXACT_CENTS)
        except DecimalException:
            pass
    number = _number(value, label)
    if number is None:
        return None
    if not number.is_finite():
        raise _refuse("not_a_number", label, value)
    if number < 0 and not allow_negative:
        raise _refuse("negative", label, value)
    if number.as_tuple().exponent < -DECIMAL_PLACES:
        raise _refuse("decimal_places", label, value)
    if number.is_zero():
        # "-0" and 0E+20 too: zero whatever its sign and exponent.
        return _ZERO
    if number.adjusted() >= MAX_WHOLE_DIGITS:
        raise _refuse("too_large", label, value)
    return number.quantize(_CENT)


def amount_or_problem(value, label, *, allow_negative=False):
    """(Decimal or None, None), or (None, message): for callers that gather messages."""
    try:
        return parse_amount(value, label, allow_negative=allow_negative), None
    except AmountError as refused:
        return None, refused.message


class AmountField(forms.CharField):
    """A form field read by parse_amount, its messages naming the field's label.

    A text input, not a number one: a browser's number input would drop
    "1,234.5" or "１２３" before the server could read or refuse it.
    """

    def __init__(self, *, allow_negative=False, **kwargs):
        # A model DecimalField's formfield() (the admin's forms) passes its
        # digits and places: the parser's own limits are the columns' already.
        for key in ("max_digits", "decimal_places", "min_value", "max_value", "step_size"):
            kwargs.pop(key, None)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.allow_negative = allow_negative

    def to_python(self, value):
        try:
            return parse_amount(super().to_python(value), self.label, allow_negative=self.allow_negative)
        except AmountError as refused:
            raise ValidationError(refused.message, code=refused.code) from None

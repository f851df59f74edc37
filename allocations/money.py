"""Money in 万元: Decimal only, with the notice's way of writing it."""

from decimal import Decimal

from core import formats

AMOUNT_MAX_DIGITS = 14
AMOUNT_DECIMAL_PLACES = 2
ZERO = Decimal("0")


def plain(amount):
    """8294.00 -> '8294', 12.50 -> '12.5': how the notice writes amounts."""
    if amount is None:
        return ""
    text = format(Decimal(amount).normalize(), "f")
    return text


def grouped(amount):
    """8294 -> '8,294.00': the pages' one money format, core.formats.money (issue 14.7)."""
    return formats.money(amount)

"""Money in 万元: Decimal only, with the notice's way of writing it."""

from decimal import Decimal

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
    """8294 -> '8,294': thousands separators for tables."""
    if amount is None:
        return ""
    value = Decimal(amount).normalize()
    places = max(0, -value.as_tuple().exponent)
    return f"{value:,.{places}f}"

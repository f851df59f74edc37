"""Treasury amounts: exact 元 in, integer 分 stored, 万元 out rounded once, half up."""

from decimal import ROUND_HALF_UP, Decimal

FEN_PER_YUAN = 100
FEN_PER_WAN = 1_000_000
CENT = Decimal("0.01")


def fen_from_yuan(amount):
    """A Decimal of 元 with at most 2 places (core.amounts has checked it) as integer 分."""
    return int(amount * FEN_PER_YUAN)


def yuan(fen):
    return (Decimal(fen) / FEN_PER_YUAN).quantize(CENT)


def wan_from_fen(fen):
    # Exact: 分 / 10^6 is a finite decimal; rounding happens once, here.
    return (Decimal(fen) / FEN_PER_WAN).quantize(CENT, rounding=ROUND_HALF_UP)


def wan_text(fen, grouped=True):
    """wan_from_fen(fen) written out (72,988.00, or 72988.00 ungrouped), in integers.

    The same figure, rounded once and half up (away from zero on a tie, as
    ROUND_HALF_UP does), without a Decimal: the flow of a national document
    writes tens of thousands of them.
    """
    hundredths, rest = divmod(abs(fen), FEN_PER_WAN // 100)
    if rest * 2 >= FEN_PER_WAN // 100:
        hundredths += 1
    whole, cents = divmod(hundredths, 100)
    sign = "-" if fen < 0 else ""  # as Decimal writes -0.00 for a refund that rounds to nothing
    return f"{sign}{whole:,}.{cents:02d}" if grouped else f"{sign}{whole}.{cents:02d}"


def fen_from_wan(amount):
    # An allocation in 万元 (2 places) is a whole number of 分.
    return int(Decimal(amount) * FEN_PER_WAN)


def progress(paid_fen, allocated_fen):
    """Paid as a percentage of allocated, 2 places half up; None when nothing was allocated."""
    if not allocated_fen:
        return None
    return (Decimal(paid_fen) * 100 / Decimal(allocated_fen)).quantize(CENT, rounding=ROUND_HALF_UP)

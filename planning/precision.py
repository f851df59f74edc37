"""The arithmetic context of every computation in planning: Decimal, wide enough that nothing is lost.

A share is a quotient (value ÷ Σ values) and so rarely exact; 60 digits keep
the error some 40 places below anything the rounding looks at, and
`settled` cuts a quotient back to DIGITS places so that a quota that is a
whole number in exact arithmetic is one here too (1233.9999… → 1234). The
same inputs then give the same digits on any machine: Decimal is exact
decimal arithmetic, not the platform's floats.
"""

from decimal import ROUND_HALF_EVEN, Context, Decimal

CONTEXT = Context(prec=60, rounding=ROUND_HALF_EVEN)
DIGITS = 20
_QUANTUM = Decimal(1).scaleb(-DIGITS)
ZERO = Decimal(0)
ONE = Decimal(1)


def settled(value):
    """A quotient cut to DIGITS decimal places: the figure the rounding and the explanation show."""
    return value.quantize(_QUANTUM, context=CONTEXT)

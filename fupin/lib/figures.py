from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def percent(part, whole) -> Decimal | None:
    """part ÷ whole in percent, one decimal, half up; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def exact(value: Decimal | Fraction | int) -> Fraction:
    """A figure as an exact fraction, to compare with a threshold without rounding first."""
    return value if isinstance(value, Fraction) else Fraction(value)


def percent_text(value: Decimal | Fraction | int, *, near: Decimal | None = None, places: int = 2) -> str:
    """A percentage as people write it: 90, 0.51, 1.5 (no exponent, no trailing zeros), rounded half up
    to `places`; with `near`, the threshold it is compared with, as many more places as it takes not to
    look equal to it when it is not (1.9999 against 2, not 2.00)."""
    figure = exact(value)
    decimal = Decimal(figure.numerator) / Decimal(figure.denominator)
    while True:
        shown = decimal.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if near is None or places >= 6 or shown != near or figure == exact(near):
            break
        places += 1
    text = format(shown.normalize(), "f")
    return "0" if text in ("-0", "") else text

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part, whole) -> Decimal | None:
    """part ÷ whole in percent, one decimal, half up; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

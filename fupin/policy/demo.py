"""The demo's monitoring lines: no verified Henan figure for 2025 and 2026 was found (domain.md §4.3), so
the demo sets values of its own, marked unverified and named as demo values."""

from __future__ import annotations

from decimal import Decimal

from .actions import save_value
from .items import Name
from .models import PolicyValue

DEMO_LINES = {2025: Decimal("8300"), 2026: Decimal("8600")}
HENAN = "41"


def install_lines(by) -> int:
    """Henan's monitoring lines for the demo years, when missing; returns how many were added."""
    added = 0
    for year, amount in DEMO_LINES.items():
        if PolicyValue.objects.filter(name=Name.MONITORING_LINE, region_code=HENAN, year=year).exists():
            continue
        row = PolicyValue(
            name=Name.MONITORING_LINE,
            region_code=HENAN,
            year=year,
            value=amount,
            is_verified=False,
            document="演示值",
            source="演示数据：未找到河南省该年度监测线的核实来源，正式使用前由省级设定",
        )
        save_value(by=by, row=row)
        added += 1
    return added

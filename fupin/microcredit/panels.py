"""The household page's panel of the household's microcredit loans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fupin.registry import panels
from fupin.registry.models import Household


def loans_panel(household: Household, day: dt.date) -> dict[str, Any]:
    return {"loans": household.loans.select_related("borrower")}


def register_panels() -> None:
    panels.register(name="loans", order=500, template="microcredit/_household_loans.html", context=loans_panel)

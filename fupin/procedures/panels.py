"""The household page's panel of procedure cases: every case of the household, in every procedure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fupin.registry import panels
from fupin.registry.models import Household

from .models import Case


def cases_panel(household: Household, day: dt.date) -> dict[str, Any]:
    return {"cases": Case.objects.of(household).select_related("batch__procedure", "batch__step")}


def register_panels() -> None:
    panels.register(name="procedure-cases", order=300, template="procedures/_household_cases.html", context=cases_panel)

"""The monitoring panel of the household page: whether the household is monitored (防止返贫致贫对象), its
category, risks and contact, and its earlier cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fupin.codes.catalogue import code_list
from fupin.registry import panels
from fupin.registry.models import Household

from . import elimination
from .account import latest_account
from .kinds import CATEGORY, RISK_TYPE
from .models import CaseStatus, MonitoringCase


def monitoring_panel(household: Household, day: dt.date) -> dict[str, Any]:
    cases = list(MonitoringCase.objects.filter(household=household, identified_on__lte=day).select_related("contact"))
    categories, risks = code_list(CATEGORY), code_list(RISK_TYPE)
    for case in cases:
        case.category_label = categories.label(case.category)
        case.risk_labels = [risks.label(r) for r in case.risks]
        case.open_on_day = case.eliminated_on is None or case.eliminated_on > day
    clues = list(household.clues.filter(reported_at__date__lte=day).order_by("-reported_at")[:10])
    for clue in clues:
        clue.risk_labels = [risks.label(r) for r in clue.risks]
    current = next((c for c in cases if c.open_on_day), None)
    return {
        "clues": clues,
        "cases": cases,
        "current": current,
        # the conditions for eliminating the risk, as of today (not for a past day's view)
        "elimination": elimination.assess(current) if current and current.status == CaseStatus.MONITORING else None,
        "account": latest_account(household, day.year),
    }


def register_panels() -> None:
    panels.register(name="monitoring", order=50, template="monitoring/_household_panel.html", context=monitoring_panel)

"""The panels assistance adds to the household page (一户一档) for a given day: the cadre paired then, the
latest visits, the latest plan up to that year, and the village's work team with its first secretary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch

from fupin.registry import panels
from fupin.registry.models import Household

from .models import TeamMember, TeamRole, WorkTeam
from .teams import serving_on

VISITS_SHOWN = 3


def cadre_panel(household: Household, day: dt.date) -> dict[str, Any]:
    """The cadre paired on `day`, the latest visits, and the village's work team with its first secretary."""
    # On the day a cadre changes, the old pairing ends and the new one starts: the newer one shows.
    pairing = serving_on(household.pairings.select_related("cadre__unit"), day).order_by("-start_on").first()
    secretaries = serving_on(TeamMember.objects.filter(role=TeamRole.FIRST_SECRETARY), day).select_related("cadre")
    team = (
        serving_on(WorkTeam.objects.filter(village_id=household.region_id), day)
        .select_related("unit")
        .prefetch_related(Prefetch("members", queryset=secretaries, to_attr="first_secretaries"))
        .first()
    )
    visits = household.visits.filter(visited_on__lte=day).select_related("cadre")[:VISITS_SHOWN]
    return {"pairing": pairing, "team": team, "visits": visits}


def plan_panel(household: Household, day: dt.date) -> dict[str, Any]:
    """The latest plan up to `day`'s year, with its measures."""
    return {"plan": household.plans.filter(year__lte=day.year).prefetch_related("measures__measure_type").first()}


def register_panels() -> None:
    panels.register(name="pairing", order=100, template="assistance/_household_pairing.html", context=cadre_panel)
    panels.register(name="plan", order=200, template="assistance/_household_plan.html", context=plan_panel)

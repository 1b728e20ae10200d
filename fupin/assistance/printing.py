"""Printable cards (帮扶联系卡, 明白卡) as PDF, two to an A4 sheet, for one household or a village.

The contact card names the household's cadre, unit and phone and this year's measures; the policy
card lists the measures with their amounts and the year's poverty line. ID numbers, bank accounts
and health data never appear."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from fupin.lib.pdf import pdf_response
from fupin.policy.values import PolicyMissing, income_line
from fupin.registry.models import Household

from .models import AssistancePlan, Pairing

KINDS = ("contact", "policy")


def cards(households: QuerySet[Household], year: int) -> list[dict]:
    households = households.select_related("region").prefetch_related(
        Prefetch("pairings", Pairing.objects.filter(end_on__isnull=True).select_related("cadre__unit"), "current"),
        Prefetch(
            "plans",
            AssistancePlan.objects.filter(year=year).prefetch_related("measures__measure_type"),
            "this_year",
        ),
    )
    result = []
    for household in households.order_by("region_id", "household_no"):
        plan = household.this_year[0] if household.this_year else None
        try:
            line = income_line(year, household.region_id, household.identification_standard)
        except PolicyMissing:
            line = None
        result.append(
            {
                "household": household,
                "pairing": household.current[0] if household.current else None,
                "plan": plan,
                "measures": list(plan.measures.all()) if plan else [],
                "line": line,
            }
        )
    return result


def cards_html(households: QuerySet[Household], year: int, kind: str) -> str:
    context = {"cards": cards(households, year), "year": year, "kind": kind, "printed_on": timezone.localdate()}
    return render_to_string("assistance/cards_print.html", context)


def cards_pdf(households: QuerySet[Household], year: int, kind: str, filename: str) -> HttpResponse:
    return pdf_response(cards_html(households, year, kind), f"{filename}.pdf")

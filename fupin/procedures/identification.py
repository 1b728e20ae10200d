"""Identification (精准识别): an applicant household enters the register when the county approves;
one dropped on the way is recorded as not identified (and may apply again another year)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind
from fupin.policy.values import PolicyMissing, income_line
from fupin.registry import income
from fupin.registry.models import Household, PovertyStatus

from . import defaults, exclusions
from .households import HouseholdProcedure

IDENTIFICATION = "identification"


def income_finding(household: Household, year: int) -> dict:
    """Income is the basis of identification (domain.md §5.1): last year's per-capita net income
    against that year's line. Informs the reviewers; the democratic review and the county decide."""
    record = household.incomes.filter(year=year).first()
    per_capita = record.net_income_per_capita if record else None
    finding = {"year": year, "per_capita": str(per_capita) if per_capita is not None else None}
    try:
        line = income_line(year, household.region_id, household.identification_standard)
    except PolicyMissing:
        return {**finding, "line": None, "below": None, "policy": []}
    compared = income.per_capita_compared(record, line.value)
    below = compared <= 0 if compared is not None else None  # at or below the line: a poor household
    return {
        **finding,
        "line": str(line.value),
        "line_text": line.describe(),
        "below": below,
        "policy": [line.record()],
    }


def _findings(household: Household, batch) -> dict:
    return {"exclusions": exclusions.check(household), "income": income_finding(household, batch.year - 1)}


def _causes(household: Household) -> str:
    causes = code_list(Kind.POVERTY_CAUSE)
    return "、".join(causes.label(c) for c in (household.main_cause, *household.other_causes) if c)


HouseholdProcedure(
    name=IDENTIFICATION,
    label=_("identification"),
    title="贫困户识别（两公示一公告）",
    steps=defaults.IDENTIFICATION_STEPS,
    may_enter=(PovertyStatus.APPLICANT, PovertyStatus.NOT_IDENTIFIED),
    findings=_findings,
    approved=lambda batch, day, reason: {"poverty_status": PovertyStatus.NOT_EXITED, "first_identified_on": day},
    approved_note=_("Identified (batch %(batch)s)"),
    notice_reason=_causes,
    dropped=lambda reason: {"poverty_status": PovertyStatus.NOT_IDENTIFIED},
    dropped_note=_("Not identified (batch %(batch)s): %(reason)s"),
    register_change=lambda year: {"first_identified_on__year": year},
    position=10,
).register()

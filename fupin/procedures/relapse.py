"""Relapse (返贫): an exited household that has fallen back below the standard is marked relapsed.

It is proposed when the year's assessment fails (income not above the line, or a guarantee not
met); a household that still meets the standard needs the county's override with a reason.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.registry.models import Household, PovertyStatus

from . import defaults
from .exits import findings, income_note
from .households import HouseholdProcedure

RELAPSE = "relapse"


def _must_have_fallen_back(household: Household, batch, findings: dict) -> None:
    if findings["exit"]["passed"]:
        raise ValidationError(
            _("Household %(no)s still meets the standard of %(year)s; it has not fallen back.")
            % {"no": household.household_no, "year": batch.year}
        )


HouseholdProcedure(
    name=RELAPSE,
    label=gettext_lazy("relapse"),
    title="返贫认定",
    steps=defaults.RELAPSE_STEPS,
    may_enter=(PovertyStatus.EXITED,),
    findings=findings,
    entry_check=_must_have_fallen_back,
    approved=lambda batch, day, reason: {"poverty_status": PovertyStatus.RELAPSED, "relapsed_on": day},
    approved_note=gettext_lazy("Relapsed (batch %(batch)s)"),
    notice_reason=income_note,
    register_change=lambda year: {"poverty_status": PovertyStatus.RELAPSED, "relapsed_on__year": year},
    position=30,
).register()

"""Identification (精准识别): an applicant household enters the register when the county approves;
one dropped on the way is recorded as not identified (and may apply again another year)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind
from fupin.registry.models import Household, PovertyStatus

from . import exclusions
from .households import HouseholdProcedure

IDENTIFICATION = "identification"


def _causes(household: Household) -> str:
    causes = code_list(Kind.POVERTY_CAUSE)
    return "、".join(causes.label(c) for c in (household.main_cause, *household.other_causes) if c)


HouseholdProcedure(
    name=IDENTIFICATION,
    label=_("identification"),
    may_enter=(PovertyStatus.APPLICANT, PovertyStatus.NOT_IDENTIFIED),
    findings=lambda household, batch: {"exclusions": exclusions.check(household)},
    approved=lambda batch, day, reason: {"poverty_status": PovertyStatus.NOT_EXITED, "first_identified_on": day},
    approved_note=_("Identified (batch %(batch)s)"),
    notice_reason=_causes,
    dropped=lambda reason: {"poverty_status": PovertyStatus.NOT_IDENTIFIED},
    dropped_note=_("Not identified (batch %(batch)s): %(reason)s"),
).register()

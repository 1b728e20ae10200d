"""Removal (清退): a household registered wrongly (an exclusion rule applies, the household was
split to qualify, …) leaves the register. Each case names why; the reason is kept on the record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fupin.registry.models import PovertyStatus

from . import defaults, exclusions
from .households import HouseholdProcedure

REMOVAL = "removal"
# The statuses a household may be in to be proposed: an applicant is not removed, it is not identified.
REMOVABLE = (PovertyStatus.NOT_EXITED, PovertyStatus.EXITED, PovertyStatus.RELAPSED)

HouseholdProcedure(
    name=REMOVAL,
    label=_("removal"),
    title="错评清退",
    steps=defaults.REMOVAL_STEPS,
    may_enter=REMOVABLE,
    findings=lambda household, batch: {"exclusions": exclusions.check(household)},
    approved=lambda batch, day, reason: {
        "poverty_status": PovertyStatus.REMOVED,
        "removed_on": day,
        "removal_reason": reason[:200],
    },
    approved_note=_("Removed (batch %(batch)s)"),
    notice_reason=lambda household: "",
    requires_reason=True,
    register_change=lambda year: {"poverty_status": PovertyStatus.REMOVED, "removed_on__year": year},
    position=40,
).register()

"""Identification (精准识别): an applicant household enters the register when the county approves."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind
from fupin.regions.models import Level
from fupin.registry.actions import change_status
from fupin.registry.models import Household, PovertyStatus

from . import exclusions
from .kinds import Kind as ProcedureKind
from .kinds import register

IDENTIFICATION = "identification"
MAY_APPLY = (PovertyStatus.APPLICANT, PovertyStatus.NOT_IDENTIFIED)


def _candidates(batch):
    return Household.objects.filter(region_id=batch.region_id, poverty_status__in=MAY_APPLY)


def _findings(household: Household, batch) -> dict:
    return {"exclusions": exclusions.check(household)}


def _admit(household: Household, batch, *, override: bool = False) -> dict:
    if household.poverty_status not in MAY_APPLY:
        raise ValidationError(
            _("Household %(no)s is already in the register (%(status)s).")
            % {"no": household.household_no, "status": household.get_poverty_status_display()}
        )
    if not household.size:
        raise ValidationError(_("Household %(no)s has no members.") % {"no": household.household_no})
    return _findings(household, batch)


def _approve(household: Household, batch, *, by, day) -> None:
    change_status(
        by=by,
        household=household,
        values={"poverty_status": PovertyStatus.NOT_EXITED, "first_identified_on": day},
        reason=_("Identified (batch %(batch)s)") % {"batch": batch.pk},
    )


def _drop(household: Household, batch, *, by, day, reason: str) -> None:
    change_status(
        by=by,
        household=household,
        values={"poverty_status": PovertyStatus.NOT_IDENTIFIED},
        reason=_("Not identified (batch %(batch)s): %(reason)s") % {"batch": batch.pk, "reason": reason},
    )


def label(household: Household) -> str:
    return f"{household.head_name}（{household.household_no}）"


def notice_row(household: Household, reason: str) -> dict:
    """What a printed notice may show of a household: head, size, village group and a reason."""
    return {"head": household.head_name, "size": household.size, "group": household.group_name, "reason": reason}


def _notice_row(household: Household) -> dict:
    causes = [code_list(Kind.POVERTY_CAUSE).label(c) for c in (household.main_cause, *household.other_causes)]
    return notice_row(household, "、".join(c for c in causes if c))


register(
    ProcedureKind(
        name=IDENTIFICATION,
        label=gettext_lazy("identification"),
        region_level=Level.VILLAGE,
        candidates=_candidates,
        admit=_admit,
        findings=_findings,
        approve=_approve,
        drop=_drop,
        subject_label=label,
        notice_row=_notice_row,
    )
)

"""The procedures whose subject is a registered household (identification, exit, relapse, removal):
what they share, so that each kind only says which statuses may enter, what is checked, and what
approval writes to the record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from fupin.regions.models import Level
from fupin.registry.actions import change_status
from fupin.registry.models import Household

from .kinds import ProcedureKind, StepDefault, register
from .models import Case, CaseState

NOTICE_COLUMNS = (("head", "户主姓名"), ("size", "家庭人口"), ("group", "村民小组"), ("reason", "理由"))


def label(household: Household) -> str:
    return f"{household.head_name}（{household.household_no}）"


def notice_row(household: Household, reason: str) -> dict:
    """What a printed notice may show of a household: head, size, village group and a reason."""
    return {"head": household.head_name, "size": household.size, "group": household.group_name, "reason": reason}


@dataclass(frozen=True)
class HouseholdProcedure:
    name: str
    label: Promise
    title: str
    steps: tuple[StepDefault, ...]
    may_enter: tuple[str, ...]  # the poverty statuses a household may be in to be proposed
    findings: Callable[[Household, object], dict]
    # The status and dates approval writes: (batch, day, case reason) -> values for change_status.
    approved: Callable[[object, object, str], dict]
    approved_note: Promise  # the history's reason, with %(batch)s
    notice_reason: Callable[[Household], str]
    # Checks the findings before a household enters; raises unless overridden. None: no check.
    entry_check: Callable[[Household, object, dict], None] | None = None
    dropped: Callable[[str], dict] | None = None  # values written when a household is dropped
    dropped_note: Promise | None = None
    requires_reason: bool = False
    register_change: Callable[[int], dict] | None = None  # see ProcedureKind.register_change
    position: int = 100

    def register(self) -> ProcedureKind:
        return register(
            ProcedureKind(
                name=self.name,
                label=self.label,
                title=self.title,
                steps=self.steps,
                region_level=Level.VILLAGE,
                nouns=pgettext_lazy("procedure subjects", "households"),
                candidates=self._candidates,
                admit=self._admit,
                findings=self.findings,
                approve=self._approve,
                drop=self._drop,
                subject_label=label,
                notice_columns=NOTICE_COLUMNS,
                notice_row=lambda household: notice_row(household, self.notice_reason(household)),
                requires_reason=self.requires_reason,
                register_change=self.register_change,
                position=self.position,
            )
        )

    def _candidates(self, batch):
        """The village's households that may enter, less those already in an open procedure (the engine
        refuses them; the batch's picker does not offer them)."""
        busy = Case.objects.filter(
            subject_type=ContentType.objects.get_for_model(Household), state=CaseState.ACTIVE
        ).values("subject_id")
        households = Household.objects.filter(region_id=batch.region_id, poverty_status__in=self.may_enter)
        return households.exclude(pk__in=busy)

    def _admit(self, household: Household, batch, *, by, override: bool = False) -> dict:
        if household.poverty_status not in self.may_enter:
            raise ValidationError(
                _("Household %(no)s cannot enter %(procedure)s while its status is “%(status)s”.")
                % {
                    "no": household.household_no,
                    "procedure": self.label,
                    "status": household.get_poverty_status_display(),
                }
            )
        findings = self.findings(household, batch)
        if self.entry_check and not override:
            self.entry_check(household, batch, findings)
        return findings

    def _approve(self, household: Household, batch, *, by, day, reason: str) -> None:
        change_status(
            by=by,
            household=household,
            values=self.approved(batch, day, reason),
            reason=self.approved_note % {"batch": batch.pk},
        )

    def _drop(self, household: Household, batch, *, by, day, reason: str) -> None:
        if self.dropped is not None:
            note = self.dropped_note % {"batch": batch.pk, "reason": reason}
            change_status(by=by, household=household, values=self.dropped(reason), reason=note)

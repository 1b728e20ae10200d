"""Verifying what the comparison found (核实): the township of the household receives each finding,
verifies it itself or passes it to the village; the verifier records a result (属实 / 不属实 / 已纠正)
with evidence by the deadline. A confirmed finding acts at once: a suspect marks the member for its
exclusion rule (which identification reads), a warning becomes a monitoring clue (channel 部门预警), a
correction changes the register through its own action. A confirmed suspect may also be proposed into
a removal (清退) batch on the procedure engine.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.lib import uploads
from fupin.monitoring.warnings import raise_warning
from fupin.permissions import Perm
from fupin.procedures import engine, exclusions
from fupin.procedures.models import Batch, BatchState, ExclusionRule, MemberFlag
from fupin.procedures.removal import REMOVABLE, REMOVAL
from fupin.regions.models import Level
from fupin.registry import actions as registry

from . import comparison, rules
from .models import Finding, Result, Yield

DIED = "01"  # leave_reason: 死亡


def explanation(finding: Finding) -> str:
    return rules.explain(finding.rule.explanation, values_of(finding))


def values_of(finding: Finding) -> dict[str, str]:
    return comparison.split_values(finding.rule.kind, finding.row_values, finding.name_in_list)


def _locked(finding: Finding, by, *states: str) -> Finding:
    access.require(by, Perm.VERIFY_FINDINGS, finding.region_id)
    locked = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("rule__kind", "member", "household")
        .get(pk=finding.pk)
    )
    if locked.state not in states:
        raise ValidationError(
            _("This finding is no longer waiting for that step: it is %(state)s.")
            % {"state": locked.get_state_display()}
        )
    return locked


def _save(finding: Finding, by, reason: str, **kwargs) -> None:
    """Save with the history row naming who did it and why."""
    finding._history_user, finding._change_reason = by, reason
    finding.save(**kwargs)


def _event(by, finding: Finding, changes: dict) -> None:
    record_event(
        actor=by,
        event_type=EventType.UPDATE,
        target=finding,
        target_repr=f"{finding.household.household_no} {finding.member.name} · {finding.rule.name}",
        region_code=finding.region_id,
        changes=changes,
    )


@transaction.atomic
def pass_to_village(*, by, finding: Finding) -> Finding:
    """The township hands a finding to the village to check on the spot."""
    if by.region is None or by.region.level not in (Level.COUNTY, Level.TOWNSHIP):
        raise ValidationError(_("The township (or the county) passes a finding to the village."))
    finding = _locked(finding, by, Finding.State.TOWNSHIP)
    finding.state, finding.passed_at = Finding.State.VILLAGE, timezone.now()
    _save(finding, by, _("passed to the village"), update_fields=["state", "passed_at"])
    _event(by, finding, {"state": [Finding.State.TOWNSHIP, Finding.State.VILLAGE]})
    return finding


@transaction.atomic
def verify(*, by, finding: Finding, result: str, note: str, evidence) -> Finding:
    """Record what was found, with the evidence; a confirmed finding then acts (`act`)."""
    finding = _locked(finding, by, Finding.State.TOWNSHIP, Finding.State.VILLAGE)
    errors = {}
    if result not in Result.values:
        errors["result"] = _("Choose the result of the verification.")
    if not note.strip():
        errors["note"] = _("Say what was checked and found.")
    if evidence is None:
        errors["evidence"] = _("Attach the evidence: a photo, a certificate or the department's reply.")
    if errors:
        raise ValidationError(errors)
    uploads.check(evidence)
    finding.evidence.save(evidence.name, evidence, save=False)
    finding.result, finding.note = result, note.strip()[:500]
    finding.state, finding.verified_by, finding.verified_at = Finding.State.VERIFIED, by, timezone.now()
    if result == Result.CONFIRMED:
        finding.actions = act(finding, by)
    _save(finding, by, _("verified"))
    _event(by, finding, {"result": result, "note": finding.note, "actions": finding.actions})
    return finding


def act(finding: Finding, by) -> dict:
    """What a confirmed finding does, by what its rule yields; the ids of what it made."""
    rule = finding.rule
    said = explanation(finding)
    if rule.yields == Yield.SUSPECT:
        return _mark(finding, by, said)
    if rule.yields == Yield.WARNING:
        clue, merged = raise_warning(
            household=finding.household,
            rule=rule.code,
            values=values_of(finding),
            said=said,
            risks=[rule.risk_type] if rule.risk_type else [],
            by=by,
        )
        return {"clue": clue.pk, "merged": merged}
    return _correct(finding, by, said)


def _mark(finding: Finding, by, said: str) -> dict:
    """The member's mark for the rule's exclusion rule, which identification's checks read."""
    excluded = ExclusionRule.objects.filter(code=finding.rule.exclusion_rule, is_active=True).first()
    if excluded is None:
        return {}
    current = MemberFlag.objects.filter(member=finding.member, rule=excluded, cleared_at__isnull=True).first()
    if current is not None:
        return {"flag": current.pk}
    source = f"{finding.rule.kind.department}（{_('department data comparison')}）"
    flag = exclusions.set_flag(by=by, member=finding.member, rule=excluded, note=said[:300], source=source[:100])
    return {"flag": flag.pk}


def _correct(finding: Finding, by, said: str) -> dict:
    """A correction: the member leaves the household (a registered death), on the day the row gives."""
    member = finding.member
    if member.left_on is not None:
        return {"left": member.pk}
    today = timezone.localdate()
    days = [day for value in values_of(finding).values() if (day := rules.as_date(value)) and day <= today]
    left_on = days[0] if days else today
    registry.update_member(by=by, member=member, values={"left_on": left_on, "leave_reason": DIED}, reason=said[:200])
    return {"left": member.pk, "left_on": left_on.isoformat()}


def may_propose_removal(finding: Finding) -> bool:
    """A confirmed suspect not yet proposed, of a household the removal procedure takes (an applicant is
    not removed: identification reads the member's mark instead)."""
    return (
        finding.result == Result.CONFIRMED
        and finding.rule.yields == Yield.SUSPECT
        and not finding.actions.get("case")
        and finding.household.poverty_status in REMOVABLE
    )


def removal_batch(finding: Finding) -> Batch | None:
    """The village's open removal batch still taking cases, if there is one."""
    batches = Batch.objects.filter(
        procedure__kind=REMOVAL, region_id=finding.region_id, state=BatchState.OPEN
    ).select_related("step", "procedure")
    return next((b for b in batches if b.step_id == engine.steps_of(b)[0].pk), None)


@transaction.atomic
def propose_removal(*, by, finding: Finding, year: int | None = None):
    """Put the household of a confirmed suspect into the village's removal batch (a new one when none
    is open at its first step), with the finding as the reason."""
    finding = _locked(finding, by, Finding.State.VERIFIED)
    if finding.result != Result.CONFIRMED or finding.rule.yields != Yield.SUSPECT:
        raise ValidationError(_("Only a confirmed suspect is proposed for removal."))
    if finding.actions.get("case"):
        raise ValidationError(_("This household was already proposed for removal from this finding."))
    batch = removal_batch(finding)
    if batch is None:
        try:
            batch = engine.start_batch(
                by=by, kind=REMOVAL, region=finding.household.region, year=year or timezone.localdate().year
            )
        except PermissionDenied:
            raise ValidationError(
                _("Your role does not start removal batches: ask the village to propose it.")
            ) from None
    said = explanation(finding)
    case = engine.add_case(by=by, batch=batch, version=batch.version, subject=finding.household, reason=said)
    finding.actions = {**finding.actions, "case": case.pk, "batch": batch.pk}
    _save(finding, by, _("proposed for removal"), update_fields=["actions"])
    _event(by, finding, {"removal_batch": batch.pk, "case": case.pk})
    return case


def overdue(queryset, today: dt.date | None = None):
    today = today or timezone.localdate()
    return queryset.exclude(state=Finding.State.VERIFIED).filter(due_on__lt=today)

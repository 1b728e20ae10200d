"""Exclusion rules (六不评 and the like, domain.md §5.2): each active rule checked against the members'
current flags. A hit is a finding that the reviewers see and the case keeps, not a refusal.

Flags are set by hand here for now; the cross-check capability will set them from departments' data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.lib import uploads
from fupin.permissions import Perm

from .models import ExclusionRule, MemberFlag


def check(household) -> list[dict]:
    """[{rule, name, hit, facts}] for every rule in use, as JSON for the case's findings."""
    flags: dict[int, list[str]] = {}
    current = MemberFlag.objects.filter(
        member__household=household, member__left_on__isnull=True, cleared_at__isnull=True
    ).select_related("member")
    for flag in current:
        flags.setdefault(flag.rule_id, []).append(
            _("%(name)s: %(note)s (source: %(source)s)")
            % {"name": flag.member.name, "note": flag.note, "source": flag.source}
        )
    return [
        {"rule": rule.code, "name": rule.name, "hit": rule.pk in flags, "facts": flags.get(rule.pk, [])}
        for rule in ExclusionRule.objects.filter(is_active=True)
    ]


@transaction.atomic
def set_flag(*, by, member, rule: ExclusionRule, note: str, source: str, upload=None) -> MemberFlag:
    """Mark a member with what a rule looks for, with a note and optionally a file that proves it."""
    region = member.household.region_id
    access.require(by, Perm.CHANGE_HOUSEHOLD, region)
    if not note.strip():
        raise ValidationError({"note": _("Say what was found and where.")})
    if MemberFlag.objects.filter(member=member, rule=rule, cleared_at__isnull=True).exists():
        raise ValidationError({"rule": _("This member is already marked for this rule.")})
    flag = MemberFlag(
        member=member, rule=rule, note=note.strip(), source=source.strip() or _("entered by hand"), set_by=by
    )
    if upload is not None:
        uploads.check(upload)
        flag.file.save(upload.name, upload, save=False)
    flag.save()
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=flag,
        target_repr=f"{member.household.household_no} {member.name}",
        region_code=region,
        changes={"rule": rule.code, "note": flag.note, "source": flag.source},
    )
    return flag


@transaction.atomic
def clear_flag(*, by, flag: MemberFlag, reason: str) -> None:
    region = flag.member.household.region_id
    access.require(by, Perm.CHANGE_HOUSEHOLD, region)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for clearing the mark.")})
    updated = MemberFlag.objects.filter(pk=flag.pk, cleared_at__isnull=True).update(
        cleared_at=timezone.now(), cleared_by=by, clear_reason=reason.strip()[:300]
    )
    if not updated:
        raise ValidationError(_("This mark has already been cleared."))
    record_event(
        actor=by,
        event_type=EventType.UPDATE,
        target=flag,
        region_code=region,
        changes={"cleared": [None, reason.strip()]},
    )

"""Every change to work teams, their members, attendance, spot checks and leaders' links: checked,
scoped to the actor's region and audited.

- A village has one work team at a time: its teams' tenures may not overlap.
- Members are cadres of units serving the village. A cadre sits on one team at a time, a team has
  one first secretary at a time, and a member's tenure lies within the team's.
- Attendance is one figure per member and month, the days spent in the village: not more than the
  month has, not for a month still to come or outside the member's tenure. A month below the
  policy's `work_team_min_days` is short.
- A spot check is dated within the member's tenure and not in the future.
- A leader's link is to a township or village in the actor's jurisdiction.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event, save_changes, snapshot
from fupin.audit.models import EventType
from fupin.permissions import Perm
from fupin.policy.items import Name
from fupin.policy.values import resolve, value_by_region
from fupin.regions.models import Level, Region

from .actions import phone_error
from .models import AssistingUnit, Attendance, Cadre, LeaderLink, SpotCheck, TeamMember, TeamRole, WorkTeam

TEAM_FIELDS = ("village_id", "unit_id", "start_on", "end_on")
LINK_FIELDS = ("leader_name", "leader_post", "phone", "region_id", "start_on", "end_on")


def overlaps(start: dt.date, end: dt.date | None, other_start: dt.date, other_end: dt.date | None) -> bool:
    """Whether two tenures share a day (an open end runs on)."""
    return start <= (other_end or dt.date.max) and other_start <= (end or dt.date.max)


def serving_on(queryset: QuerySet, day: dt.date, prefix: str = "") -> QuerySet:
    """The tenures (teams, members, links) running on `day`; `prefix` reaches them through a relation."""
    return queryset.filter(
        Q(**{f"{prefix}start_on__lte": day}),
        Q(**{f"{prefix}end_on__isnull": True}) | Q(**{f"{prefix}end_on__gte": day}),
    )


def _dates_errors(values: Mapping[str, Any]) -> dict[str, str]:
    start, end = values.get("start_on"), values.get("end_on")
    if start is None:
        return {"start_on": _("Enter the date it starts.")}
    if start > timezone.localdate():
        return {"start_on": _("The date is in the future.")}
    if end is not None and end < start:
        return {"end_on": _("The end is before the start (%(day)s).") % {"day": start}}
    return {}


def team_errors(values: Mapping[str, Any], team: WorkTeam | None, by) -> dict[str, str]:
    errors = _dates_errors(values)
    village = Region.objects.filter(code=values.get("village_id") or "", level=Level.VILLAGE).first()
    if village is None or not access.covers(by, village.code):
        errors["village_id"] = _("Choose a village inside your jurisdiction.")
    unit = AssistingUnit.objects.filter(pk=values.get("unit_id"), is_active=True).first()
    if unit is None:
        errors["unit_id"] = _("Choose an active unit.")
    elif village is not None and not village.code.startswith(unit.region_id):
        errors["unit_id"] = _("%(unit)s serves %(region)s; this village is outside it.") % {
            "unit": unit.name,
            "region": unit.region.name,
        }
    if errors or village is None:
        return errors
    others = WorkTeam.objects.filter(village=village).exclude(pk=team.pk if team else None).select_related("unit")
    for other in others:
        if overlaps(values["start_on"], values.get("end_on"), other.start_on, other.end_on):
            errors["start_on"] = _("The tenure overlaps that of the %(unit)s team (from %(day)s).") % {
                "unit": other.unit.name,
                "day": other.start_on,
            }
            break
    if team is not None:
        outside = [m for m in team.members.select_related("cadre") if not _within(m, values)]
        if outside:
            errors["end_on"] = _("%(name)s's time on the team falls outside this tenure; end it first.") % {
                "name": outside[0].cadre.name
            }
    return errors


def _within(member: TeamMember, team_values: Mapping[str, Any]) -> bool:
    team_end = team_values.get("end_on") or dt.date.max
    return team_values["start_on"] <= member.start_on <= team_end and (member.end_on or team_end) <= team_end


@transaction.atomic
def save_team(*, by, team: WorkTeam | None, values: Mapping[str, Any]) -> WorkTeam:
    if team is not None:
        team = WorkTeam.objects.select_for_update().get(pk=team.pk)
        access.require(by, Perm.MANAGE_ASSISTANCE, team.village_id)
    merged = {**(snapshot(team, TEAM_FIELDS) if team else {"end_on": None}), **values}
    access.require(by, Perm.MANAGE_ASSISTANCE, merged.get("village_id") or "")
    # One change to a village's teams at a time, so two overlapping tenures cannot both pass the check.
    Region.objects.select_for_update().filter(code=merged["village_id"]).first()
    if errors := team_errors(merged, team, by):
        raise ValidationError(errors)
    before = snapshot(team, TEAM_FIELDS) if team else {}
    team = team or WorkTeam()
    for name in TEAM_FIELDS:
        setattr(team, name, merged[name])
    save_changes(by=by, instance=team, before=before, fields=TEAM_FIELDS, region_code=team.village_id)
    return team


@transaction.atomic
def add_member(*, by, team: WorkTeam, cadre: Cadre, role: str, start_on: dt.date) -> TeamMember:
    team = WorkTeam.objects.select_for_update().select_related("village").get(pk=team.pk)
    access.require(by, Perm.MANAGE_ASSISTANCE, team.village_id)
    # Locked too: two teams taking the same cadre at once would each pass the one-team check.
    cadre = Cadre.objects.select_for_update(of=("self",)).select_related("unit__region").get(pk=cadre.pk)
    errors: dict[str, str] = {}
    if role not in TeamRole.values:
        errors["role"] = _("Choose the member's role.")
    if not (cadre.is_active and cadre.unit.is_active):
        errors["cadre"] = _("This cadre or their unit is no longer active.")
    elif not team.village_id.startswith(cadre.unit.region_id):
        errors["cadre"] = _("%(unit)s serves %(region)s; this village is outside it.") % {
            "unit": cadre.unit.name,
            "region": cadre.unit.region.name,
        }
    if start_on > timezone.localdate():
        errors["start_on"] = _("The date is in the future.")
    elif not (team.start_on <= start_on <= (team.end_on or dt.date.max)):
        errors["start_on"] = _("The team is stationed from %(start)s to %(end)s; the date is outside it.") % {
            "start": team.start_on,
            "end": team.end_on or _("now"),
        }
    if errors:
        raise ValidationError(errors)
    for post in TeamMember.objects.filter(cadre=cadre).select_related("team__village"):
        if overlaps(start_on, team.end_on, post.start_on, post.end_on or post.team.end_on):
            raise ValidationError(
                {
                    "cadre": _("%(name)s is on the team in %(village)s then.")
                    % {"name": cadre.name, "village": post.team.village.name}
                }
            )
    if role == TeamRole.FIRST_SECRETARY:
        for other in team.members.filter(role=TeamRole.FIRST_SECRETARY).select_related("cadre"):
            if overlaps(start_on, team.end_on, other.start_on, other.end_on):
                raise ValidationError(
                    {
                        "role": _("%(name)s is the team's first secretary then; end that first.")
                        % {"name": other.cadre.name}
                    }
                )
    member = TeamMember.objects.create(team=team, cadre=cadre, role=role, start_on=start_on)
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=member,
        target_repr=f"{team.village.name} {cadre.name}",
        region_code=team.village_id,
        changes={"cadre": cadre.name, "role": role, "start_on": start_on.isoformat()},
    )
    return member


@transaction.atomic
def end_member(*, by, member: TeamMember, end_on: dt.date, reason: str) -> None:
    member = TeamMember.objects.select_for_update().select_related("team").get(pk=member.pk)
    access.require(by, Perm.MANAGE_ASSISTANCE, member.team.village_id)
    if member.end_on is not None:
        raise ValidationError(_("This member's time on the team has already ended."))
    if end_on < member.start_on:
        raise ValidationError({"end_on": _("The end is before the start (%(day)s).") % {"day": member.start_on}})
    if end_on > timezone.localdate():
        raise ValidationError({"end_on": _("The date is in the future.")})
    if member.team.end_on and end_on > member.team.end_on:
        raise ValidationError({"end_on": _("The team's tenure ends on %(day)s.") % {"day": member.team.end_on}})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the member leaves.")})
    member.end_on, member.end_reason = end_on, reason.strip()[:200]
    member.save(update_fields=["end_on", "end_reason"])
    record_event(
        actor=by,
        event_type=EventType.UPDATE,
        target=member,
        region_code=member.team.village_id,
        changes={"end_on": [None, end_on.isoformat()], "end_reason": member.end_reason},
    )


def month_days(month: dt.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def served_in(member: TeamMember, month: dt.date) -> bool:
    """Whether the member's tenure (ending with the team's at the latest) reaches into `month`."""
    last_day = month.replace(day=month_days(month))
    end = member.end_on or member.team.end_on
    return overlaps(month, last_day, member.start_on, end)


@transaction.atomic
def record_attendance(*, by, team: WorkTeam, month: dt.date, days: Mapping[int, int | None], notes=None) -> int:
    """The team's days in the village for `month` (member id → days; None clears). All or nothing;
    returns how many members' figures changed."""
    team = WorkTeam.objects.select_for_update().get(pk=team.pk)
    access.require(by, Perm.MANAGE_ASSISTANCE, team.village_id)
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ValidationError({"month": _("The month has not begun.")})
    notes = notes or {}
    members = {m.pk: m for m in team.members.select_related("cadre", "team")}
    errors = {}
    for member_id, value in days.items():
        member = members.get(member_id)
        if member is None:
            raise ValidationError(_("A member is not on this team."))
        if value is not None and not served_in(member, month):
            errors[f"days_{member_id}"] = _("%(name)s was not on the team in %(month)s.") % {
                "name": member.cadre.name,
                "month": f"{month:%Y-%m}",
            }
        elif value is not None and not 0 <= value <= month_days(month):
            errors[f"days_{member_id}"] = _("Enter 0 to %(days)s days for %(name)s.") % {
                "days": month_days(month),
                "name": member.cadre.name,
            }
    if errors:
        raise ValidationError(errors)
    existing = {a.member_id: a for a in Attendance.objects.filter(member__team=team, month=month)}
    changed = {}
    for member_id, value in days.items():
        record, note = existing.get(member_id), (notes.get(member_id) or "").strip()[:200]
        if value is None:
            if record is not None:
                record.delete()
                changed[members[member_id].cadre.name] = [record.days, None]
        elif record is None or (record.days, record.note) != (value, note):
            changed[members[member_id].cadre.name] = [record.days if record else None, value]
            Attendance.objects.update_or_create(
                member_id=member_id, month=month, defaults={"days": value, "note": note, "recorded_by": by}
            )
    if changed:
        record_event(
            actor=by,
            event_type=EventType.UPDATE,
            target=team,
            target_repr=f"{team} {month:%Y-%m}",
            region_code=team.village_id,
            changes={"attendance": f"{month:%Y-%m}", **changed},
        )
    return len(changed)


def min_days(village_code: str, year: int) -> int:
    return int(resolve(Name.WORK_TEAM_MIN_DAYS, year, village_code[:6]).value)


def attendance_rows(members: QuerySet[TeamMember], month: dt.date) -> QuerySet[TeamMember]:
    """The members on a team in `month`, each with `days` recorded (None when missing), the
    `min_days` their county's policy asks and whether the month is `short` (missing or fewer)."""
    month = month.replace(day=1)
    last = month.replace(day=month_days(month))
    on_team = members.filter(
        Q(end_on__isnull=True) | Q(end_on__gte=month),
        Q(team__end_on__isnull=True) | Q(team__end_on__gte=month),
        start_on__lte=last,
        team__start_on__lte=last,
    )
    minimum = value_by_region(Name.WORK_TEAM_MIN_DAYS, month.year, "team__village_id")
    days = Subquery(Attendance.objects.filter(member=OuterRef("pk"), month=month).values("days")[:1])
    short = Case(When(Q(days__isnull=True) | Q(days__lt=F("min_days")), then=True), default=False)
    return (
        on_team.select_related("team__village", "team__unit", "cadre")
        .annotate(days=days, min_days=minimum)
        .annotate(short=short)
        .order_by("team__village_id", "team_id", "role", "cadre__name")
    )


def attendance_summary(rows: QuerySet[TeamMember]) -> dict[str, int]:
    return rows.aggregate(
        members=Count("pk"),
        missing=Count("pk", filter=Q(days__isnull=True)),
        short=Count("pk", filter=Q(days__lt=F("min_days"))),
    )


@transaction.atomic
def record_spot_check(
    *, by, member: TeamMember, checked_on: dt.date, present: bool, checked_by: str, note: str = ""
) -> SpotCheck:
    member = TeamMember.objects.select_related("team", "cadre").get(pk=member.pk)
    access.require(by, Perm.MANAGE_ASSISTANCE, member.team.village_id)
    errors = {}
    if checked_on > timezone.localdate():
        errors["checked_on"] = _("The date is in the future.")
    elif not member.start_on <= checked_on <= (member.end_on or member.team.end_on or dt.date.max):
        errors["checked_on"] = _("%(name)s was not on the team on that day.") % {"name": member.cadre.name}
    if not checked_by.strip():
        errors["checked_by"] = _("Enter who checked (name and unit).")
    if not present and not note.strip():
        errors["note"] = _("Say what was found: where the member was, and whether leave was granted.")
    if errors:
        raise ValidationError(errors)
    check = SpotCheck.objects.create(
        member=member,
        checked_on=checked_on,
        present=present,
        checked_by=checked_by.strip(),
        note=note.strip(),
        recorded_by=by,
    )
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=check,
        target_repr=f"{member.cadre.name} {checked_on}",
        region_code=member.team.village_id,
        changes={"checked_on": checked_on.isoformat(), "present": present, "checked_by": check.checked_by},
    )
    return check


def link_errors(values: Mapping[str, Any], by) -> dict[str, str]:
    errors = _dates_errors(values)
    for name, message in (
        ("leader_name", _("Enter the leader's name.")),
        ("leader_post", _("Enter the leader's post.")),
    ):
        if not (values.get(name) or "").strip():
            errors[name] = message
    region = Region.objects.filter(code=values.get("region_id") or "").first()
    if region is None or region.level not in (Level.TOWNSHIP, Level.VILLAGE) or not access.covers(by, region.code):
        errors["region_id"] = _("Choose a township or village inside your jurisdiction.")
    if message := phone_error(values.get("phone") or "", required=False):
        errors["phone"] = message
    return errors


@transaction.atomic
def save_leader_link(*, by, link: LeaderLink | None, values: Mapping[str, Any]) -> LeaderLink:
    if link is not None:
        access.require(by, Perm.MANAGE_ASSISTANCE, link.region_id)
    merged = {**(snapshot(link, LINK_FIELDS) if link else {"phone": "", "end_on": None}), **values}
    access.require(by, Perm.MANAGE_ASSISTANCE, merged.get("region_id") or "")
    if errors := link_errors(merged, by):
        raise ValidationError(errors)
    before = snapshot(link, LINK_FIELDS) if link else {}
    link = link or LeaderLink(created_by=by)
    for name in LINK_FIELDS:
        value = merged[name]
        setattr(link, name, value.strip() if isinstance(value, str) else value)
    save_changes(
        by=by, instance=link, before=before, fields=LINK_FIELDS, region_code=link.region_id, target_repr=str(link)
    )
    return link

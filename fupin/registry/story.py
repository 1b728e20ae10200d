"""The household's story for its page: the record as it was on a date, the change history, and the
status timeline. All of it is read from the history tables that registry.actions keeps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .fields import display, label_of
from .models import Household, IncomeRecord, Member, PovertyStatus


@dataclass
class Snapshot:
    household: Household
    members: list[Member]
    former_members: list[Member]
    incomes: list[IncomeRecord]


def end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def current(household: Household) -> Snapshot:
    members = list(household.members.all())
    return Snapshot(
        household=household,
        members=[m for m in members if m.left_on is None],
        former_members=[m for m in members if m.left_on is not None],
        incomes=list(household.incomes.all()),
    )


def as_of(household: Household, day: dt.date) -> Snapshot | None:
    """The record as it stood at the end of `day`, or None if it was not registered yet."""
    moment = end_of(day)
    try:
        past = household.history.as_of(moment)
    except Household.DoesNotExist:
        return None
    members = sorted(
        Member.history.as_of(moment).filter(household_id=household.pk),
        key=lambda m: (m.relation_to_head, m.birth_date, m.pk),
    )
    incomes = sorted(IncomeRecord.history.as_of(moment).filter(household_id=household.pk), key=lambda r: -r.year)
    return Snapshot(
        household=past,
        members=[m for m in members if m.left_on is None],
        former_members=[m for m in members if m.left_on is not None],
        incomes=incomes,
    )


@dataclass(frozen=True)
class Provenance:
    """Since when this system holds a household's record, and how it came (an import, a registration)."""

    since: dt.date
    source: str


def held_since(household: Household) -> Provenance | None:
    first = household.history.order_by("history_date", "history_id").first()
    if first is None:
        return None
    return Provenance(timezone.localdate(first.history_date), first.history_change_reason or "")


@dataclass
class Change:
    at: dt.datetime
    user: str
    subject: str
    kind: str  # "+" created, "~" changed
    reason: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)


def _changes_of(records: list[Any], model, subject, reveal: bool) -> list[Change]:
    """Consecutive versions of one object, oldest first, turned into what changed."""
    changes = []
    previous = None
    for record in records:
        entry = Change(
            at=record.history_date,
            user=getattr(record.history_user, "full_name", "") or _("system"),
            subject=subject(record),
            kind=record.history_type,
            reason=record.history_change_reason or "",
        )
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["created_at", "updated_at"])
            entry.fields = [
                (
                    label_of(model, c.field),
                    display(previous.instance, c.field, reveal),
                    display(record.instance, c.field, reveal),
                )
                for c in delta.changes
            ]
            if not entry.fields:
                previous = record
                continue
        changes.append(entry)
        previous = record
    return changes


def history(household: Household, reveal: bool = False, limit: int = 100) -> list[Change]:
    """Every version of the household, its members and its incomes, newest first."""
    related = "history_user"
    changes = _changes_of(
        list(household.history.select_related(related).order_by("history_date", "history_id")),
        Household,
        lambda r: _("Household"),
        reveal,
    )
    member_rows: dict[int, list] = {}
    for row in Member.history.filter(household_id=household.pk).select_related(related).order_by("history_date"):
        member_rows.setdefault(row.id, []).append(row)
    for rows in member_rows.values():
        changes += _changes_of(rows, Member, lambda r: _("Member %(name)s") % {"name": r.name}, reveal)
    income_rows: dict[int, list] = {}
    for row in IncomeRecord.history.filter(household_id=household.pk).select_related(related).order_by("history_date"):
        income_rows.setdefault(row.id, []).append(row)
    for rows in income_rows.values():
        changes += _changes_of(rows, IncomeRecord, lambda r: _("Income %(year)s") % {"year": r.year}, reveal)
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes[:limit]


@dataclass(frozen=True)
class Milestone:
    when: str
    what: Any


def timeline(household: Household) -> list[Milestone]:
    """The status milestones the record states, in order."""
    steps = []
    if household.first_identified_on:
        steps.append(Milestone(household.first_identified_on.isoformat(), gettext_lazy("First identified as poor")))
    if household.exit_year:
        steps.append(Milestone(str(household.exit_year), gettext_lazy("Exited poverty")))
    if household.relapsed_on:
        steps.append(Milestone(household.relapsed_on.isoformat(), gettext_lazy("Relapsed into poverty")))
    if household.removed_on:
        steps.append(
            Milestone(
                household.removed_on.isoformat(),
                _("Removed from the register: %(reason)s") % {"reason": household.removal_reason},
            )
        )
    if household.planned_exit_year and household.poverty_status in (PovertyStatus.NOT_EXITED, PovertyStatus.RELAPSED):
        steps.append(Milestone(str(household.planned_exit_year), gettext_lazy("Planned exit")))
    return sorted(steps, key=lambda m: m.when)

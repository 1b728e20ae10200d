"""Setting policy values: the whole country's values by a national administrator, a region's own by an
administrator whose region covers it. Every change is audited with its before and after."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from fupin import access
from fupin.audit.actions import diff, record_event, snapshot
from fupin.audit.models import EventType
from fupin.permissions import Perm

from .models import CalendarDay, PolicyValue

FIELDS = ["name", "region_code", "year", "value", "document", "effective_on", "is_verified", "source"]


def can_set(user, region_code: str | None = None) -> bool:
    """Whether `user` may set values at all (no region given), or values of `region_code`."""
    if not user.has_perm(Perm.MANAGE_POLICY):
        return False
    prefix = access.region_prefix(user)
    if region_code is None:
        return prefix is not None
    return prefix == "" if region_code == "" else access.covers(user, region_code)


@transaction.atomic
def save_value(*, by, row: PolicyValue) -> PolicyValue:
    """Add or change a value (already validated by its form)."""
    if not can_set(by, row.region_code):
        raise PermissionDenied
    row.changed_by = by
    if row.pk is None:
        row.save()
        record_event(
            actor=by,
            event_type=EventType.CREATE,
            target=row,
            region_code=row.region_code,
            changes=snapshot(row, FIELDS),
        )
        return row
    before = PolicyValue.objects.select_for_update().get(pk=row.pk)
    if changes := diff(snapshot(before, FIELDS), snapshot(row, FIELDS)):
        row.save()
        record_event(actor=by, event_type=EventType.UPDATE, target=row, region_code=row.region_code, changes=changes)
    return row


CALENDAR_FIELDS = ["day", "is_working_day", "name"]


def _require_national(by) -> None:
    if not can_set(by, ""):
        raise PermissionDenied  # one calendar for the country, kept by the national administrator


@transaction.atomic
def save_calendar_day(*, by, day: CalendarDay) -> CalendarDay:
    _require_national(by)
    before = CalendarDay.objects.select_for_update().filter(day=day.day).first()
    if before is not None:
        day.pk = before.pk
    changes = diff(snapshot(before, CALENDAR_FIELDS) if before else {}, snapshot(day, CALENDAR_FIELDS))
    if changes:
        day.changed_by = by
        day.save()
        record_event(
            actor=by,
            event_type=EventType.UPDATE if before else EventType.CREATE,
            target=day,
            region_code="",
            changes=changes,
        )
    return day


@transaction.atomic
def delete_calendar_day(*, by, day: CalendarDay) -> None:
    _require_national(by)
    record_event(
        actor=by, event_type=EventType.DELETE, target=day, region_code="", changes=snapshot(day, CALENDAR_FIELDS)
    )
    day.delete()

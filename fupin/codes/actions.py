"""Changing the code lists: national data, so only an administrator of the whole country may, and
every change is audited. Codes are never deleted (records hold them); a retired code is marked not
in use, stays readable on old records and is no longer offered."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from fupin import access
from fupin.audit.actions import diff, record_event, snapshot
from fupin.audit.models import EventType
from fupin.permissions import Perm

from .catalogue import forget
from .models import Code

FIELDS = ["value", "label", "position", "is_active"]


def can_manage(user) -> bool:
    return user.has_perm(Perm.MANAGE_CODES) and access.region_prefix(user) == ""


@transaction.atomic
def save_code(*, by, code: Code) -> Code:
    """Add or change a code (already validated by its form)."""
    if not can_manage(by):
        raise PermissionDenied
    if code.pk is None:
        code.save()
        record_event(actor=by, event_type=EventType.CREATE, target=code, changes=snapshot(code, FIELDS))
    else:
        before = Code.objects.select_for_update().get(pk=code.pk)
        if changes := diff(snapshot(before, FIELDS), snapshot(code, FIELDS)):
            code.save()
            record_event(actor=by, event_type=EventType.UPDATE, target=code, changes=changes)
    transaction.on_commit(forget)
    return code

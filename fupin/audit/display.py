"""An audit event's changes as a person reads them: each key named in Chinese (the target's field, or a
word of the trail's own), each value written out (before → after, 是/否, lists joined), whatever the
shape an action stored. Pages and the export both show them this way."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DecimalField, Field, Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditEvent, EventType

# Keys the actions write that are not fields of the record they are about.
WORDS = {
    "filters": gettext_lazy("filters"),
    "format": gettext_lazy("format"),
    "full_id_numbers": gettext_lazy("full ID numbers"),
    "fields": gettext_lazy("fields shown"),
    "households": gettext_lazy("households"),
    "people": gettext_lazy("people"),
    "villages": gettext_lazy("villages"),
    "rows": gettext_lazy("rows"),
    "counts": gettext_lazy("counts"),
    "card": gettext_lazy("card"),
    "cards": gettext_lazy("cards"),
    "report": gettext_lazy("report"),
    "file": gettext_lazy("file"),
    "notice": gettext_lazy("notice"),
    "photos": gettext_lazy("photos"),
    "items": gettext_lazy("what was done"),
    "reason": gettext_lazy("reason"),
    "created": gettext_lazy("created"),
    "renamed": gettext_lazy("renamed"),
    "copied": gettext_lazy("copied"),
    "closed": gettext_lazy("closed"),
    "cleared": gettext_lazy("cleared"),
    "temporary": gettext_lazy("temporary password"),
    "mark_exit": gettext_lazy("exit recorded"),
    "action": gettext_lazy("action"),
    "sha256": gettext_lazy("file fingerprint"),
    "on": gettext_lazy("date"),
    "source": gettext_lazy("source"),
    "stage": gettext_lazy("import stage"),
    "errors": gettext_lazy("rows with errors"),
    "bytes": gettext_lazy("file size (bytes)"),
    "changed": gettext_lazy("records changed"),
    "unchanged": gettext_lazy("records unchanged"),
    "households_created": gettext_lazy("households created"),
    "households_updated": gettext_lazy("households updated"),
    "members_created": gettext_lazy("members created"),
    "members_updated": gettext_lazy("members updated"),
    "incomes_written": gettext_lazy("income records written"),
    "national_records_written": gettext_lazy("national system records written"),
    "flagged": gettext_lazy("flagged by the data-quality checks"),
    "lookup": gettext_lazy("lookup"),
    "method": gettext_lazy("request method"),
    "path": gettext_lazy("address requested"),
}
# Values some keys take, as words.
VALUE_WORDS = {
    "stage": {
        "received": gettext_lazy("received"),
        "uploaded": gettext_lazy("checked"),
        "committed": gettext_lazy("committed"),
        "restored": gettext_lazy("restored from a backup"),
    },
    "lookup": {"registered_elsewhere": gettext_lazy("a person registered outside the jurisdiction")},
}


def _model(event: AuditEvent) -> type[Model] | None:
    try:
        return apps.get_model(event.target_type) if event.target_type else None
    except (LookupError, ValueError):
        return None


def _field(model: type[Model] | None, key: str) -> Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, Field) else None  # not a reverse relation


def label(model: type[Model] | None, key: str) -> str:
    field = _field(model, key)
    if field is not None:
        return str(field.verbose_name)
    return str(WORDS[key]) if key in WORDS else key


def _value(field: Field | None, value: Any) -> str:
    """A stored value as its field shows it: a choice by its label, an amount with two decimals."""
    if field is not None and value not in (None, ""):
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, DecimalField) and isinstance(value, int | float | str):
            try:
                return f"{Decimal(str(value)):,.{field.decimal_places}f}"
            except InvalidOperation:
                return str(value)
    return text(value)


def text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return "；".join(f"{k}：{text(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list | tuple):
        return "、".join(text(v) for v in value) or "—"
    return str(value)


def rows(event: AuditEvent) -> Iterator[tuple[str, str]]:
    """(label, value) per key of the event's changes; an update's [before, after] as "before → after"."""
    changes = event.changes if isinstance(event.changes, dict) else {"": event.changes}
    model = _model(event)
    for key, value in changes.items():
        field = _field(model, key)
        pair = isinstance(value, list) and len(value) == 2
        if pair and event.event_type == EventType.UPDATE:
            shown = f"{_value(field, value[0])} → {_value(field, value[1])}"
        elif pair and event.event_type == EventType.CREATE and value[0] is None:  # [before, after] of a new record
            shown = _value(field, value[1])
        elif key in VALUE_WORDS and isinstance(value, str):
            shown = str(VALUE_WORDS[key].get(value, value))
        else:
            shown = _value(field, value)
        yield label(model, key), shown

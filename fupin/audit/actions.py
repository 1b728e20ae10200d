"""Writing and checking the audit trail. Every audited action calls `record_event` explicitly."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from .context import current_ip
from .models import GENESIS_HASH, AuditEvent, ChainHead, EventType


def _jsonable(value: Any) -> Any:
    """What the JSON column will give back, so the hash computed now matches the one re-computed later."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _normalized_ip(ip: str | None) -> str | None:
    """The form the database column stores (IPv6 compressed), so the hash survives a round trip."""
    return clean_ipv6_address(ip) if ip and ":" in ip else ip


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {f: getattr(instance, f) for f in fields}


def save_changes(
    *,
    by,
    instance: models.Model,
    before: Mapping[str, Any],
    fields: Iterable[str],
    region_code: str,
    target_repr: str = "",
) -> dict[str, list[Any]]:
    """Save `instance` if `fields` differ from `before` ({} for a new record) and record the change
    (create or update); returns the changes, empty when nothing was saved."""
    fields = tuple(fields)
    changes = diff(before, snapshot(instance, fields))
    if changes:
        created = instance.pk is None
        instance.save()
        record_event(
            actor=by,
            event_type=EventType.CREATE if created else EventType.UPDATE,
            target=instance,
            target_repr=target_repr,
            region_code=region_code,
            changes=changes,
        )
    return changes


@transaction.atomic
def record_event(
    *,
    actor,
    event_type: EventType,
    target: models.Model | None = None,
    target_repr: str = "",
    region_code: str = "",
    changes: Mapping[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction."""
    # Take the chain's write lock before reading its head (the first event creates the head).
    if not ChainHead.objects.filter(pk=1).update(seq=F("seq") + 1):
        ChainHead.objects.create(pk=1, seq=1)
    head = ChainHead.objects.get(pk=1)
    actor = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        id=head.seq,
        at=timezone.now(),
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        event_type=event_type,
        ip=_normalized_ip(ip if ip is not None else current_ip()),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=(target_repr or (str(target) if target is not None else ""))[:200],
        region_code=region_code,
        changes=_jsonable(dict(changes or {})),
        prev_hash=head.hash,
    )
    event.hash = event.compute_hash()
    event.save(force_insert=True)
    ChainHead.objects.filter(pk=1).update(hash=event.hash)
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""
    head: tuple[int, str] = (0, GENESIS_HASH)  # the last intact row: (id, hash)

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(chunk_size: int = 5000, *, exported_head: tuple[int, str] | None = None) -> ChainReport:
    """Walk the chain in order and report the first row that does not fit; with `exported_head`
    (id, hash) recorded outside the system earlier, also that this row is still there, unchanged."""
    expected_id, prev_hash, checked, keyed_seen = 1, GENESIS_HASH, 0, False
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.id != expected_id:
            return ChainReport(checked, expected_id, "missing", (checked, prev_hash))
        if event.prev_hash != prev_hash:
            return ChainReport(checked, event.id, "relinked", (checked, prev_hash))
        seal = event.seal()
        if not seal or (seal == "plain" and keyed_seen):
            return ChainReport(checked, event.id, "altered", (checked, prev_hash))
        keyed_seen = keyed_seen or seal == "keyed"
        expected_id, prev_hash, checked = expected_id + 1, event.hash, checked + 1
    head = ChainHead.objects.filter(pk=1).first() or ChainHead(seq=0, hash=GENESIS_HASH)
    if head.seq != checked or head.hash != prev_hash:
        return ChainReport(checked, checked + 1, "truncated", (checked, prev_hash))
    if checked and not keyed_seen:
        # every row re-hashed without the key: the newest row must carry it once the key exists
        return ChainReport(checked - 1, checked, "unkeyed", (checked, prev_hash))
    if exported_head is not None:
        seq, digest = exported_head
        if seq > checked:
            return ChainReport(checked, checked + 1, "truncated", (checked, prev_hash))
        at = AuditEvent.objects.filter(pk=seq).values_list("hash", flat=True).first() if seq else GENESIS_HASH
        if at != digest:
            return ChainReport(seq - 1, seq, "head_differs", (checked, prev_hash))
    return ChainReport(checked, head=(checked, prev_hash))


def record_export(
    *,
    by,
    what: str = "",
    filters: Mapping[str, Any] | None = None,
    target: models.Model | None = None,
    region_code: str | None = None,
    **changes,
) -> AuditEvent:
    """Every export, download and print of records: what (or the record it is of), the filters that
    chose its rows, and counts or format in `changes`; placed at the user's region unless the export
    is a region's. The one way an export is audited."""
    if filters is not None:
        changes["filters"] = dict(filters)
    return record_event(
        actor=by,
        event_type=EventType.EXPORT,
        target=target,
        target_repr=what,
        region_code=by.region_code if region_code is None else region_code,
        changes=changes,
    )


HEAD_LINE = "fupin-audit-head:"


def export_chain_head(*, by) -> str:
    """The chain's head as a short text for an external record (printed, or a file kept elsewhere):
    the export is itself the newest event, so the head it gives covers it. `verify_audit --head`
    checks the chain against the text."""
    with transaction.atomic():
        event = record_export(by=by, what="audit_chain_head")
    at = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S")
    return (
        f"精准扶贫信息管理系统 审计链头\n"
        f"事件序号：{event.id}\n哈希：{event.hash}\n导出时间：{at}\n导出人：{event.actor_name}\n"
        f"核对：manage.py verify_audit --head {event.id}:{event.hash}\n"
        f"{HEAD_LINE} {event.id}:{event.hash}\n"
    )


def parse_head(text: str) -> tuple[int, str] | None:
    """(id, hash) from "N:HASH" or from an exported head's text; None when neither is there."""
    for line in reversed(text.strip().splitlines()):
        candidate = line.removeprefix(HEAD_LINE).strip()
        seq, _, digest = candidate.partition(":")
        if seq.isdigit() and len(digest) == 64 and all(c in "0123456789abcdef" for c in digest):
            return int(seq), digest
    return None

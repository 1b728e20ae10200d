"""What the engine needs to know about a kind of procedure, registered by the module that owns it.

The engine moves batches through steps; a kind says which subjects may enter, what to check about
them, and what approval or dropping does to them. Monitoring entry, risk elimination and project
intake register theirs the same way, without changing the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from fupin.regions.models import Level


@dataclass(frozen=True)
class Kind:
    name: str
    label: Promise
    region_level: int  # the level of region a batch covers (a village's list)
    # Subjects of the batch's region that may be added.
    candidates: Callable[[Any], QuerySet]
    # Checks a subject before it enters (raises ValidationError in Chinese); returns its findings.
    admit: Callable[..., dict]
    # The findings as of now (rules checked, criteria with values and thresholds).
    findings: Callable[[Model, Any], dict]
    # What approval at the last step does to the subject, and what dropping it does (both get the
    # case's reason: why it was proposed, or why it was dropped).
    approve: Callable[..., None]
    drop: Callable[..., None]
    subject_label: Callable[[Model], str]
    # One row of a printed notice list: names, place, size and reason, never an ID number, phone,
    # bank account or health data.
    notice_row: Callable[[Model], dict]
    # Actors above the proposing level may admit a subject that fails the kind's checks, with a reason.
    override_levels: frozenset[int] = frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY})
    # Whether each case must say why it is proposed (a removal names what was wrong).
    requires_reason: bool = False


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def kind_choices() -> list[tuple[str, Promise]]:
    return [(k.name, k.label) for k in KINDS.values()]

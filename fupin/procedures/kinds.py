"""What the engine needs to know about a kind of procedure, registered by the module that owns it.

The engine moves batches through steps; a kind says which subjects may enter, what to check about
them, and what approval or dropping does to them. Household procedures (procedures.households),
project intake (projects.intake) and, later, monitoring entry register theirs the same way, without
changing the engine. Each kind also brings its national default steps, installed when missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from fupin.policy.items import Name
from fupin.regions.models import Level


@dataclass(frozen=True)
class StepDefault:
    code: str
    name: str
    actors: list[str]
    evidence: tuple[str, ...] = ()
    is_notice: bool = False
    can_send_back: bool = False


@dataclass(frozen=True)
class ProcedureKind:
    name: str
    label: Promise
    # The national definition: its name and steps (a province may replace them with its own).
    title: str
    steps: tuple[StepDefault, ...]
    region_level: int  # the level of region a batch covers (a village's list, a township's)
    nouns: Promise  # what the subjects are called in a sentence: "households", "projects"
    # Subjects of the batch's region that may be added.
    candidates: Callable[[Any], QuerySet]
    # Checks a subject before it enters (raises ValidationError in Chinese); returns its findings.
    # Called as admit(subject, batch, by=actor, override=…), inside the engine's transaction.
    admit: Callable[..., dict]
    # The findings as of now (rules checked, criteria with values and thresholds).
    findings: Callable[[Model, Any], dict]
    # What approval at the last step does to the subject, and what dropping it does (both get the
    # case's reason: why it was proposed, or why it was dropped).
    approve: Callable[..., None]
    drop: Callable[..., None]
    subject_label: Callable[[Model], str]
    # The printed notice list: its columns (key, heading) and one row per subject. Names, place,
    # size, amounts and reason; never an ID number, phone, bank account or health data.
    notice_columns: tuple[tuple[str, str], ...]
    notice_row: Callable[[Model], dict]
    notice_days: str = Name.NOTICE_DAYS  # the policy item that sets how long its notices run
    # Actors above the proposing level may admit a subject that fails the kind's checks, with a reason.
    override_levels: frozenset[int] = frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY})
    # Whether each case must say why it is proposed (a removal names what was wrong).
    requires_reason: bool = False
    # How the kind counts in a county's annual adjustment (动态调整): the filter on the households that
    # its approvals of a year leave in the register, to set beside the cases. None: it does not count,
    # and its batches do not join the round.
    register_change: Callable[[int], dict] | None = None
    position: int = 100  # where the kind stands in the adjustment's table: the order of the statutory cycle


KINDS: dict[str, ProcedureKind] = {}


def register(kind: ProcedureKind) -> ProcedureKind:
    KINDS[kind.name] = kind
    return kind


def kind_choices() -> list[tuple[str, Promise]]:
    return [(k.name, k.label) for k in KINDS.values()]


def adjusting_kinds() -> list[ProcedureKind]:
    """The kinds that change the register and so count in the annual adjustment, in their order."""
    return sorted((k for k in KINDS.values() if k.register_change is not None), key=lambda k: k.position)

"""Reading and checking codes. All code lists are small, so they are read in one query and kept
for a short while in the process (edits by an administrator show within CACHE_SECONDS everywhere,
at once in the process that made them)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .defaults import DEFAULTS
from .models import Code, Kind

CACHE_SECONDS = 60


@dataclass(frozen=True)
class KindSpec:
    """A code list: its name (the `kind` of its rows), what it is called, and its national defaults."""

    value: str
    label: Promise | str
    defaults: tuple[tuple[str, str], ...] = ()


KINDS: dict[str, KindSpec] = {}


def register_kind(value: str, label: Promise | str, defaults: Sequence[tuple[str, str]] = ()) -> str:
    """A capability adds a code list of its own (in its AppConfig.ready, or at import): installed with the
    national defaults after migrate, edited by administrators like the register's own lists."""
    KINDS[value] = KindSpec(value, label, tuple(defaults))
    return value


for _kind in Kind:
    register_kind(_kind.value, _kind.label, DEFAULTS.get(_kind.value, ()))


@dataclass
class CodeList:
    kind: str
    labels: dict[str, str] = field(default_factory=dict)  # value → label, every code ever used
    active: list[tuple[str, str]] = field(default_factory=list)  # (value, label) offered for new input
    by_label: dict[str, str] = field(default_factory=dict)  # label → value, for imports of labels

    def label(self, value: str | None) -> str:
        if not value:
            return ""
        return self.labels.get(value, value)

    def choices(self, blank: bool = True) -> list[tuple[str, str]]:
        return ([("", "---------")] if blank else []) + self.active

    def parse(self, text: str) -> str:
        """A code from its value or its label ("1" or "因病"); raises ValidationError in Chinese."""
        text = text.strip()
        if text in self.labels:
            return text
        if text in self.by_label:
            return self.by_label[text]
        raise ValidationError(
            _("“%(value)s” is not in the list %(list)s.") % {"value": text, "list": KINDS[self.kind].label}
        )

    def validate(self, value: str) -> None:
        if value and value not in self.labels:
            raise ValidationError(
                _("“%(value)s” is not in the list %(list)s.") % {"value": value, "list": KINDS[self.kind].label}
            )


_cache: tuple[float, dict[str, CodeList]] | None = None


def _load() -> dict[str, CodeList]:
    lists = {kind: CodeList(kind) for kind in KINDS}
    for kind, value, label, active in Code.objects.values_list("kind", "value", "label", "is_active"):
        code_list = lists.setdefault(kind, CodeList(kind))
        code_list.labels[value] = label
        code_list.by_label[label] = value
        if active:
            code_list.active.append((value, label))
    return lists


def code_lists() -> dict[str, CodeList]:
    """Every code list by kind (for code that looks up several lists per record)."""
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache[0] > CACHE_SECONDS:
        _cache = (now, _load())
    return _cache[1]


def code_list(kind: str) -> CodeList:
    return code_lists()[kind]


def forget() -> None:
    global _cache
    _cache = None


def label(kind: str, value: str | None) -> str:
    return code_list(kind).label(value)


@transaction.atomic
def install_defaults(**kwargs) -> int:
    """Add the national default codes that are missing; returns how many were added."""
    existing = set(Code.objects.values_list("kind", "value"))
    labels = set(Code.objects.values_list("kind", "label"))
    missing = [
        Code(kind=kind, value=value, label=text, position=position)
        for kind, spec in KINDS.items()
        for position, (value, text) in enumerate(spec.defaults, start=1)
        if (kind, value) not in existing and (kind, text) not in labels
    ]
    Code.objects.bulk_create(missing)
    forget()
    return len(missing)

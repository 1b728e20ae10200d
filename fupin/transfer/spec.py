"""What an importable sheet is: its columns (the versioned header contract) and its rules.

Each capability registers its sheets here (e.g. regions/imports.py); the pipeline, the pages, the
template workbook and the error report are shared by all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# One row's values by column key, parsed; and its errors by column key ("" for the whole row).
Row = dict[str, Any]
RowErrors = dict[str, str]


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # user-facing Chinese, but an interface: change it only with a new spec version
    required: bool = True
    parse: Callable[[str], Any] = str
    example: str = ""


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    title: Any  # lazy translation
    version: int
    permission: str
    columns: Sequence[Column]
    # Given all parsed rows and the uploader: each row's errors, in order. Sees the whole file, so it
    # can query in bulk and find duplicates.
    validate: Callable[[list[Row], Any], list[RowErrors]]
    # Writes every row through the capability's own actions, inside the pipeline's transaction;
    # returns a summary for the user ({"changed": n, "unchanged": m}).
    apply: Callable[[list[Row], Any], dict[str, int]]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


_SPECS: dict[str, SheetSpec] = {}


def register(spec: SheetSpec) -> SheetSpec:
    _SPECS[spec.kind] = spec
    return spec


def get_spec(kind: str) -> SheetSpec | None:
    return _SPECS.get(kind)


def all_specs() -> list[SheetSpec]:
    return list(_SPECS.values())


# Cell parsers shared by sheets. They get the cell as text and raise ValidationError in Chinese.


def parse_year(text: str) -> int | None:
    if not text:
        return None
    if not (len(text) == 4 and text.isdigit()):
        raise ValidationError(_("Enter a four-digit year."))
    return int(text)


YES = {"是", "y", "yes", "1", "true", "√"}
NO = {"否", "n", "no", "0", "false", "×"}


def parse_yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(_("Enter 是 or 否."))

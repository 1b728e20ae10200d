"""What an importable sheet is: its columns (the versioned header contract) and its rules.

Each capability registers its sheets here (e.g. regions/imports.py); the pipeline, the pages, the
template workbook and the error report are shared by all of them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# One row's values by column key, parsed; and its errors by column key ("" for the whole row).
Row = Mapping[str, Any]
RowErrors = dict[str, str]


class ParsedRow(Mapping):
    """A parsed row: its values in a tuple, read by column key like a dict's, in a fifth of a dict's
    memory (a 50 MB file holds 4·10^5 rows of 30 values). Each sheet's rows share one class, made by
    `row_type`, which holds the key → position index; nothing changes a parsed row."""

    __slots__ = ("_values",)
    _index: dict[str, int] = {}

    def __init__(self, values: tuple):
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[self._index[key]]

    def get(self, key: str, default: Any = None) -> Any:
        position = self._index.get(key)
        return default if position is None else self._values[position]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"ParsedRow({dict(self)!r})"


def row_type(keys: Sequence[str]) -> type[ParsedRow]:
    """The class of the parsed rows that hold these keys, in this order."""
    return type("Row", (ParsedRow,), {"__slots__": (), "_index": {key: i for i, key in enumerate(keys)}})


@dataclass(frozen=True)
class Source:
    """Where committed rows come from, for the history and records they write."""

    reason: str  # names the batch in the history ("import batch #12")
    file_name: str = ""
    batch_id: int | None = None
    # The day the file's data describes, for sheets that ask it (`SheetSpec.asks_data_date`).
    data_date: dt.date | None = None


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # user-facing Chinese, but an interface: change it only with a new spec version
    required: bool = True
    parse: Callable[[str], Any] = str
    example: str = ""
    aliases: tuple[str, ...] = ()  # other spellings found in other systems' exports
    # An ID number, bank account or phone: masked on the batch's pages and report unless revealed
    sensitive: bool = False


@dataclass(frozen=True)
class Staged:
    """What staging a reference sheet gave: rows kept, rows set aside (each with why), and the cells of
    the first rows and of the first set-aside rows for the batch's page."""

    rows: int
    set_aside: int
    kept: Sequence[tuple[int, list[str], RowErrors]]  # (row number, cells, errors by column key)


@dataclass(frozen=True)
class Reference:
    """A reference sheet: another department's list, loaded rather than applied. Its rows are not
    parsed one by one in Python but staged in bulk by the capability (`stage(batch, header_index,
    header, positions)` inside the check's transaction), and a row it cannot use is set aside and listed
    instead of failing a file of 10^6 rows; committing calls `publish(batch, by)`, which puts the
    staged rows to use. The same file (its fingerprint) is refused once it has been staged."""

    stage: Callable[[Any, int, list[str], dict[str, int]], Staged]
    publish: Callable[[Any, Any], dict[str, int]]


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    title: Any  # lazy translation
    version: int
    permission: str
    columns: Sequence[Column]
    # Given all parsed rows and the uploader: each row's errors, in order. Sees the whole file, so it
    # can query in bulk and find duplicates. (None only for a reference sheet.)
    validate: Callable[[list[Row], Any], list[RowErrors]] | None = None
    # Writes every row through the capability's own rules, inside the pipeline's transaction; gets the
    # rows, the uploader and the rows' `Source` (for history); returns a summary for the user
    # ({"changed": n, "unchanged": m, …}). (None only for a reference sheet.)
    apply: Callable[[list[Row], Any, Source], dict[str, int]] | None = None
    # The part of `validate` that reads the stored data (scope, existing records), which committing
    # runs again; None to run the whole of `validate` again. Set it only when the rest cannot change
    # its verdict between check and commit, as for the household sheets: their row rules see the
    # same parsed values, and those that read the date refuse only the future, which a later day
    # refuses less.
    recheck: Callable[[list[Row], Any], list[RowErrors]] | None = None
    # Other systems' exports carry columns we do not read; our own templates must match exactly.
    allow_extra_columns: bool = False
    # A page to look at after committing; the summary's "flagged" counts the records it lists.
    report_url: str = ""
    # Another system's export describes a past day (the national list's incomes are of its year): the
    # upload form asks for that day, and `apply` gets it in its `Source`.
    asks_data_date: bool = False
    # Another department's list (see Reference); None for the sheets that write the register.
    reference: Reference | None = None
    # A larger file than FUPIN_IMPORT_MAX_BYTES allows (a department's list of 10^6 rows).
    max_bytes: int | None = None
    # The batch's rows are shown only to its uploader (a department's raw data).
    private: bool = False

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


_SPECS: dict[str, SheetSpec] = {}
# Capabilities whose sheets are data (a province's own dataset kinds) give them when asked.
_PROVIDERS: list[Callable[[], Iterable[SheetSpec]]] = []


def register(spec: SheetSpec) -> SheetSpec:
    _SPECS[spec.kind] = spec
    return spec


def register_provider(provider: Callable[[], Iterable[SheetSpec]]) -> None:
    """Sheets made from the database as they are now, asked for each time (kinds added in a page)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def all_specs() -> list[SheetSpec]:
    return list(_SPECS.values()) + [spec for provider in _PROVIDERS for spec in provider()]


def get_spec(kind: str) -> SheetSpec | None:
    if kind in _SPECS:
        return _SPECS[kind]
    return next((spec for spec in all_specs() if spec.kind == kind), None)


# Cell parsers shared by sheets. They get the cell as text and raise ValidationError in Chinese.


def optional(parse: Callable[[str], Any], empty: Any = None) -> Callable[[str], Any]:
    """An optional column: an empty cell is `empty`, anything else goes to `parse`."""
    return lambda text: parse(text) if text else empty


def choice(labels: dict[str, str], aliases: dict[str, str] | None = None) -> Callable[[str], str]:
    """A column of labels (label → value): the label, its short form without 类 or 级, or an alias."""
    known = dict(labels) | {label.rstrip("类级"): value for label, value in labels.items()} | (aliases or {})

    def parse(text: str) -> str:
        if text in known:
            return known[text]
        raise ValidationError(_("Enter one of: %(choices)s.") % {"choices": "、".join(labels)})

    return parse


def label_of(labels: dict[str, str], value: str) -> str:
    """The label a `choice` column writes for a value (exports write what imports read)."""
    return next(label for label, v in labels.items() if v == value)


def parse_year(text: str) -> int | None:
    if not text:
        return None
    if not (len(text) == 4 and text.isdigit()):
        raise ValidationError(_("Enter a four-digit year."))
    return int(text)


def normalize_header(text: str) -> str:
    """Headers as typed in other systems: full-width forms, spaces and "*" marks of required columns ignored."""
    return "".join(unicodedata.normalize("NFKC", text).split()).strip("*")


def parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValidationError(_("Enter a number.")) from None
    if not value.is_finite():
        raise ValidationError(_("Enter a number."))
    return value


def parse_int(text: str) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ValidationError(_("Enter a whole number."))
    return int(value)


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m-%dT%H:%M:%S")


def parse_date(text: str) -> dt.date:
    if len(text) == 10 and text[4] == "-":  # the ISO form most files use, without strptime's cost
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date, no time zone)
        except ValueError:
            continue
    raise ValidationError(_("Enter a date such as 2024-05-01."))


YES = {"是", "y", "yes", "1", "true", "√"}
NO = {"否", "n", "no", "0", "false", "×"}


def parse_yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(_("Enter 是 or 否."))

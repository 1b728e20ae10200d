"""Tables by region (the dispatch table, the loan figures, and the other region figures that drill down):
a row per region one level below the one chosen, a row of the records located at the chosen region
itself (本级), and a total that is the sum of the rows; each row links down to its own table and back up.

A capability says what its table counts (`Figures`: a queryset and the aggregates over it, with their
zeros) and gets a `Table`; it never groups by region itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from fupin import access
from fupin.lib.figures import percent

from .models import CODE_LENGTHS, Region, ancestor_codes


@dataclass(frozen=True)
class TableRow:
    """One line of a table: a region's code (or the chosen region's own, for 本级) and its figures."""

    code: str
    figures: dict

    def rate(self, part: str, whole: str) -> Decimal | None:
        return percent(self.figures[part], self.figures[whole])


@dataclass(frozen=True)
class Figures:
    """What a table counts over one queryset: aggregates by name, and where each record's region is."""

    queryset: QuerySet
    aggregates: Mapping[str, Aggregate]
    field: str = "region_id"


@dataclass(frozen=True)
class Line:
    row: TableRow
    name: str
    drill: bool  # whether the row opens a table of its own (本级 does not)


@dataclass(frozen=True)
class Table:
    region: Region | None  # None: the whole country
    code: str
    lines: list[Line]
    total: TableRow
    up: str | None  # the region one level up, while it is still the user's


def child_code(parent: str, field: str = "region_id") -> Substr:
    """The code, one level below `parent`, of the region each row lies in (its own code when the row
    lies at that level or deeper than the code is long). Below a village there is no level: every
    record of a village is the village's own."""
    length = next((n for n in sorted(CODE_LENGTHS.values()) if n > len(parent)), len(parent))
    return Substr(field, 1, length)


def row_names(codes: list[str], parent: Region | None) -> dict[str, str]:
    """The name each row of a table by region shows: the child region's name, or "<parent> itself"
    for the row of the records located at the parent (its code is the parent's)."""
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    if parent is not None:
        names[parent.code] = _("%(region)s itself") % {"region": parent.name}
    return {code: names.get(code, code) for code in codes}


def chosen_region(request) -> Region | None:
    """The region asked for (?region=) inside the user's jurisdiction, else the user's own region
    (None for the whole country)."""
    code = access.requested_region(request) or access.region_prefix(request.user) or ""
    return Region.objects.filter(code=code).first() if code else None


def up(user, code: str) -> str | None:
    """The region one level up, while it is still inside the user's jurisdiction."""
    prefix = access.region_prefix(user) or ""
    if not code or len(code) <= len(prefix):
        return None
    return (ancestor_codes(code) or [""])[-1]


def rows_by_child(
    parent: str, sources: Sequence[Figures], zeros: Mapping[str, Any], row: type[TableRow] = TableRow
) -> list[TableRow]:
    """A row per region one level below `parent` that any source counts something in, with every
    figure (the zeros where a source has nothing there); records located at `parent` itself form the
    row coded `parent`. The rows partition the records, so they add up to the total."""
    figures: dict[str, dict] = {}
    for source in sources:
        grouped = source.queryset.filter(access.under(source.field, parent)) if parent else source.queryset
        grouped = grouped.annotate(child=child_code(parent, source.field)).order_by().values("child")
        for found in grouped.annotate(**source.aggregates):
            figures.setdefault(found.pop("child"), dict(zeros)).update(found)
    return [row(code, figures[code]) for code in sorted(figures)]


def total_of(rows: list[TableRow], zeros: Mapping[str, Any], row: type[TableRow] = TableRow) -> TableRow:
    return row("", {name: sum((r.figures[name] for r in rows), zero) for name, zero in zeros.items()})


def table(request, sources: Sequence[Figures], zeros: Mapping[str, Any], row: type[TableRow] = TableRow) -> Table:
    """The table of the region the request chose (within the user's), over the user's records."""
    region = chosen_region(request)
    code = region.code if region else ""
    rows = rows_by_child(code, sources, zeros, row)
    names = row_names([r.code for r in rows], region)
    lines = [Line(row=r, name=names[r.code], drill=r.code != code) for r in rows]
    return Table(region=region, code=code, lines=lines, total=total_of(rows, zeros, row), up=up(request.user, code))

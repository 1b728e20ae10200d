"""Writing many rows at once below the ORM: COPY on PostgreSQL, executemany on SQLite.

Loading a county's 10^5 households cannot go through `bulk_create`: on SQLite it sends a statement
per ~20 rows (999 variables), and every value passes through its field's preparation. Here a row is
a dict of column names (attnames) to the Python values the fields hold, converted once per column.
Models kept by django-simple-history get their history rows in the same transaction, attributed to a
user and a reason, exactly as the ORM's signals would have written them.

Call these inside a transaction; on SQLite that transaction then holds the database's write lock,
which is what makes the ids handed out by `reserve_ids` safe to use.
"""

# ruff: noqa: S608 — statements are built from the models' table and column names only

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

Row = dict[str, Any]
ANALYZE_AFTER = 10_000  # rows inserted at once after which PostgreSQL's statistics are renewed

# Fields whose Python values the drivers take as they are (psycopg adapts them; Django registers
# sqlite3 adapters for Decimal, date and datetime).
PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DecimalField,
    models.ForeignKey,
    models.IntegerField,
    models.TextField,
)


@dataclass(frozen=True)
class History:
    """Who a bulk write is attributed to in the history tables, and why."""

    user_id: int | None
    reason: str
    date: Any = None  # defaults to now


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How a column's values reach the driver; None when they go as they are."""
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, cls=field.encoder)
    if isinstance(field, models.DateTimeField):
        return _same_value_once(connection.ops.adapt_datetimefield_value) if connection.vendor == "sqlite" else None
    if isinstance(field, PLAIN):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _same_value_once(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A bulk write stamps every row with one time: convert it once."""
    last: list = [object(), None]

    def converted(value):
        if value is not last[0]:
            last[:] = [value, convert(value)]
        return last[1]

    return converted


def _tuples(model: type[models.Model], names: Sequence[str], rows: Iterable[Row]) -> Iterable[Sequence]:
    """Each row's values for these columns, ready for the driver."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    conversions = [(i, c) for i, name in enumerate(names) if (c := _converter(fields[name])) is not None]
    pick = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    if not conversions:
        yield from map(pick, rows)
        return
    for row in rows:
        values = list(pick(row))
        for i, convert in conversions:
            values[i] = convert(values[i])
        yield values


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def _copy(cursor, table: str, names: Sequence[str], tuples: Iterable[tuple]) -> None:
    # COPY goes to psycopg's cursor past Django's wrapper, so its errors are given Django's classes
    # here: a broken constraint is an IntegrityError whichever database the rows went to.
    with (
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({_quoted(names)}) FROM STDIN") as copy,
    ):
        for values in tuples:
            copy.write_row(values)


def _write(table: str, names: Sequence[str], tuples: Iterable[tuple]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, table, names, tuples)
        else:
            placeholders = ", ".join(["%s"] * len(names))
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(table)} ({_quoted(names)}) VALUES ({placeholders})",
                tuples,
            )


@contextmanager
def gc_paused():
    """Python's cycle collector paused while a county's rows are built and written (also as a
    decorator). The rows are dicts and lists without cycles, millions of them alive at once, and every
    full collection walks them all: a quarter of a 10^5-household import went to collections that
    found nothing of them to free. The collector resumes afterwards and frees what cycles there are."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def large_cache(mebibytes: int = 512):
    """On SQLite, a larger page cache while a large write runs, then the configured one again: once a
    registry of 10^6 households has indexes larger than the usual 64 MiB cache, every insert into
    them reads pages back from disk."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(mebibytes) * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for `model`, never handed out before."""
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            return [value for (value,) in cursor.fetchall()]
        # Take the write lock first (a no-op write), then count on from the highest id ever used.
        cursor.execute("UPDATE sqlite_sequence SET seq = seq WHERE name = %s", [table])
        cursor.execute(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"coalesce((SELECT max({connection.ops.quote_name(pk)}) FROM {connection.ops.quote_name(table)}), 0))",
            [table],
        )
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


@cache
def _defaults(model: type[models.Model]) -> tuple[dict[str, Any], dict[str, Callable[[], Any]], list[str]]:
    """A new record's fixed defaults, its defaults made afresh for each record, and its timestamps."""
    fixed, fresh, stamped = {}, {}, []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            stamped.append(field.attname)
        elif field.has_default() and callable(field.default):
            fresh[field.attname] = field.default
        else:
            fixed[field.attname] = field.get_default()
    return fixed, fresh, stamped


def new_row(model: type[models.Model], values: Row, now=None) -> Row:
    """A complete row for a new record: the fields' defaults (timestamps `now`), then `values`."""
    return row_maker(model, now or timezone.now())(values)


def row_maker(model: type[models.Model], now) -> Callable[[Row], Row]:
    """`new_row` for many records stamped with the same time, the defaults gathered once."""
    fixed, fresh, stamped = _defaults(model)
    base = {**fixed, **dict.fromkeys(stamped, now)}

    def make(values: Row) -> Row:
        row = base.copy()
        for name, default in fresh.items():
            row[name] = default()
        row.update(values)
        return row

    return make


def write_history(model: type[models.Model], ids: Sequence[int], kind: str, history: History) -> None:
    """The history rows of records just written ("+" created, "~" changed), copied by the database from
    the records themselves (what simple-history's signals would write, without sending every row a
    second time). `insert` and `update` call it; so does a capability that writes in SQL of its own."""
    if not ids:
        return
    historical = model.history.model
    own = _quoted(f.column for f in historical._meta.concrete_fields if not f.attname.startswith("history_"))
    extra = _quoted(["history_date", "history_change_reason", "history_type", "history_user_id"])
    q = connection.ops.quote_name
    pk = q(model._meta.pk.column)
    chosen = among(ids)
    date = connection.ops.adapt_datetimefield_value(history.date or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(historical._meta.db_table)} ({own}, {extra}) "
            f"SELECT {own}, %s, %s, %s, %s FROM {q(model._meta.db_table)} "
            f"WHERE {pk} BETWEEN %s AND %s AND {pk} IN ({chosen.sql})",
            [date, history.reason, kind, history.user_id, min(ids), max(ids), *chosen.params],
        )


def insert(model: type[models.Model], rows: Sequence[Row], *, history: History | None = None) -> None:
    """Insert complete rows (see `new_row`); rows without an id get one from `reserve_ids`."""
    if not rows:
        return
    pk = model._meta.pk
    if isinstance(pk, AutoFieldMixin):
        missing = [row for row in rows if row.get(pk.attname) is None]
        for row, value in zip(missing, reserve_ids(model, len(missing)), strict=True):
            row[pk.attname] = value
    names = [f.attname for f in model._meta.concrete_fields]
    _write(model._meta.db_table, names, _tuples(model, names, rows))
    if history is not None:
        write_history(model, [row[pk.attname] for row in rows], "+", history)
    if connection.vendor == "postgresql":
        _check_foreign_keys(model, len(rows))


def _check_foreign_keys(model: type[models.Model], inserted: int) -> None:
    """Check the new rows' foreign keys now rather than at commit, after renewing the statistics of a
    table that at least doubled.

    The planner would otherwise plan the rest of the transaction for the table as it was before (a
    quality check over a county's fresh households took minutes instead of a second) — and so would
    the foreign-key checks, whose plans the server keeps per connection: a plan made while the table
    was nearly empty scans it, once per new row. ANALYZE invalidates those plans; the checks, queued
    since Django's foreign keys are INITIALLY DEFERRED, then run with fresh ones.

    A table that grew by less than it held keeps its statistics: the planner scales the rows they
    counted by the table's size now, so its estimates stay within a factor of two, and autovacuum
    renews them after the commit. ANALYZE reads up to 30,000 pages however few rows were added
    (0.5–0.7 s per table at 10^6 households, cold: 1–1.4 s).
    """
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if inserted >= ANALYZE_AFTER:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
            counted = cursor.fetchone()[0]  # -1: never analysed
            if inserted >= counted:
                cursor.execute(f"ANALYZE {table}")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def update(
    model: type[models.Model], rows: Sequence[Row], fields: Sequence[str], *, history: History | None = None
) -> None:
    """Set `fields` of existing records from complete rows (with their ids); history keeps each whole row."""
    if not rows:
        return
    now = timezone.now()
    stamped = [f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    for row in rows:
        row.update(dict.fromkeys(stamped, now))
    fields = [*fields, *(name for name in stamped if name not in fields)]
    pk = model._meta.pk.attname
    names = [*fields, pk]
    tuples = _tuples(model, names, rows)
    table, q = model._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE bulk_update AS SELECT {_quoted(names)} FROM {q(table)} WITH NO DATA"
            )
            _copy(cursor, "bulk_update", names, tuples)
            assignments = ", ".join(f"{q(f)} = new.{q(f)}" for f in fields)
            cursor.execute(
                f"UPDATE {q(table)} SET {assignments} FROM bulk_update new WHERE {q(table)}.{q(pk)} = new.{q(pk)}"
            )
            cursor.execute("DROP TABLE bulk_update")
        else:
            assignments = ", ".join(f"{q(f)} = %s" for f in fields)
            cursor.executemany(f"UPDATE {q(table)} SET {assignments} WHERE {q(pk)} = %s", tuples)
    if history is not None:
        write_history(model, [row[pk] for row in rows], "~", history)


def among(values: Iterable) -> RawSQL | list:
    """For `filter(field__in=among(values))` with 10^5 values: one parameter (a JSON array on SQLite,
    an array on PostgreSQL) instead of Django's placeholder per value in chunks under SQLite's limit.
    PostgreSQL estimates the subquery's matches from its length alone; a few hundred values that an
    index serves well are better given as a list, which it estimates value by value."""
    values = list(values)
    if not values:
        return []  # Django answers `__in=[]` without a query
    if connection.vendor == "postgresql":
        if all(isinstance(v, int) for v in values):
            return RawSQL("SELECT unnest(%s::bigint[])", [_array_literal(map(str, values))])  # noqa: S611
        quoted = ("NULL" if v is None else '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
        return RawSQL("SELECT unnest(%s::text[])", [_array_literal(quoted)])  # noqa: S611
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])


def _array_literal(elements: Iterable[str]) -> str:
    """An array as PostgreSQL writes it: written here in one join, half the time psycopg takes to
    adapt a list of 10^5 values element by element."""
    return "{" + ",".join(elements) + "}"

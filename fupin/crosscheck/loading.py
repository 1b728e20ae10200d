"""Staging a department's list in bulk (the reference-sheet hook of the one import pipeline).

The file's rows go into a temporary table as text — on PostgreSQL a CSV is handed to COPY as it is, so
10^7 rows are not parsed one by one in Python — and one INSERT … SELECT keeps the rows whose ID number
is valid in `DepartmentRow`, normalised to 18 characters (a 15-digit number converted, x upper-cased),
the check digit verified by the database. The rest are set aside: counted, the first of them listed on
the batch's page with the reason. All of it is one transaction: a file found unreadable half-way keeps
nothing.
"""

# ruff: noqa: S608 — statements are built from the stage's c0…cN and the slots v1…v8, never from a kind's
# keys or a file's text; values are parameters.

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Iterator

import psycopg
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.jobs import progress
from fupin.transfer import reading
from fupin.transfer.pipeline import KEPT_ERROR_ROWS, PREVIEW_ROWS
from fupin.transfer.spec import Staged

from .models import DatasetKind, DatasetLoad, DepartmentRow

STAGE = "crosscheck_stage"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643-1999, ISO 7064 MOD 11-2
CHECK_CHARACTERS = "10X98765432"
ROWS_PER_WRITE = 10_000


def _digits(expression: str, count: int) -> str:
    if connection.vendor == "postgresql":
        return f"{expression} ~ '^[0-9]{{{count}}}$'"
    return f"{expression} GLOB '{'[0-9]' * count}'"


def id_number_sql(raw: str) -> tuple[str, str]:
    """The SQL of a column's text as the first 17 characters of an 18-character ID number (a 15-digit
    number converted as `registry.id_numbers.to_eighteen` does), or NULL; and of the weighted sum of
    those 17 digits (over a column named `body`) that gives the check character."""
    body = (
        f"(CASE WHEN length({raw}) = 15 AND {_digits(raw, 15)} "
        f"THEN substr({raw}, 1, 6) || '19' || substr({raw}, 7, 9) "
        f"WHEN length({raw}) = 18 AND {_digits(f'substr({raw}, 1, 17)', 17)} "
        f"AND ({_digits(f'substr({raw}, 18, 1)', 1)} OR substr({raw}, 18, 1) = 'X') "
        f"THEN substr({raw}, 1, 17) END)"
    )
    total = " + ".join(f"CAST(substr(body, {i}, 1) AS INTEGER) * {w}" for i, w in enumerate(WEIGHTS, start=1))
    return body, total


def _check_character(total: str) -> str:
    # the remainder by integer division: "%" would be a placeholder to the drivers, mod() is not in SQLite
    return f"substr('{CHECK_CHARACTERS}', {total} - ({total} / 11) * 11 + 1, 1)"


def _create_stage(width: int) -> None:
    cells = ", ".join(f"c{i} text" for i in range(width))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TEMP TABLE {STAGE} (n bigint GENERATED ALWAYS AS IDENTITY, {cells}) ON COMMIT DROP")
        else:
            cursor.execute(f"CREATE TEMP TABLE {STAGE} (n integer PRIMARY KEY, {cells})")


def _csv_start(file, lines: int) -> bool:
    """Skip `lines` lines (the title rows and the header) and say whether they were whole CSV records
    (no quoted line break in them): only then can the rest go to COPY as it is."""
    quotes = 0
    for _line in range(lines):
        quotes += file.readline().count(b'"')
    return quotes % 2 == 0


def _encoding(file) -> str:
    """COPY's name for the CSV's encoding, told from its first megabytes (the whole file was decoded
    when it was received; a wrong guess only makes COPY refuse, and the rows then go one by one)."""
    head = file.read(4 << 20)
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return "GB18030"
    return "UTF8"


def _copy_csv(batch, start: int, width: int) -> bool:
    """PostgreSQL: the CSV's rows below the header straight into the stage by COPY. False when COPY
    cannot take the file as it is (rows of another width, a blank line): the rows then go one by one."""
    columns = ", ".join(f"c{i}" for i in range(width))
    with batch.file.open("rb") as file:
        encoding = _encoding(file)
        file.seek(0)
        if not _csv_start(file, start + 1):
            return False
        size = batch.file.size or 1
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                sql = f"COPY {STAGE} ({columns}) FROM STDIN (FORMAT csv, ENCODING '{encoding}')"
                with cursor.cursor.copy(sql) as copy:
                    while chunk := file.read(1 << 20):
                        copy.write(chunk)
                        progress.advance(file.tell(), size)
        except (DatabaseError, psycopg.Error):  # the savepoint is rolled back; the stage is empty again
            return False
    return True


def _body_rows(batch, start: int) -> Iterator[list[str]]:
    with batch.file.open("rb") as file:
        rows = reading.rows(batch.original_name, file)
        for _skipped in range(start + 1):
            next(rows, None)
        yield from rows


def _write_rows(batch, start: int, width: int) -> None:
    """Any file: its rows read by the one reader, cut or padded to the header's width."""
    columns = ", ".join(f"c{i}" for i in range(width))
    marks = ", ".join(["%s"] * (width + 1))
    padding = [""] * width
    pending: list[tuple] = []
    with connection.cursor() as cursor:

        def flush():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {STAGE} ({columns}) FROM STDIN") as copy:
                    for row in pending:
                        copy.write_row(row[1:])
            else:
                cursor.executemany(f"INSERT INTO {STAGE} (n, {columns}) VALUES ({marks})", pending)
            pending.clear()

        for n, cells in enumerate(_body_rows(batch, start), start=1):
            if not any(cells):
                continue  # a blank row between rows: not a row of the list
            pending.append((n, *(cells + padding)[:width]))
            if len(pending) == ROWS_PER_WRITE:
                flush()
        if pending:
            flush()


def _select(kind: DatasetKind, positions: dict[str, int]) -> str:
    """The stage's rows as a department row's columns (trimmed text, "" for a column the file lacks),
    with `id_number` NULL unless valid and `missing` 1 when a required column is empty."""
    slots = kind.slots
    cells = {key: (f"trim(coalesce(c{positions[key]}, ''))" if key in positions else "''") for key in slots}
    body, total = id_number_sql("raw")
    values = [f"{cells[key]} AS {slots[key]}" for key in _extra(kind)]
    required = [c["key"] for c in kind.columns if c.get("required") and c["key"] != "id_number"]
    missing = " OR ".join(f"{cells[key]} = ''" for key in required) or "1 = 0"
    inner = ", ".join(
        ["n", f"upper({cells['id_number']}) AS raw", f"{cells['name']} AS name", *values]
        + [f"CASE WHEN {missing} THEN 1 ELSE 0 END AS missing"]
    )
    outer = ", ".join(
        ["n", "raw", "name", *(slots[key] for key in _extra(kind))]
        + [
            "CASE WHEN body IS NULL THEN NULL WHEN length(raw) = 15 THEN body || checked "
            "WHEN raw = body || checked THEN raw END AS id_number",
            "missing",
        ]
    )
    return (
        f"SELECT {outer} FROM (SELECT w.*, {_check_character('total')} AS checked FROM "
        f"(SELECT s.*, {total} AS total FROM "
        f"(SELECT t.*, {body} AS body FROM (SELECT {inner} FROM {STAGE}) t) s) w) u"
    )


def _extra(kind: DatasetKind) -> list[str]:
    return [key for key in kind.slots if key not in ("id_number", "name")]


def stage(batch, start: int, header: list[str], positions: dict[str, int]) -> Staged:
    """The pipeline's hook: stage the batch's file as a load of its kind (see the module's words)."""
    kind = kind_of(batch)
    width = len(header)
    load = DatasetLoad.objects.create(
        batch=batch,
        kind=kind,
        region_id=batch.region_id,
        period=batch.data_date.replace(day=1),
        received_on=timezone.localtime(batch.created_at).date(),
        loaded_by=batch.created_by,
    )
    _create_stage(width)
    copied = (
        connection.vendor == "postgresql"
        and batch.original_name.lower().endswith(".csv")
        and _copy_csv(batch, start, width)
    )
    if not copied:
        _write_rows(batch, start, width)
    selected = _select(kind, positions)
    slots = [kind.slots[key] for key in _extra(kind)]
    columns = ", ".join(["load_id", "row_no", "id_number", "name", *slots])
    picked = ", ".join(["%s", "n + %s", "id_number", "substr(name, 1, 50)", *slots])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DepartmentRow._meta.db_table} ({columns}) "
            f"SELECT {picked} FROM ({selected}) v WHERE id_number IS NOT NULL AND missing = 0",
            [load.pk, start + 1],
        )
        kept = cursor.rowcount
        cursor.execute(f"SELECT count(*) FROM ({selected}) v WHERE id_number IS NULL OR missing = 1")
        set_aside = cursor.fetchone()[0]
        listed = _listed(cursor, kind, selected, positions, start, width)
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    DatasetLoad.objects.filter(pk=load.pk).update(row_count=kept, set_aside_count=set_aside)
    return Staged(rows=kept, set_aside=set_aside, kept=listed)


def _listed(cursor, kind: DatasetKind, selected: str, positions: dict[str, int], start: int, width: int) -> list:
    """The first rows (a preview) and the first rows set aside, each with its cells where the file had
    them and the reason it was set aside."""
    extra = _extra(kind)
    cursor.execute(
        f"SELECT n, raw, name, id_number, missing{''.join(', ' + kind.slots[k] for k in extra)} "
        f"FROM ({selected}) v WHERE n <= %s OR id_number IS NULL OR missing = 1 ORDER BY n LIMIT %s",
        [PREVIEW_ROWS, PREVIEW_ROWS + KEPT_ERROR_ROWS],
    )
    headers = {c["key"]: c["header"] for c in kind.columns}
    required = [c["key"] for c in kind.columns if c.get("required") and c["key"] != "id_number"]
    listed = []
    for n, raw, name, id_number, missing, *rest in cursor.fetchall():
        values = dict(zip(extra, rest, strict=True)) | {"id_number": raw, "name": name}
        cells = [""] * width
        for key, position in positions.items():
            cells[position] = values.get(key) or ""
        errors = {}
        if id_number is None:
            errors["id_number"] = (
                _("“%(value)s” is not a valid ID number: the row is set aside.") % {"value": raw}
                if raw
                else _("The ID number is missing: the row is set aside.")
            )
        if missing:
            for key in required:
                if not values.get(key):
                    errors[key] = _("%(column)s is missing: the row is set aside.") % {"column": headers[key]}
        listed.append((n + start + 1, cells, errors))
    return listed


def kind_of(batch) -> DatasetKind:
    return DatasetKind.objects.get(code=batch.kind.removeprefix(SHEET_PREFIX))


SHEET_PREFIX = "dept-"


def period_label(day: dt.date) -> str:
    return f"{day:%Y-%m}"

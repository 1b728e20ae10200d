"""Staging a department's list in bulk (the reference-sheet hook of the one import pipeline).

A list is a table of its own, `crosscheck_list_<load>`, in the file's own columns as text (c0…cN) and a
row number: on PostgreSQL a CSV goes to COPY as it is, so that 10^7 rows are written at COPY's speed
and never parsed one by one in Python; any other file, or a CSV COPY refuses (a ragged row, a blank
line), is read by the one reader and written in batches. Purging a list drops its table.

One pass then checks every row's ID number and writes `id_number` only where it must: the register's
form of a number the file wrote otherwise (a 15-digit number converted, x upper-cased, spaces
trimmed), or "" for a row set aside — a number that is not valid (its check digit included) or a
required column left empty. A row is matched by `key_sql`: its `id_number`, else the file's own. The
set-aside rows are counted and the first of them listed with the reason. All of it is one transaction:
a file found unreadable half-way keeps nothing.
"""

# ruff: noqa: S608 — statements are built from a list's table name (its load's id), the columns c0…cN
# and the kind's column positions, never from a kind's keys or a file's text; values are parameters.

from __future__ import annotations

import codecs
from collections.abc import Iterator

import psycopg
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from fupin.jobs import progress
from fupin.registry.id_numbers import to_eighteen
from fupin.transfer import reading
from fupin.transfer.pipeline import KEPT_ERROR_ROWS, PREVIEW_ROWS
from fupin.transfer.spec import Staged

from .models import DatasetKind, DatasetLoad

SHEET_PREFIX = "dept-"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643-1999, ISO 7064 MOD 11-2
CHECK_CHARACTERS = "10X98765432"
DIGITS = "0123456789"
ROWS_PER_WRITE = 10_000


def table_of(load: DatasetLoad) -> str:
    return f"crosscheck_list_{int(load.pk)}"


def cell(load: DatasetLoad, key: str, alias: str = "r") -> str:
    """SQL of a column's trimmed text in a list's table ("" where the file lacks the column)."""
    position = load.positions.get(key)
    return "''" if position is None else f"trim(coalesce({alias}.c{int(position)}, ''))"


def key_sql(load: DatasetLoad, alias: str = "r") -> str:
    """The ID number a row is matched by: the register's form written by the check, else the file's
    own (already in that form). A row set aside has "", which no member has."""
    return f"coalesce({alias}.id_number, {alias}.c{int(load.positions['id_number'])})"


def sheet_kind(kind: DatasetKind) -> str:
    """The name of a dataset kind's sheet in the import pipeline."""
    return SHEET_PREFIX + kind.code


def kind_of(batch) -> DatasetKind:
    return DatasetKind.objects.get(code=batch.kind.removeprefix(SHEET_PREFIX))


# The check of the ID numbers, in SQL that PostgreSQL and SQLite both read. Each step is a subquery of
# the one before, kept apart by `_fence`, so that each value is computed once a row.


def _fence() -> str:
    """Keeps a subquery from being merged into the one above it. Merged, each column's expression would
    be written into every expression above that names it — the 17 digits 17 times — and computed that
    many times a row."""
    return " OFFSET 0" if connection.vendor == "postgresql" else " LIMIT -1 OFFSET 0"


def _digits(expression: str, count: int) -> str:
    """`expression` is `count` digits (the text functions both databases have, no regular expression)."""
    return f"(length({expression}) = {count} AND ltrim({expression}, '{DIGITS}') = '')"


# Weighted sums of digits over q_k = number / 10^k, which needs one division a digit instead of two:
# digit_k = q_k − 10·q_(k+1), so Σ w_k·digit_k = Σ (w_k − 10·w_(k−1))·q_k, where w_k is the weight of the
# k-th digit from the right; only the remainder by 11 matters. The 17 digits' weights give the check
# character; the 18 characters' (the check character's weight is 1) total 1 when the number is valid.
_RIGHT_WEIGHTS = WEIGHTS[::-1]
_NUMBER_WEIGHTS = (1, *_RIGHT_WEIGHTS)


def _weighted_sum(number: str, weights: tuple[int, ...] = _RIGHT_WEIGHTS) -> str:
    """An integer whose remainder by 11 is that of Σ digit × weight over the digits of `number`, whose
    weights from the right are `weights`. Linear: the sum of −x is minus the sum of x."""
    factors = [(weights[k] - (10 * weights[k - 1] if k else 0)) % 11 for k in range(len(weights))]
    return " + ".join(
        f"{number if k == 0 else f'{number} / {10**k}'} * {factor}" for k, factor in enumerate(factors) if factor
    )


def _number_sql(original: str) -> str:
    """The file's ID number as one integer w, else NULL: the number itself when it is 18 digits (valid
    when the weighted sum of its 18 digits leaves 1 by 11), minus ten times its first 17 digits when it
    ends in X (valid when the 17 digits' sum leaves 2, X counting 10: the weighted sum of w is minus that
    sum, and leaves −2, since a remainder takes the sign of the sum). On PostgreSQL the digits are told
    apart as bytes: its text functions would walk the characters of a multi-byte encoding."""
    if connection.vendor == "postgresql":
        length = f"octet_length({original})"
        rest = f"ltrim(convert_to({original}, 'UTF8'), '\\x{DIGITS.encode().hex()}'::bytea)"
        digits, x, integer = "'\\x'::bytea", "'\\x58'::bytea", "bigint"
    else:
        length, rest = f"length({original})", f"ltrim({original}, '{DIGITS}')"
        digits, x, integer = "''", "'X'", "INTEGER"
    return (
        f"CASE WHEN {length} = 18 THEN CASE {rest} WHEN {digits} THEN CAST({original} AS {integer}) "
        f"WHEN {x} THEN -10 * CAST(substr({original}, 1, 17) AS {integer}) END END"
    )


def _missing(load: DatasetLoad, required: list[str], alias: str) -> str:
    return " OR ".join(f"{cell(load, key, alias)} = ''" for key in required) or "1 = 0"


def _suspects_sql(load: DatasetLoad, required: list[str]) -> str:
    """The rows whose number is not plainly right as the file wrote it (18 characters, 17 digits and
    the right check character) or that lack a required value, with all their cells. Most rows are
    plainly right, so this pass is the one over every row, and on PostgreSQL it runs in parallel. The
    number is computed once a row: on PostgreSQL as a set-returning function of the select list (which
    the planner neither merges into the expressions that read it nor runs a row at a time in a
    function scan), on SQLite in a fenced subquery."""
    original = f"c{int(load.positions['id_number'])}"
    kept = ", ".join(["n", *(f"c{i}" for i in range(load.width))])
    number = _number_sql(f"r.{original}")
    if connection.vendor == "postgresql":
        number, fence = f"unnest(ARRAY[{number}])", ""
    else:
        fence = _fence()
    source = f"(SELECT r.*, {number} AS w FROM {table_of(load)} r{fence}) s"
    return (
        f"SELECT {kept} FROM {source} "
        f"WHERE w IS NULL OR ({_weighted_sum('w', _NUMBER_WEIGHTS)}) % 11 NOT IN (1, -2) "
        f"OR {_missing(load, required, 's')}"
    )


def _fixes_sql(load: DatasetLoad, required: list[str], suspects: str) -> str:
    """For each suspect row (n), what its `id_number` must be: NULL when the file's is right as it is,
    the register's form, or "" to set it aside."""
    original = f"c{int(load.positions['id_number'])}"
    integer = "bigint" if connection.vendor == "postgresql" else "INTEGER"
    fence = _fence()
    first = (
        f"SELECT n, t.{original} AS original, upper(trim(coalesce(t.{original}, ''))) AS raw, "
        f"CASE WHEN {_missing(load, required, 't')} THEN 1 ELSE 0 END AS missing FROM {suspects} t{fence}"
    )
    body = (
        f"SELECT a.*, CASE WHEN length(raw) = 15 AND {_digits('raw', 15)} "
        f"THEN substr(raw, 1, 6) || '19' || substr(raw, 7, 9) "
        f"WHEN length(raw) = 18 AND {_digits('substr(raw, 1, 17)', 17)} THEN substr(raw, 1, 17) END AS body "
        f"FROM ({first}) a{fence}"
    )
    number = f"SELECT b.*, CAST(body AS {integer}) AS v FROM ({body}) b{fence}"
    total = f"SELECT c.*, ({_weighted_sum('v')}) % 11 AS remainder FROM ({number}) c{fence}"
    character = f"substr('{CHECK_CHARACTERS}', CAST(remainder + 1 AS integer), 1)"
    checked = f"SELECT d.*, {character} AS checked FROM ({total}) d{fence}"
    return (
        "SELECT n, CASE WHEN missing = 1 OR body IS NULL THEN '' "
        "WHEN length(raw) = 15 THEN body || checked "
        "WHEN raw <> body || checked THEN '' "
        "WHEN raw = original THEN NULL ELSE raw END AS fixed "
        f"FROM ({checked}) e"
    )


def _check_numbers(load: DatasetLoad, kind: DatasetKind) -> tuple[int, list]:
    """Write `id_number` where the file's number is not the register's form (see the module's words).
    The statements take no parameters, so "%" is the remainder."""
    required = kind.required_keys
    table = table_of(load)
    suspects, fixes = f"{table}_suspects", f"{table}_fixes"
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # The planner expects every row to be a suspect, and would not gather them in parallel; and
            # this one statement, 70 operations a row over 10^7 rows, gains from compiled expressions.
            cursor.execute("SET LOCAL parallel_tuple_cost = 0")
            cursor.execute("SET LOCAL jit = on")
        cursor.execute(f"CREATE TEMP TABLE {suspects} AS {_suspects_sql(load, required)}")
        if postgres:
            cursor.execute("SET LOCAL parallel_tuple_cost TO DEFAULT")
            cursor.execute("SET LOCAL jit TO DEFAULT")
        cursor.execute(f"CREATE TEMP TABLE {fixes} AS {_fixes_sql(load, required, suspects)}")
        cursor.execute(f"DELETE FROM {fixes} WHERE fixed IS NULL")
        cursor.execute(f"SELECT count(*), count(CASE WHEN fixed = '' THEN 1 END) FROM {fixes}")
        fixed, set_aside = cursor.fetchone()
        if fixed:
            if postgres:
                cursor.execute(f"ANALYZE {fixes}")  # a hash of the few fixes, not of the whole list
            cursor.execute(f"UPDATE {table} SET id_number = f.fixed FROM {fixes} f WHERE {table}.n = f.n")
        listed = _listed(load, kind, suspects, fixes)
        cursor.execute(f"DROP TABLE {suspects}")
        cursor.execute(f"DROP TABLE {fixes}")
    return set_aside, listed


# Writing the file's rows into the list's table.


def _create_table(load: DatasetLoad) -> None:
    cells = ", ".join(f"c{i} text" for i in range(load.width))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TABLE {table_of(load)} "
                f"(n bigint GENERATED BY DEFAULT AS IDENTITY (CACHE 100000), {cells}, id_number text)"
            )
        else:
            cursor.execute(f"CREATE TABLE {table_of(load)} (n integer PRIMARY KEY, {cells}, id_number text)")


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


def _copy_csv(load: DatasetLoad, batch, start: int) -> int | None:
    """PostgreSQL: the CSV's rows below the header straight into the table by COPY; how many. None when
    COPY cannot take the file as it is; nothing is then left of the attempt."""
    columns = ", ".join(f"c{i}" for i in range(load.width))
    with batch.file.open("rb") as file:
        encoding = _encoding(file)
        file.seek(0)
        if not _csv_start(file, start + 1):
            return None
        size = batch.file.size or 1
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                sql = f"COPY {table_of(load)} ({columns}) FROM STDIN (FORMAT csv, ENCODING '{encoding}')"
                with cursor.cursor.copy(sql) as copy:
                    while chunk := file.read(1 << 20):
                        copy.write(chunk)
                        progress.advance(file.tell(), size)
                return cursor.cursor.rowcount
        except (DatabaseError, psycopg.Error):  # rolled back to the savepoint: the table is empty again
            return None


def _body_rows(batch, start: int) -> Iterator[list[str]]:
    with batch.file.open("rb") as file:
        rows = reading.rows(batch.original_name, file)
        for _skipped in range(start + 1):
            next(rows, None)
        yield from rows


def _write_rows(load: DatasetLoad, batch, start: int) -> int:
    """Any file: its rows read by the one reader, cut or padded to the header's width; a blank row is
    not a row of the list (the numbers of the rows after it stay those of the file)."""
    width = load.width
    columns = ", ".join(["n", *(f"c{i}" for i in range(width))])
    marks = ", ".join(["%s"] * (width + 1))
    padding = [""] * width
    pending: list[tuple] = []
    written = 0
    with connection.cursor() as cursor:

        def flush():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table_of(load)} ({columns}) FROM STDIN") as copy:
                    for row in pending:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO {table_of(load)} ({columns}) VALUES ({marks})", pending)
            pending.clear()

        for n, cells in enumerate(_body_rows(batch, start), start=1):
            if any(cells):
                pending.append((n, *(cells + padding)[:width]))
                written += 1
            if len(pending) == ROWS_PER_WRITE:
                flush()
        if pending:
            flush()
    return written


def stage(batch, start: int, header: list[str], positions: dict[str, int]) -> Staged:
    """The pipeline's hook: the batch's file as a list of its kind (see the module's words)."""
    kind = kind_of(batch)
    load = DatasetLoad.objects.create(
        batch=batch,
        kind=kind,
        region_id=batch.region_id,
        period=batch.data_date.replace(day=1),
        received_on=timezone.localtime(batch.created_at).date(),
        loaded_by=batch.created_by,
        positions=positions,
        width=len(header),
        first_row=start + 2,
    )
    _create_table(load)
    is_csv = batch.original_name.lower().endswith(".csv")
    rows = _copy_csv(load, batch, start) if connection.vendor == "postgresql" and is_csv else None
    if rows is None:
        rows = _write_rows(load, batch, start)
    set_aside, listed = _check_numbers(load, kind)
    load.row_count, load.set_aside_count = rows - set_aside, set_aside
    load.save(update_fields=["row_count", "set_aside_count"])
    return Staged(rows=load.row_count, set_aside=set_aside, kept=listed)


def _listed(load: DatasetLoad, kind: DatasetKind, suspects: str, fixes: str) -> list:
    """The first rows (a preview) and the first rows set aside, as the file had them, with the reason.
    Both are read without a pass over the list: the first rows stop its scan, the set-aside ones are
    among the suspects."""
    columns = ", ".join(f"c{i}" for i in range(load.width))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT n, id_number, {columns} FROM {table_of(load)} WHERE n <= {PREVIEW_ROWS} LIMIT {PREVIEW_ROWS}"
        )
        first = cursor.fetchall()
        cursor.execute(
            f"SELECT s.n, '', {', '.join(f's.c{i}' for i in range(load.width))} FROM {suspects} s "
            f"JOIN {fixes} f ON f.n = s.n WHERE f.fixed = '' ORDER BY s.n LIMIT {KEPT_ERROR_ROWS}"
        )
        found = sorted({row[0]: row for row in first + cursor.fetchall()}.values())
    headers = {c["key"]: c["header"] for c in kind.columns}
    required = kind.required_keys
    listed = []
    for n, id_number, *cells in found:
        cells = [(text or "").strip() for text in cells]
        errors = {} if id_number != "" else _why_set_aside(load, cells, required, headers)
        listed.append((n + load.first_row - 1, cells, errors))
    return listed


def _why_set_aside(load: DatasetLoad, cells: list[str], required: list[str], headers: dict) -> dict[str, str]:
    errors = {}
    number = cells[load.positions["id_number"]]
    if not number:
        errors["id_number"] = _("The ID number is missing: the row is set aside.")
    elif not _valid(number):
        errors["id_number"] = _("“%(value)s” is not a valid ID number: the row is set aside.") % {"value": number}
    for key in required:
        position = load.positions.get(key)
        if position is None or not cells[position]:
            errors[key] = _("%(column)s is missing: the row is set aside.") % {"column": headers[key]}
    return errors


def _valid(number: str) -> bool:
    eighteen = to_eighteen(number)
    return eighteen is not None and ric.calc_check_digit(eighteen[:17] + "0") == eighteen[17]


def rows_of(load: DatasetLoad, limit: int = 100) -> list[dict]:
    """A list's rows by the kind's column keys, with the ID number as matched (tests, the loader's view)."""
    kind = load.kind
    keys = [c["key"] for c in kind.columns]
    values = ", ".join(cell(load, key) for key in keys)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n, {key_sql(load)}, {values} FROM {table_of(load)} r ORDER BY n LIMIT %s", [limit])
        return [
            {"n": n, "matched_by": matched, **dict(zip(keys, rest, strict=True))}
            for n, matched, *rest in cursor.fetchall()
        ]


def drop(load: DatasetLoad) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table_of(load)}")

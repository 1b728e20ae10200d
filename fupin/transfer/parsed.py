"""A checked batch's parsed rows, kept until it is committed: compressed JSON lines, column by column.

Committing validates these values again against the data as it is then, instead of reading and
parsing the file a second time (half the time of a 10^5-household import). They are the values the
preview showed, even if a code list's labels change in between.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from decimal import Decimal
from typing import IO

from .spec import Row, row_type

# The types JSON cannot hold: their name in the file, how they are written and how they are read back.
KINDS = {Decimal: "decimal", dt.date: "date"}
WRITE = {"decimal": str, "date": dt.date.isoformat}
READ = {"decimal": Decimal, "date": dt.date.fromisoformat}


def _kind(values: list) -> str:
    kinds = {KINDS.get(t, "json") for t in set(map(type, values)) if t is not type(None)}
    if len(kinds) > 1:
        raise TypeError(f"a column holds values of several types: {sorted(kinds)}")
    return kinds.pop() if kinds else "json"


def dump(rows: list[Row], file: IO[bytes]) -> None:
    """Write the rows to `file`: a line naming the keys, then a line per column, gzip-compressed, one
    column at a time (a whole document of 10^7 values would be a second copy of the rows in memory)."""
    keys = list(rows[0]) if rows else []
    with gzip.GzipFile(fileobj=file, mode="wb", compresslevel=1) as out:
        out.write(json.dumps({"rows": len(rows), "keys": keys}).encode() + b"\n")
        for key in keys:
            values = [row[key] for row in rows]
            kind = _kind(values)
            if write := WRITE.get(kind):
                values = [None if v is None else write(v) for v in values]
            out.write(json.dumps([kind, values], ensure_ascii=False).encode() + b"\n")


SHARED_VALUES = 4096  # per column: as many distinct values as the parser shares (transfer.pipeline)


def _shared(values: list, read) -> list:
    """The column's values, read, with equal values one object, as they were when parsed: JSON makes
    an object of every cell, and 10^7 cells of a few distinct texts would take half a gigabyte."""
    seen: dict = {}
    out = []
    for value in values:
        key = tuple(value) if type(value) is list else value
        found = seen.get(key)
        if found is None:
            found = value if read is None or value is None else read(value)
            if len(seen) < SHARED_VALUES:
                seen[key] = found
        out.append(found)
    return out


def load(file: IO[bytes]) -> list[Row]:
    with gzip.GzipFile(fileobj=file, mode="rb") as lines:
        head = json.loads(lines.readline())
        columns = []
        for _key in head["keys"]:
            kind, values = json.loads(lines.readline())
            columns.append(_shared(values, READ.get(kind)))
    make = row_type(head["keys"])
    if not columns:
        return [make(()) for _ in range(head["rows"])]
    return [make(values) for values in zip(*columns, strict=True)]

"""Reading uploaded tables as streams of rows: .xlsx/.xlsm through the streaming reader (ooxml), .xls
and .ods through calamine, .csv in UTF-8 (with or without BOM) or GB18030.

Rows come one at a time, so that a file's rows are never all held as text: a 50 MB list is read and
checked within 1 GB. Every reader refuses, in Chinese, what no real list has (too many columns or
rows, a cell longer than Excel allows) before it costs memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import IO

import python_calamine
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from . import ooxml

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
SUFFIXES = SPREADSHEET_SUFFIXES | {".csv"}
STREAMED = {".xlsx", ".xlsm"}
ENCODINGS = ("utf-8-sig", "gb18030")
DECODE_CHUNK = 1 << 20


def cell_text(value) -> str:
    """A cell as the text a person typed: 411723.0 → "411723", a date → "2024-05-01"."""
    if type(value) is str:  # most cells: checked first
        return value.strip()
    if type(value) is float:  # then numbers, which workbooks keep as floats
        return str(int(value)) if value.is_integer() else repr(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value).strip()


# An .xlsx saved with a password is an encrypted OLE compound file, not a zip.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _unreadable(error: ooxml.UnreadableWorkbook) -> ValidationError:
    messages = {
        "dtd": _("The workbook contains a document type declaration, which no spreadsheet has."),
        "expands": _("The workbook expands to more than %(mb)s MB when unpacked; it cannot be a list."),
        "too_many_columns": _("The sheet has more than %(columns)s columns."),
        "too_many_rows": _("The sheet has more than %(rows)s rows."),
        "cell_too_long": _("A cell holds more than %(chars)s characters, more than a spreadsheet cell can."),
        "bad_cell": _("Row %(row)s holds a cell that cannot be read."),
        "no_sheet": _("The workbook has no sheet to read."),
        "not_a_workbook": _("The file is not an .xlsx workbook, or it is damaged. Open it in Excel and save it again."),
        "bad_xml": _("The workbook is damaged. Open it in Excel and save it again."),
    }
    return ValidationError(messages[error.code] % error.details)


def _encoding(file: IO[bytes]) -> str:
    """The CSV's encoding, found by decoding it whole a chunk at a time (nothing kept)."""
    for encoding in ENCODINGS:
        file.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := file.read(DECODE_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        file.seek(0)
        return encoding
    raise ValidationError(_("The CSV file is neither UTF-8 nor GB18030 (GBK) text."))


def _check_row(row: list, number: int) -> None:
    if number > ooxml.MAX_ROWS:
        raise _unreadable(ooxml.UnreadableWorkbook("too_many_rows", rows=ooxml.MAX_ROWS))
    if len(row) > ooxml.MAX_COLUMNS:
        raise _unreadable(ooxml.UnreadableWorkbook("too_many_columns", columns=ooxml.MAX_COLUMNS))


def _csv_rows(file: IO[bytes]) -> Iterator[list[str]]:
    text = io.TextIOWrapper(file, encoding=_encoding(file), newline="")
    try:
        for number, row in enumerate(csv.reader(text), start=1):
            _check_row(row, number)
            if any(len(cell) > ooxml.MAX_CELL_CHARS for cell in row):
                raise _unreadable(ooxml.UnreadableWorkbook("cell_too_long", chars=ooxml.MAX_CELL_CHARS))
            yield [cell.strip() for cell in row]
    except csv.Error as e:  # a field over csv's own limit, a NUL byte
        raise ValidationError(_("The CSV file cannot be read: %(error)s") % {"error": e}) from None
    finally:
        text.detach()  # the caller's file stays open


def _open_calamine(content: bytes) -> CalamineWorkbook:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        if not workbook.sheet_names:
            raise ValueError("no sheets")
        return workbook
    except (python_calamine.CalamineError, ValueError, IndexError) as e:
        raise ValidationError(_("The file cannot be read as a spreadsheet: %(error)s") % {"error": e}) from e


def _calamine_rows(content: bytes) -> Iterator[list[str]]:
    """An .xls (at most 65,536 rows by its format) or .ods sheet, which calamine holds whole."""
    try:
        sheet = _open_calamine(content).get_sheet_by_index(0)
        if sheet.height > ooxml.MAX_ROWS:
            raise _unreadable(ooxml.UnreadableWorkbook("too_many_rows", rows=ooxml.MAX_ROWS))
        if sheet.width > ooxml.MAX_COLUMNS:
            raise _unreadable(ooxml.UnreadableWorkbook("too_many_columns", columns=ooxml.MAX_COLUMNS))
        for row in sheet.iter_rows():
            # most cells are text: stripped here without the call (10^7 cells in a county's file)
            yield [cell.strip() if type(cell) is str else cell_text(cell) for cell in row]
    except (python_calamine.CalamineError, ValueError, IndexError) as e:
        raise ValidationError(_("The file cannot be read as a spreadsheet: %(error)s") % {"error": e}) from e


def _xlsx_rows(file: IO[bytes]) -> Iterator[list[str]]:
    try:
        yield from ooxml.rows(file)
    except ooxml.UnreadableWorkbook as e:
        raise _unreadable(e) from None


def _without_trailing_empty_rows(rows: Iterable[list[str]]) -> Iterator[list[str]]:
    """Rows as they come, except empty ones at the end (spreadsheets keep formatted empty rows)."""
    pending = 0
    for row in rows:
        if not any(row):
            pending += 1
            continue
        while pending:
            yield []
            pending -= 1
        yield row


def _suffix(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(_("Upload an .xlsx, .xls, .ods or .csv file."))
    return suffix


def _refuse_encrypted(file: IO[bytes]) -> None:
    if file.read(len(OLE_MAGIC)) == OLE_MAGIC:
        raise ValidationError(
            _("The workbook is protected by a password. Remove the password in Excel and upload it again.")
        )
    file.seek(0)


def probe(filename: str, file: IO[bytes]) -> None:
    """Refuse at once what cannot be read (wrong type, encoding, a damaged, encrypted or oversized
    workbook), before the rows are read in the background."""
    suffix = _suffix(filename)
    if suffix == ".csv":
        _encoding(file)
    elif suffix in STREAMED:
        _refuse_encrypted(file)
        try:
            ooxml.open_workbook(file).close()
        except ooxml.UnreadableWorkbook as e:
            raise _unreadable(e) from None
    else:
        _open_calamine(file.read())
    file.seek(0)


def rows(filename: str, file: IO[bytes]) -> Iterator[list[str]]:
    """The first sheet's rows as text without surrounding spaces, trailing empty rows left out. A
    ValidationError may come at any row (a damaged file is found damaged as it is read)."""
    suffix = _suffix(filename)
    if suffix == ".csv":
        source = _csv_rows(file)
    elif suffix in STREAMED:
        _refuse_encrypted(file)
        source = _xlsx_rows(file)
    else:
        source = _calamine_rows(file.read())
    return _without_trailing_empty_rows(source)


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The whole table at once: for small files (tests, previews)."""
    return list(rows(filename, io.BytesIO(content)))

"""Reading uploaded tables: .xlsx/.xls/.ods through calamine, .csv in UTF-8 (with or without BOM) or GB18030."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import PurePath

import python_calamine
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
SUFFIXES = SPREADSHEET_SUFFIXES | {".csv"}


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


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The CSV file is neither UTF-8 nor GB18030 (GBK) text."))


# An .xlsx saved with a password is an encrypted OLE compound file, not a zip.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _open_workbook(content: bytes, suffix: str = "") -> CalamineWorkbook:
    if suffix in (".xlsx", ".xlsm") and content.startswith(OLE_MAGIC):
        raise ValidationError(
            _("The workbook is protected by a password. Remove the password in Excel and upload it again.")
        )
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        if not workbook.sheet_names:
            raise ValueError("no sheets")
        return workbook
    except (python_calamine.CalamineError, ValueError, IndexError) as e:
        raise ValidationError(_("The file cannot be read as a spreadsheet: %(error)s") % {"error": e}) from e


def probe(filename: str, content: bytes) -> None:
    """Refuse at once what cannot be read (wrong type, encoding, a damaged or encrypted workbook),
    before the rows are read in the background."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(_("Upload an .xlsx, .xls, .ods or .csv file."))
    if suffix == ".csv":
        _decode(content)
    else:
        _open_workbook(content, suffix)


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The first sheet's rows as text without surrounding spaces, trailing empty rows removed."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(_("Upload an .xlsx, .xls, .ods or .csv file."))
    if suffix == ".csv":
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(_decode(content)))]
    else:
        workbook = _open_workbook(content, suffix)
        try:
            sheet = workbook.get_sheet_by_index(0)
            rows = [
                # most cells are text: stripped here without the call (10^7 cells in a county's file)
                [cell.strip() if type(cell) is str else cell_text(cell) for cell in row]
                for row in sheet.to_python(skip_empty_area=False)
            ]
        except (python_calamine.CalamineError, ValueError, IndexError) as e:
            raise ValidationError(_("The file cannot be read as a spreadsheet: %(error)s") % {"error": e}) from e
    while rows and not any(rows[-1]):
        rows.pop()
    return rows

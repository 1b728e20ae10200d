"""The streaming .xlsx reader gives the cells calamine gives, and refuses what would cost memory or time."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from fupin.transfer import ooxml
from fupin.transfer.reading import cell_text, read_table

ROWS = [
    ["县", "户编号", "人数", "收入", "首次识别时间", "是否", "备注"],
    ["平舆县", 411723101200001, 4, 12000.5, dt.date(2014, 10, 1), True, "  有空格  "],
    [None, "N2", None, 0.1, dt.datetime(2020, 3, 1, 8, 30), False, "=1+1"],  # noqa: DTZ001 (as typed)
    [],
    ["", "N3", 1e15, -3, dt.date(1900, 3, 1), None, "x" * 300],
]


def workbook_bytes(rows, write_only: bool) -> bytes:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def calamine_rows(content: bytes) -> list[list[str]]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    rows = [[cell_text(cell) for cell in row] for row in sheet.to_python(skip_empty_area=False)]
    return [_trimmed(row) for row in rows]


def _trimmed(row: list[str]) -> list[str]:
    while row and row[-1] == "":
        row = row[:-1]
    return row


@pytest.mark.parametrize("write_only", [False, True], ids=["shared strings", "inline strings"])
def test_the_cells_are_calamines(write_only):
    content = workbook_bytes(ROWS, write_only)
    assert [_trimmed(row) for row in ooxml.rows(io.BytesIO(content))] == calamine_rows(content)


def test_values_read_as_a_person_typed_them():
    rows = read_table("x.xlsx", workbook_bytes(ROWS, write_only=False))
    assert rows[1] == ["平舆县", "411723101200001", "4", "12000.5", "2014-10-01", "是", "有空格"]
    # a formula saved without its value (openpyxl saves none) reads as empty, as calamine reads it
    assert rows[2] == ["", "N2", "", "0.1", "2020-03-01T08:30:00", "否"]
    assert rows[3] == []  # an empty row between rows stays, so rows keep their numbers
    assert rows[4][:4] == ["", "N3", "1000000000000000", "-3"]


def _xlsx(sheet_xml: str, *, workbook_pr: str = "", styles: str = "") -> bytes:
    """A minimal workbook whose first sheet is `sheet_xml`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'{workbook_pr}<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        if styles:
            archive.writestr("xl/styles.xml", styles)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>'
)


def test_prefixed_names_dates_by_style_and_the_1904_calendar():
    styles = (
        '<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
        '<numFmt numFmtId="165" formatCode="0.00&quot;元&quot;"/></numFmts>'
        '<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs></styleSheet>'
    )
    sheet = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" s="1"><x:v>0</x:v></x:c><x:c r="C1" s="2"><x:v>12.5</x:v></x:c>'
        '<x:c r="D1" s="3"><x:v>366</x:v></x:c><x:c r="E1" t="inlineStr"><x:is><x:r><x:t>张</x:t></x:r>'
        "<x:r><x:t>三</x:t></x:r><x:rPh><x:t>zhang</x:t></x:rPh></x:is></x:c></x:row>"
        '<x:row r="3"><x:c r="B3" t="b"><x:v>1</x:v></x:c><x:c r="C3" t="str"><x:v> a&amp;b </x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    content = _xlsx(sheet, workbook_pr='<workbookPr date1904="1"/>', styles=styles)
    assert list(ooxml.rows(io.BytesIO(content))) == [
        ["1904-01-01", "", "12.5", "1905-01-01", "张三"],
        [],
        ["", "是", "a&b"],
    ]


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        # cells only in A1 and XFD1048576: calamine would allocate the whole range (549 GB)
        ('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "列"),
        ('<row r="1048577"><c r="A1048577"><v>1</v></c></row>', "行"),
        ('<row r="1"><c r="A1" t="inlineStr"><is><t>' + "长" * 40_000 + "</t></is></c></row>", "字符"),
        ('<row r="1"><c r="A1" t="s"><v>7</v></c></row>', "无法读取"),
    ],
    ids=["far cell", "too many rows", "long cell", "missing shared string"],
)
def test_what_no_list_has_is_refused_in_chinese(sheet, message):
    with pytest.raises(ValidationError) as refused:
        read_table("x.xlsx", _xlsx(SHEET.format(sheet)))
    assert message in refused.value.messages[0]


def test_a_document_type_declaration_is_refused():
    bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><worksheet><sheetData/></worksheet>'
    with pytest.raises(ValidationError, match="DTD"):
        read_table("x.xlsx", _xlsx(bomb))


def test_a_workbook_that_expands_too_far_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(ooxml, "MAX_EXPANDED_BYTES", 1000)
    content = _xlsx(SHEET.format('<row r="1"><c r="A1" t="inlineStr"><is><t>' + "a" * 5000 + "</t></is></c></row>"))
    assert len(content) < 1000
    with pytest.raises(ValidationError, match="解压后超过"):
        read_table("x.xlsx", content)


@pytest.mark.parametrize("content", [b"not a spreadsheet", b"PK\x03\x04broken"])
def test_what_is_not_a_workbook_says_so(content):
    with pytest.raises(ValidationError, match="不是 .xlsx 工作簿"):
        read_table("x.xlsx", content)


def test_a_csv_with_an_oversized_field_or_too_many_columns_is_refused():
    with pytest.raises(ValidationError, match="字符"):
        read_table("x.csv", ("a," + "b" * 40_000).encode())
    with pytest.raises(ValidationError, match="列"):
        read_table("x.csv", ",".join(["a"] * 1001).encode())

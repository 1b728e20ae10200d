"""The first worksheet of an .xlsx read as a stream of rows, in memory that does not grow with the file.

calamine (which reads .xls and .ods here) builds the whole sheet in memory before giving a row: 580 MB
for a 50 MB national list, and as much as the sheet's declared size for a crafted 1.5 KB file. This
reader parses the sheet's XML as it is decompressed (the standard library's expat), keeps only the
workbook's shared strings and which styles are dates, and refuses what no real list has: a DTD,
more than MAX_COLUMNS columns, a cell longer than Excel allows, more than Excel's rows, or a
workbook whose parts expand beyond MAX_EXPANDED_BYTES. Cells come out as `reading.cell_text` gives
calamine's values: numbers without a needless ".0", dates as 2024-05-01, booleans as 是/否.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO
from xml.parsers import expat

MAX_COLUMNS = 1000  # the household template has 95; Excel allows 16,384, which no list needs
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_CELL_CHARS = 32_767  # Excel's own limit for the text of one cell
MAX_EXPANDED_BYTES = 2 * 1024**3  # a 50 MB list of inline strings expands to about 600 MB of XML
CHUNK = 1 << 16

# Number formats Excel builds in that show dates or times (ids 27–36 and 50–58 are the Chinese ones).
DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_LITERALS = re.compile(r'"[^"]*"|\\.|\[(?![hms]+\])[^\]]*\]', re.IGNORECASE)
_DATE_TOKENS = re.compile(r"[ymdhs]", re.IGNORECASE)


class UnreadableWorkbook(Exception):
    """What is wrong with the file, in words for its owner (the caller translates)."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code = code
        self.details = details


_LOCAL_NAMES: dict[str, str] = {}


def _local(name: str) -> str:
    """ "c" for "c" and for "x:c" (some writers prefix SpreadsheetML's namespace). Namespaces are not
    resolved: a sheet's parts use one vocabulary, and resolving them doubles the reading time."""
    local = _LOCAL_NAMES.get(name)
    if local is None:
        local = _LOCAL_NAMES[name] = name.rpartition(":")[2]
    return local


def _parser(start: Callable, end: Callable | None = None, text: Callable | None = None) -> expat.XMLParserType:
    """An expat parser that refuses any DTD (no OOXML part has one: entity bombs cannot start)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args):
        raise UnreadableWorkbook("dtd")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def _parse_part(archive: zipfile.ZipFile, name: str, parser: expat.XMLParserType) -> None:
    with archive.open(name) as part:
        while chunk := part.read(CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _attributes(archive: zipfile.ZipFile, name: str, element: str) -> list[dict[str, str]]:
    """The attributes (by local name) of every `element` of a small part."""
    found: list[dict[str, str]] = []

    def start(tag, attrs):
        if _local(tag) == element:
            found.append({_local(key): value for key, value in attrs.items()})

    _parse_part(archive, name, _parser(start))
    return found


def _check_sizes(archive: zipfile.ZipFile) -> None:
    if sum(info.file_size for info in archive.infolist()) > MAX_EXPANDED_BYTES:
        raise UnreadableWorkbook("expands", mb=MAX_EXPANDED_BYTES // 1024**2)


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, bool]:
    """The path of the workbook's first sheet, and whether its dates count from 1904."""
    try:
        sheets = _attributes(archive, "xl/workbook.xml", "sheet")
        properties = _attributes(archive, "xl/workbook.xml", "workbookPr")
        relations = _attributes(archive, "xl/_rels/workbook.xml.rels", "Relationship")
    except KeyError:
        raise UnreadableWorkbook("not_a_workbook") from None
    if not sheets:
        raise UnreadableWorkbook("no_sheet")
    targets = {r.get("Id"): r.get("Target", "") for r in relations}
    target = targets.get(sheets[0].get("id"), "")
    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    if path not in archive.NameToInfo:
        raise UnreadableWorkbook("no_sheet")
    date1904 = any(p.get("date1904") in ("1", "true") for p in properties)
    return path, date1904


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    name = next((n for n in archive.NameToInfo if n.lower() == "xl/sharedstrings.xml"), None)
    if name is None:
        return []
    strings: list[str] = []
    text = _TextCollector()

    def start(tag, _attrs):
        text.start(_local(tag))

    def end(tag):
        if text.end(_local(tag)) == "si":
            strings.append(text.take())

    _parse_part(archive, name, _parser(start, end, text.add))
    return strings


class _TextCollector:
    """The text of an <si> or <is> element: its <t> runs, without phonetic guides (<rPh>)."""

    def __init__(self):
        self.parts: list[str] = []
        self.size = 0
        self.in_text = False
        self.in_phonetic = False

    def start(self, tag: str) -> None:
        if tag == "t":
            self.in_text = not self.in_phonetic
        elif tag == "rPh":
            self.in_phonetic = True

    def end(self, tag: str) -> str:
        if tag == "t":
            self.in_text = False
        elif tag == "rPh":
            self.in_phonetic = False
        return tag

    def add(self, data: str) -> None:
        if self.in_text:
            self.size += len(data)
            if self.size > MAX_CELL_CHARS:
                raise UnreadableWorkbook("cell_too_long", chars=MAX_CELL_CHARS)
            self.parts.append(data)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        self.size = 0
        return text


def _is_date_format(code: str) -> bool:
    code = _LITERALS.sub("", code)
    return bool(_DATE_TOKENS.search(code)) and "general" not in code.lower()


def _date_styles(archive: zipfile.ZipFile) -> frozenset[str]:
    """The indexes of the cell styles (cellXfs) that show a number as a date or a time."""
    if "xl/styles.xml" not in archive.NameToInfo:
        return frozenset()
    custom: dict[int, str] = {}
    styles: list[int] = []
    in_cell_styles = False

    def start(tag, attrs):
        nonlocal in_cell_styles
        tag = _local(tag)
        if tag == "numFmt":
            custom[int(attrs.get("numFmtId", -1))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            in_cell_styles = True
        elif tag == "xf" and in_cell_styles:
            styles.append(int(attrs.get("numFmtId", 0)))

    def end(tag):
        nonlocal in_cell_styles
        if _local(tag) == "cellXfs":
            in_cell_styles = False

    _parse_part(archive, "xl/styles.xml", _parser(start, end))
    return frozenset(
        str(i)
        for i, format_id in enumerate(styles)
        if format_id in DATE_FORMAT_IDS or (format_id in custom and _is_date_format(custom[format_id]))
    )


_COLUMNS: dict[str, int] = {}
_DIGITS = "0123456789"


def _column(reference: str) -> int:
    """0 for "A1", 27 for "AB3" (a sheet names the same few columns on every row: remembered)."""
    letters = reference.rstrip(_DIGITS)
    number = _COLUMNS.get(letters)
    if number is None:
        number = 0
        for char in letters:
            number = number * 26 + ord(char.upper()) - 64
        number = _COLUMNS[letters] = number - 1
    return number


def _number(text: str) -> str:
    value = float(text)
    return str(int(value)) if value.is_integer() else repr(value)


def _serial_date(text: str, date1904: bool) -> str:
    serial = float(text)
    # A spreadsheet's dates and times have no time zone: naive, as calamine gives them.
    if date1904:
        epoch = dt.datetime(1904, 1, 1)  # noqa: DTZ001
    else:  # Excel counts a 29 February 1900 that never was
        epoch = dt.datetime(1899, 12, 30) if serial >= 60 else dt.datetime(1899, 12, 31)  # noqa: DTZ001
    moment = epoch + dt.timedelta(seconds=round(serial * 86400))
    return moment.date().isoformat() if moment.time() == dt.time(0) else moment.isoformat()


def _iso_date(text: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment.date().isoformat() if moment.time() == dt.time(0) else moment.isoformat()


def _cell_text(kind: str, raw: str, style: str, dates: frozenset[str], date1904: bool) -> str:
    """A cell's text from its type (t=), its raw value and its style (strings are read by the caller)."""
    if kind in ("str", "e"):
        return raw.strip()
    if kind == "b":
        return "是" if raw == "1" else "否"
    if kind == "d":
        return _iso_date(raw)
    if style in dates:
        return _serial_date(raw, date1904)
    return _number(raw)


def _sheet_handlers(strings: list[str], dates: frozenset[str], date1904: bool, rows: list[list[str]]):
    """expat's handlers for a worksheet, appending each complete row to `rows`. Closures over local
    state, not methods: the handlers run four to six times per cell, 10^7 cells in a county's list."""
    columns = _COLUMNS
    row: list[str] = []
    row_number = column = size = 0
    kind, style = "n", "0"
    value: list[str] = []
    capturing = in_inline = in_phonetic = False  # capturing: in a <v>, or in an inline string's <t>

    def start(tag, attrs):
        nonlocal row, row_number, column, size, kind, style, capturing, in_inline, in_phonetic
        if tag == "c":
            reference = attrs.get("r")
            if reference is None:
                column = len(row)
            else:  # the same few column letters on every row: looked up, not computed
                column = columns.get(reference.rstrip(_DIGITS))
                if column is None:
                    column = _column(reference)
            if column >= MAX_COLUMNS:
                raise UnreadableWorkbook("too_many_columns", columns=MAX_COLUMNS)
            kind = attrs.get("t", "n")
            style = attrs.get("s", "0")
            value.clear()
            size = 0
        elif tag == "v":
            capturing = True
        elif tag == "t":
            capturing = in_inline and not in_phonetic
        elif tag == "is":
            in_inline = True
        elif tag == "rPh":
            in_phonetic = True
        elif tag == "row":
            number = int(attrs.get("r", row_number + 1))
            if number > MAX_ROWS:
                raise UnreadableWorkbook("too_many_rows", rows=MAX_ROWS)
            while row_number + 1 < number:  # rows with no cells are rows too: numbering stays the file's
                rows.append([])
                row_number += 1
            row_number = number
            row = []
        elif ":" in tag:  # a writer that prefixes SpreadsheetML's names ("x:c")
            start(_local(tag), attrs)

    def end(tag):
        nonlocal capturing, in_inline, in_phonetic
        if tag == "c":  # a formula without its saved value reads as empty, as calamine reads it
            raw = value[0] if len(value) == 1 else "".join(value)
            if raw:
                if kind == "inlineStr":  # the two kinds of nearly every cell, without a call
                    text = raw.strip()
                else:
                    try:
                        text = (
                            strings[int(raw)].strip() if kind == "s" else _cell_text(kind, raw, style, dates, date1904)
                        )
                    except (ValueError, IndexError, OverflowError):
                        raise UnreadableWorkbook("bad_cell", row=row_number) from None
                if text:
                    if column > len(row):
                        row.extend([""] * (column - len(row)))
                    row.append(text)
        elif tag == "v" or tag == "t":
            capturing = False
        elif tag == "row":
            rows.append(row)
        elif tag == "is":
            in_inline = False
        elif tag == "rPh":
            in_phonetic = False
        elif ":" in tag:
            end(_local(tag))

    def text(data):
        nonlocal size
        if capturing:
            size += len(data)
            if size > MAX_CELL_CHARS:
                raise UnreadableWorkbook("cell_too_long", chars=MAX_CELL_CHARS)
            value.append(data)

    return start, end, text


@contextlib.contextmanager
def _damage_named():
    """What a damaged or unknown archive raises, as UnreadableWorkbook."""
    try:
        yield
    except expat.ExpatError as e:
        raise UnreadableWorkbook("bad_xml", error=str(e)) from None
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, KeyError, ValueError) as e:
        # also a compression zipfile does not know, a missing part, a style that is not a number
        raise UnreadableWorkbook("not_a_workbook", error=str(e)) from None


def open_workbook(file: IO[bytes]) -> zipfile.ZipFile:
    """The .xlsx as a zip whose parts may be read, or UnreadableWorkbook."""
    with _damage_named():
        archive = zipfile.ZipFile(file)
        _check_sizes(archive)
        _first_sheet(archive)
        return archive


def rows(file: IO[bytes]) -> Iterator[list[str]]:
    """The first sheet's rows, each a list of cell texts (trailing empty cells left out)."""
    with _damage_named(), open_workbook(file) as archive:
        sheet, date1904 = _first_sheet(archive)
        complete: list[list[str]] = []
        parser = _parser(*_sheet_handlers(_shared_strings(archive), _date_styles(archive), date1904, complete))
        with archive.open(sheet) as part:
            while chunk := part.read(CHUNK):
                parser.Parse(chunk, False)
                yield from complete
                complete.clear()
            parser.Parse(b"", True)
            yield from complete

"""Exports of the filtered household list, one row per current member, in the national system's
person-list layout (../shared/domain.md §2.7), so that an export can be imported again. ID numbers
and phones are masked unless the user may export them in full; each export is audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from operator import itemgetter

from django.db import models
from django.db.models import QuerySet
from openpyxl import Workbook

from fupin import access
from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind
from fupin.lib import bulk
from fupin.lib.xlsx import safe_csv_row, safe_row
from fupin.regions.models import Region

from . import id_numbers, story
from .models import Household, Member

XLSX_MAX_ROWS = 1_048_576 - 1  # one header row per sheet
CHUNK = 5000

# (header, member field or household field via "household__…") in the national layout.
COLUMNS: list[tuple[str, str]] = [
    ("县", "county"),
    ("乡", "township"),
    ("行政村", "village"),
    ("自然村", "household__group_name"),
    ("户编号", "household__household_no"),
    ("人编号", "member_no"),
    ("姓名", "name"),
    ("证件号码", "id_number"),
    ("人数", "household__size"),
    ("与户主关系", "relation_to_head"),
    ("民族", "ethnicity"),
    ("文化程度", "education"),
    ("在校生状况", "school_status"),
    ("健康状况", "health_status"),
    ("劳动技能", "labour_skill"),
    ("务工时间", "work_months"),
    ("是否参加大病保险", "has_serious_illness_insurance"),
    ("致贫原因1", "household__main_cause"),
    ("危房户", "household__is_unsafe_housing"),
    ("是否解决安全饮用水", "household__has_safe_drinking_water"),
    ("人均纯收入", "household__net_income_per_capita"),
    ("户/人联系电话", "household__phone"),
    ("首次识别时间", "household__first_identified_on"),
    ("人员识别时间", "joined_on"),
    ("户类型", "household__household_attribute"),
    ("脱贫年度", "household__exit_year"),
]
HEADERS = [header for header, _key in COLUMNS]
CODE_COLUMNS = {
    "relation_to_head": Kind.RELATION_TO_HEAD,
    "ethnicity": Kind.ETHNICITY,
    "education": Kind.EDUCATION,
    "school_status": Kind.SCHOOL_STATUS,
    "labour_skill": Kind.LABOUR_SKILL,
    "household__main_cause": Kind.POVERTY_CAUSE,
    "household__household_attribute": Kind.HOUSEHOLD_ATTRIBUTE,
}
FIELDS = [key for _h, key in COLUMNS if key not in ("county", "township", "village")]


def _names_of(villages: Iterable[str]) -> dict[str, str]:
    """Names of the villages and of their townships and counties (one query)."""
    codes = {code[:n] for code in villages for n in (6, 9, len(code))}
    return dict(Region.objects.filter(code__in=bulk.among(codes)).values_list("code", "name"))


def _region_names(households: QuerySet) -> dict[str, str]:
    """Names of the counties, townships and villages the households are in (two queries)."""
    return _names_of(households.order_by().values_list("region_id", flat=True).distinct())


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "是" if value else "否"


def _text(value) -> str:
    return "" if value is None else str(value)


def _number(value):
    return "" if value is None else value


def _field(key: str) -> models.Field:
    model, name = (Household, key.removeprefix("household__")) if key.startswith("household__") else (Member, key)
    return model._meta.get_field(name)


def cell_maker(field: models.Field, code_kind: str | None = None, hide: Callable | None = None) -> Callable | None:
    """How a stored value of `field` is written in a cell that an import reads back (both layouts): a
    code by its label, health statuses joined by 、, yes/no as 是/否, numbers and dates as numbers and
    dates (Excel sums them), masked when `hide` is given; None where the value is its own cell (text and
    whole numbers that are never empty)."""
    if code_kind:
        return code_list(code_kind).label
    if field.name == "health_status":
        health = code_list(Kind.HEALTH_STATUS)
        return lambda v: "、".join(health.label(code) for code in v or [])
    if hide is not None:
        return lambda v: hide(v) if v else ""
    if isinstance(field, models.BooleanField):
        return _yes_no
    if isinstance(field, models.CharField | models.IntegerField) and not field.null:
        return None
    if isinstance(field, models.IntegerField | models.DecimalField | models.DateField):
        return _number
    return _text


def _cell_makers(full_ids: bool) -> list:
    """For each of FIELDS, the function that makes its cell from the stored value (see cell_maker)."""
    hide = None if full_ids else id_numbers.mask
    masked = ("id_number", "household__phone")
    return [cell_maker(_field(key), CODE_COLUMNS.get(key), hide if key in masked else None) for key in FIELDS]


def _cells(names: dict[str, str], makers: list, region_code: str, values) -> list:
    cells = [names.get(region_code[:6], ""), names.get(region_code[:9], ""), names.get(region_code, "")]
    cells += [value if make is None else make(value) for make, value in zip(makers, values, strict=True)]
    return cells


def rows(households: QuerySet, full_ids: bool) -> Iterator[list]:
    """Each current member of the households, as a list of cells (constant memory)."""
    names = _region_names(households)
    makers = _cell_makers(full_ids)
    members = (
        Member.objects.filter(household__in=households.values("pk"), left_on__isnull=True)
        .order_by("household__region_id", "household__household_no", "relation_to_head", "id")
        .values_list("household__region_id", *FIELDS)
    )
    for region_code, *values in members.iterator(chunk_size=CHUNK):
        yield _cells(names, makers, region_code, values)


HOUSEHOLD_FIELDS = [key.removeprefix("household__") for key in FIELDS if key.startswith("household__")]
MEMBER_FIELDS = [key for key in FIELDS if not key.startswith("household__")]
# FIELDS picked from a snapshot's household values followed by its member values.
_FROM_SNAPSHOT = itemgetter(
    *(
        HOUSEHOLD_FIELDS.index(key.removeprefix("household__"))
        if key.startswith("household__")
        else len(HOUSEHOLD_FIELDS) + MEMBER_FIELDS.index(key)
        for key in FIELDS
    )
)


def snapshot_rows(prefix: str, day: dt.date, full_ids: bool) -> Iterator[list]:
    """Each member of the registry under the region `prefix` as it stood at the end of `day`, read
    from the history tables (a year's snapshot: `day` is 31 December). Households come in blocks of
    CHUNK, each block's members with one query, so memory stays flat."""
    moment = story.end_of(day)
    households = Household.history.as_of(moment)
    if prefix:  # "" is the whole country
        households = households.filter(access.under("region_id", prefix))
    households = households.order_by("region_id", "household_no", "id").values_list(
        "id", "region_id", *HOUSEHOLD_FIELDS
    )
    makers = _cell_makers(full_ids)
    names: dict[str, str] = {}
    block: list[tuple] = []
    for household in households.iterator(chunk_size=CHUNK):
        block.append(household)
        if len(block) == CHUNK:
            yield from _snapshot_block(block, moment, makers, names)
            block = []
    yield from _snapshot_block(block, moment, makers, names)


def _snapshot_block(block: list[tuple], moment: dt.datetime, makers: list, names: dict[str, str]) -> Iterator[list]:
    if not block:
        return
    members: dict[int, list[tuple]] = {}
    found = Member.history.as_of(moment).filter(household_id__in=[h[0] for h in block], left_on__isnull=True)
    for household_id, *values in found.values_list("household_id", "relation_to_head", "id", *MEMBER_FIELDS):
        members.setdefault(household_id, []).append(values)
    if new_villages := {code for _id, code, *_rest in block} - names.keys():
        names.update(_names_of(new_villages))
    for household_id, region_code, *household in block:
        for _relation, _id, *member in sorted(members.get(household_id, [])):
            yield _cells(names, makers, region_code, _FROM_SNAPSHOT((*household, *member)))


LINES_PER_CHUNK = 1000  # a chunk per person would be a write to the client's socket per person


def csv_chunks(people: Iterable[list], headers: list[str] = HEADERS) -> Iterator[str]:
    """UTF-8 CSV with a BOM (so that Excel reads the Chinese): the header at once, so that the download
    starts while the database sorts a province's people, then LINES_PER_CHUNK lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers)
    people = iter(people)
    while True:
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if not (block := list(islice(people, LINES_PER_CHUNK))):
            return
        writer.writerows(safe_csv_row(row) for row in block)


def xlsx_file(
    people: Iterable[list], sheet_rows: int = XLSX_MAX_ROWS, headers: list[str] = HEADERS
) -> tempfile.SpooledTemporaryFile:
    """A workbook on disk (write-only: rows are not kept in memory); a new sheet every 1,048,575 rows."""
    workbook = Workbook(write_only=True)
    sheet, count, number = None, sheet_rows, 0
    for row in people:
        if count == sheet_rows:
            number += 1
            sheet = workbook.create_sheet(f"名单{number}")
            sheet.append(headers)
            count = 0
        sheet.append(safe_row(sheet, row))
        count += 1
    if sheet is None:
        workbook.create_sheet("名单1").append(headers)
    output = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    workbook.save(output)
    output.seek(0)
    return output

"""Households exported in our own template's layout: every field of the record and the latest year's
income items, one row per current member, written as the template's columns read them back. An
export of a county with full ID numbers imports again through the template and changes nothing.

Without the full-ID permission, ID numbers, phones and bank accounts are masked (such a file is for
reading: the import refuses masked ID numbers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import groupby, islice

from django.db import models
from django.db.models import QuerySet

from . import exports, id_numbers
from .models import Household, IncomeRecord, Member
from .rules import HOUSEHOLD_CODES, MEMBER_CODES
from .sheets import HOUSEHOLD_KEYS, INCOME_KEYS, MEMBER_COLUMNS, STATUS_BY_LABEL, template_columns

CHUNK = 5000
HEADERS = [column.header for column in template_columns()]
INCOME_ITEMS = INCOME_KEYS[1:]  # after 收入年度
# The template's member columns by the member's field (its phone column is named apart from the household's).
MEMBER_KEYS = [key for key, _header, _parse in MEMBER_COLUMNS]
MEMBER_FIELDS = ["phone" if key == "member_phone" else key for key in MEMBER_KEYS]
MASKED_HOUSEHOLD = {"phone", "bank_account"}
MASKED_MEMBER = {"id_number", "phone"}
STATUS_LABELS = {value: label for label, value in STATUS_BY_LABEL.items()}  # the short forms, listed last


def _maker(model: type[models.Model], name: str, codes: dict[str, str], hide: Callable | None) -> Callable:
    """How the stored value of `name` is written so that the template's parser reads it back."""
    if name == "poverty_status":  # the template reads statuses by the short names people write
        return lambda value: STATUS_LABELS.get(value, "")
    field = model._meta.get_field("region" if name == "region_id" else name)
    return exports.cell_maker(field, codes.get(name), hide) or (lambda value: value)


def _makers(full_ids: bool) -> tuple[list[Callable], list[Callable]]:
    hide = None if full_ids else id_numbers.mask
    household = [
        _maker(Household, name, HOUSEHOLD_CODES, hide if name in MASKED_HOUSEHOLD else None) for name in HOUSEHOLD_KEYS
    ]
    member = [_maker(Member, name, MEMBER_CODES, hide if name in MASKED_MEMBER else None) for name in MEMBER_FIELDS]
    return household, member


def _incomes(household_ids: set[int]) -> dict[tuple[int, int], tuple]:
    """(household id, year) → the record's items in the template's order."""
    records = IncomeRecord.objects.filter(household_id__in=household_ids).order_by()
    return {(h, year): items for h, year, *items in records.values_list("household_id", "year", *INCOME_ITEMS)}


def rows(households: QuerySet, full_ids: bool) -> Iterator[list]:
    """Each current member of the households with its household's columns (constant memory: members
    come in blocks of CHUNK, each block's incomes with one query)."""
    household_makers, member_makers = _makers(full_ids)
    members = (
        Member.objects.filter(household__in=households.values("pk"), left_on__isnull=True)
        .order_by("household__region_id", "household__household_no", "relation_to_head", "id")
        .values_list(
            "household_id",
            "household__household_no",
            "household__income_year",
            *(f"household__{name}" for name in HOUSEHOLD_KEYS),
            *MEMBER_FIELDS,
        )
        .iterator(chunk_size=CHUNK)
    )
    width = len(HOUSEHOLD_KEYS)
    empty_income = [""] * len(INCOME_ITEMS)
    while block := list(islice(members, CHUNK)):
        incomes = _incomes({row[0] for row in block})
        for (household_id, number, year), people in groupby(block, key=lambda row: row[:3]):
            items = incomes.get((household_id, year))
            income_cells = [year, *items] if items is not None else ["", *empty_income]
            for row in people:
                values = row[3:]
                cells = [number]
                cells += [make(v) for make, v in zip(household_makers, values[:width], strict=True)]
                cells += income_cells
                cells += [make(v) for make, v in zip(member_makers, values[width:], strict=True)]
                yield cells

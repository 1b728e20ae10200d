"""The national system's reported figures for a household (NationalRecord): what its list said on the
day its data describes, kept beside the register's own record.

A migrated household's per-capita net income is the national system's figure until someone records
the year's income items; the exit assessment may use it for a year with no income record, and says
that it did. The monitoring capability reads the monitoring columns: it listens for the records an
import writes (`on_written`), in the import's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from fupin.policy.items import Name
from fupin.policy.values import resolve

from .models import Household, NationalRecord

# The list's columns (keys of the national sheet) a record keeps, besides its per-capita income.
MONITORING_KEYS = ("monitoring_category", "risk_eliminated", "risk_identified_on", "risk_eliminated_on")
VALUE_FIELDS = ("year", "reported_income_per_capita", "household_type", *MONITORING_KEYS)


_LISTENERS: list[Callable[..., None]] = []


def on_written(listener: Callable[..., None]) -> None:
    """Call `listener(by=…, household_ids=[…])` whenever an import has written national records (new or
    changed) for these households, inside its transaction."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def written(*, by, household_ids: list[int]) -> None:
    for listener in _LISTENERS:
        listener(by=by, household_ids=household_ids)


def record_values(row: dict[str, Any], data_date: dt.date, household_type: str) -> dict[str, Any]:
    """A record's values from the head's row of the list."""
    return {
        "data_date": data_date,
        "year": data_date.year,
        "reported_income_per_capita": row.get("reported_income"),
        "household_type": household_type,
        **{key: row.get(key) for key in MONITORING_KEYS},
        "monitoring_category": row.get("monitoring_category") or "",
    }


def largest_amount(today: dt.date) -> Decimal:
    return resolve(Name.INCOME_ITEM_MAX, today.year, "").value


def row_errors(row: dict[str, Any], today: dt.date, largest: Decimal) -> dict[str, str]:
    """What cannot be right in the list's reported columns (they are kept as given otherwise);
    `largest` is the policy's largest amount for one household (`largest_amount`)."""
    errors = {}
    reported = row.get("reported_income")
    if reported is not None and abs(reported) > largest:
        errors["reported_income"] = _("More than %(max)s yuan for one household: check the amount.") % {
            "max": f"{largest:,.0f}"
        }
    for key in ("risk_identified_on", "risk_eliminated_on"):
        if row.get(key) and row[key] > today:
            errors[key] = _("The date cannot be in the future.")
    identified, eliminated = row.get("risk_identified_on"), row.get("risk_eliminated_on")
    if identified and eliminated and eliminated < identified:
        errors["risk_eliminated_on"] = _("The risk cannot be eliminated before it was identified.")
    if eliminated and row.get("risk_eliminated") is False:
        errors["risk_eliminated"] = _("The list gives a date of elimination, so the risk is eliminated: enter 是.")
    return errors


def reported_income(household: Household, year: int) -> NationalRecord | None:
    """The latest national figure for the household's per-capita net income of `year`, if any."""
    return (
        household.national_records.filter(year=year, reported_income_per_capita__isnull=False)
        .order_by("-data_date")
        .first()
    )


def compared(record: NationalRecord, line: Decimal) -> int:
    """How the reported per-capita figure compares with `line`, exactly: -1 below, 0 equal, 1 above."""
    value = record.reported_income_per_capita
    return (value > line) - (value < line)

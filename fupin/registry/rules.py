"""What makes a household or member record valid. Shared by the forms, the imports and the actions,
so that a row from a spreadsheet is held to exactly the rules of the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.codes.catalogue import code_list, code_lists
from fupin.codes.models import Kind

from . import id_numbers
from .models import MEASURES, PovertyStatus

HEAD = "01"  # relation_to_head 户主
HEALTHY = "01"  # health_status 健康
EARLIEST_YEAR = 2013  # 建档立卡 began with 2013 incomes

HOUSEHOLD_CODES: dict[str, str] = {
    "identification_standard": Kind.IDENTIFICATION_STANDARD,
    "household_attribute": Kind.HOUSEHOLD_ATTRIBUTE,
    "main_cause": Kind.POVERTY_CAUSE,
    "other_cause_1": Kind.POVERTY_CAUSE,
    "other_cause_2": Kind.POVERTY_CAUSE,
    "relocation_mode": Kind.RELOCATION_MODE,
    "resettlement_type": Kind.RESETTLEMENT_TYPE,
    "access_road_type": Kind.ACCESS_ROAD_TYPE,
    "housing_grade": Kind.HOUSING_GRADE,
    "main_fuel": Kind.FUEL_TYPE,
}
MEMBER_CODES: dict[str, str] = {
    "document_type": Kind.DOCUMENT_TYPE,
    "relation_to_head": Kind.RELATION_TO_HEAD,
    "ethnicity": Kind.ETHNICITY,
    "political_status": Kind.POLITICAL_STATUS,
    "education": Kind.EDUCATION,
    "school_status": Kind.SCHOOL_STATUS,
    "labour_skill": Kind.LABOUR_SKILL,
    "work_status": Kind.WORK_STATUS,
    "leave_reason": Kind.LEAVE_REASON,
}
ERRORS = dict[str, str]


def _code_errors(values: Mapping[str, Any], codes: Mapping[str, str]) -> ERRORS:
    errors: ERRORS = {}
    lists = code_lists()
    for name, kind in codes.items():
        # Most values are empty or in their list (10^6 of them in a county's file): looked up directly.
        if (value := values.get(name)) and value not in lists[kind].labels:
            try:
                lists[kind].validate(value)
            except ValidationError as e:
                errors[name] = e.messages[0]
    return errors


def _year_error(year: int | None, today: dt.date, latest_offset: int = 0) -> str | None:
    if year is not None and not (EARLIEST_YEAR <= year <= today.year + latest_offset):
        return _("Enter a year from %(first)s to %(last)s.") % {
            "first": EARLIEST_YEAR,
            "last": today.year + latest_offset,
        }
    return None


def household_errors(values: Mapping[str, Any], today: dt.date | None = None) -> ERRORS:
    today = today or timezone.localdate()
    errors = _code_errors(values, HOUSEHOLD_CODES)
    main, others = values.get("main_cause"), [values.get("other_cause_1"), values.get("other_cause_2")]
    if main and main in others:
        errors.setdefault("other_cause_1", _("The main cause cannot also be another cause."))
    if others[0] and others[0] == others[1]:
        errors.setdefault("other_cause_2", _("The two other causes are the same."))
    if others[1] and not others[0]:
        errors.setdefault("other_cause_1", _("Fill in other cause 1 before other cause 2."))

    status = values.get("poverty_status") or PovertyStatus.NOT_EXITED
    for name, offset in (("exit_year", 0), ("planned_exit_year", 10)):
        if message := _year_error(values.get(name), today, offset):
            errors.setdefault(name, message)
    if status == PovertyStatus.NOT_EXITED and values.get("exit_year"):
        errors.setdefault("exit_year", _("A household that has not exited has no exit year."))
    if status == PovertyStatus.RELAPSED and not values.get("relapsed_on"):
        errors.setdefault("relapsed_on", _("A relapsed household needs the date of relapse."))
    if status == PovertyStatus.REMOVED:
        if not values.get("removed_on"):
            errors.setdefault("removed_on", _("A removed household needs the date of removal."))
        if not values.get("removal_reason"):
            errors.setdefault("removal_reason", _("A removed household needs the reason for removal."))
    for name in ("first_identified_on", "relapsed_on", "removed_on"):
        day = values.get(name)
        if day and day > today:
            errors.setdefault(name, _("This date is in the future."))
    first = values.get("first_identified_on")
    if first and values.get("exit_year") and values["exit_year"] < first.year:
        errors.setdefault("exit_year", _("The exit year is before the household was first identified."))

    if values.get("is_relocated") and not values.get("relocation_mode"):
        errors.setdefault("relocation_mode", _("A relocated household needs its relocation mode."))
    if values.get("is_unsafe_housing") is False and values.get("housing_grade") in ("C", "D"):
        errors.setdefault("housing_grade", _("Grade C and D housing is unsafe housing."))
    for name in MEASURES:
        amount = values.get(name)
        if amount is not None and amount < 0:
            errors.setdefault(name, _("This cannot be negative."))
    return errors


def member_errors(values: Mapping[str, Any], today: dt.date | None = None) -> tuple[ERRORS, list[str]]:
    """Errors by field, and warnings that do not stop the record (an unknown birthplace code)."""
    today = today or timezone.localdate()
    errors = _code_errors(values, MEMBER_CODES)
    warnings: list[str] = []
    number = values.get("id_number") or ""
    result = id_numbers.check(number, today=today)
    if result.errors:
        errors["id_number"] = " ".join(result.errors)
    warnings.extend(result.warnings)
    if values.get("document_type") == "1" and len(number) != id_numbers.ID_LENGTH and "id_number" not in errors:
        errors["id_number"] = _("A resident ID card number has 18 characters.")
    health = values.get("health_status") or []
    health_list = code_list(Kind.HEALTH_STATUS)
    if unknown := [code for code in health if code not in health_list.labels]:
        errors["health_status"] = _("“%(value)s” is not in the list %(list)s.") % {
            "value": "、".join(unknown),
            "list": Kind.HEALTH_STATUS.label,
        }
    elif HEALTHY in health and len(health) > 1:
        errors["health_status"] = _("“Healthy” cannot be combined with an illness or a disability.")
    for name in ("work_months", "public_welfare_post_months"):
        months = values.get(name)
        if months is not None and not 0 <= months <= 12:
            errors[name] = _("Enter a number of months from 0 to 12.")
    if values.get("left_on") and not values.get("leave_reason"):
        errors["leave_reason"] = _("Say why the member left the household.")
    for name in ("joined_on", "left_on"):
        day = values.get(name)
        if day and day > today:
            errors[name] = _("This date is in the future.")
    return errors, warnings


def composition_errors(members: Sequence[Mapping[str, Any]]) -> list[str]:
    """Whole-household rules over its current members: exactly one head, nobody twice."""
    current = [m for m in members if not m.get("left_on")]
    errors = []
    heads = sum(1 for m in current if m.get("relation_to_head") == HEAD)
    if heads == 0:
        errors.append(_("The household has no head (relation 户主)."))
    elif heads > 1:
        errors.append(_("The household has %(count)s heads; it must have exactly one.") % {"count": heads})
    numbers = [m.get("id_number") for m in current]
    if duplicated := sorted({n for n in numbers if n and numbers.count(n) > 1}):
        errors.append(
            _("The same ID number appears twice: %(numbers)s.")
            % {"numbers": "、".join(id_numbers.mask(n) for n in duplicated)}
        )
    return errors

"""两不愁三保障 and safe water (basic needs), derived from the record: each item says what decided it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.codes.catalogue import label
from fupin.codes.models import Kind
from fupin.policy.values import PolicyMissing, income_line

from .id_numbers import age_on
from .income import per_capita_compared
from .models import Household, IncomeRecord, Member

# Compulsory education (义务教育法 art. 11): from 6 years old, nine years; so ages 6–15 are school age.
SCHOOL_AGE = range(6, 16)
NOT_IN_SCHOOL = "01"  # school_status 非在校生
# The school statuses that secure a school-age child's education (domain.md §5, 两不愁三保障): a grade
# of compulsory school, taught at home for illness or disability (送教上门), or approved leave (休学);
# preschool at six, and the first years after it (高中, 中职) for a child who has finished nine years.
# Anything else (大专 at twelve) is not a status a school-age child can hold.
SECURED_AT_ANY_SCHOOL_AGE = {"03", "04", "05", "06", "17", "18"}
SECURED_AT_AGES = {"02": range(6, 7), "07": range(14, 16), "10": range(14, 16)}  # 学前教育, 高中一年级, 中职一年级

OK, PROBLEM, UNKNOWN = "ok", "problem", "unknown"


@dataclass
class NeedItem:
    key: str
    title: str
    status: str = OK
    evidence: list[str] = field(default_factory=list)


def _food_and_clothing(household: Household, income: IncomeRecord | None) -> NeedItem:
    item = NeedItem("food_clothing", gettext_lazy("No worry about food and clothing"))
    if income is None or income.net_income_per_capita is None:
        item.status = UNKNOWN
        item.evidence.append(_("No income has been recorded."))
        return item
    facts = {"year": income.year, "income": f"{income.net_income_per_capita:,.2f}"}
    try:
        # The page informs; it may compare with the latest line set. Exit decisions need the year's own.
        line = income_line(income.year, household.region_id, household.identification_standard, latest=True)
    except PolicyMissing:
        item.status = UNKNOWN
        item.evidence.append(_("%(year)s per-capita net income %(income)s yuan; no line is set for that year.") % facts)
        return item
    if line.year != income.year:
        item.evidence.append(_("No line is set for %(year)s; the latest one is used.") % {"year": income.year})
    if per_capita_compared(income, line.value) == -1:  # exactly, not the rounded figure shown
        item.status = PROBLEM
        item.evidence.append(
            _("%(year)s per-capita net income %(income)s yuan is below the line: %(line)s.")
            % {**facts, "line": line.describe()}
        )
    else:
        item.evidence.append(
            _("%(year)s per-capita net income %(income)s yuan is not below the line: %(line)s.")
            % {**facts, "line": line.describe()}
        )
    return item


def _education(members: Sequence[Member], on: dt.date) -> NeedItem:
    item = NeedItem("education", gettext_lazy("Compulsory education secured"))
    for member in members:
        age = age_on(member.birth_date, on)
        if age not in SCHOOL_AGE:
            continue
        facts = {"name": member.name, "age": age, "status": label(Kind.SCHOOL_STATUS, member.school_status) or "—"}
        if not member.school_status and not member.dropout_reason:
            item.status = UNKNOWN if item.status == OK else item.status
            item.evidence.append(_("%(name)s, aged %(age)s: school status not recorded.") % facts)
        elif member.dropout_reason or not _secured(member.school_status, age):
            item.status = PROBLEM
            item.evidence.append(_("%(name)s, aged %(age)s, school status: %(status)s.") % facts)
    if not item.evidence:
        item.evidence.append(_("No member of compulsory-school age is out of school."))
    return item


def _secured(status: str, age: int) -> bool:
    return status in SECURED_AT_ANY_SCHOOL_AGE or age in SECURED_AT_AGES.get(status, ())


def _medical(members: Sequence[Member]) -> NeedItem:
    item = NeedItem("medical", gettext_lazy("Basic medical care secured"))
    uninsured = [m.name for m in members if m.has_medical_insurance is False]
    unknown = [m.name for m in members if m.has_medical_insurance is None]
    if uninsured:
        item.status = PROBLEM
        item.evidence.append(_("Without basic medical insurance: %(names)s.") % {"names": "、".join(uninsured)})
    if unknown:
        item.status = item.status if uninsured else UNKNOWN
        item.evidence.append(_("Medical insurance not recorded: %(names)s.") % {"names": "、".join(unknown)})
    if not item.evidence:
        item.evidence.append(_("Every member has basic medical insurance."))
    return item


def _housing(household: Household, on: dt.date) -> NeedItem:
    item = NeedItem("housing", gettext_lazy("Safe housing secured"))
    grade = label(Kind.HOUSING_GRADE, household.housing_grade) or _("not graded")
    unsafe = household.unsafe_housing
    moved_in, renovated = household.relocation_moved_in_on, household.housing_renovated_on
    if household.is_relocated and moved_in and moved_in <= on:
        item.evidence.append(_("Relocated: moved into the new housing on %(day)s.") % {"day": moved_in})
    elif renovated and renovated <= on:
        item.evidence.append(
            _("The unsafe house (grade: %(grade)s) was renovated; accepted on %(day)s.")
            % {"grade": grade, "day": renovated}
        )
    elif unsafe is None:
        item.status = UNKNOWN
        item.evidence.append(_("Housing safety not recorded."))
    elif unsafe:
        item.status = PROBLEM
        item.evidence.append(_("Unsafe housing (grade: %(grade)s).") % {"grade": grade})
    else:
        item.evidence.append(_("Housing is safe (grade: %(grade)s).") % {"grade": grade})
    return item


def _water(household: Household) -> NeedItem:
    item = NeedItem("water", gettext_lazy("Safe drinking water secured"))
    if household.has_safe_drinking_water is False:
        item.status = PROBLEM
        item.evidence.append(_("Safe drinking water: no."))
    if household.has_drinking_water_difficulty:
        item.status = PROBLEM
        item.evidence.append(_("Difficulty getting drinking water: yes."))
    if item.status == OK:
        if household.has_safe_drinking_water is None:
            item.status = UNKNOWN
            item.evidence.append(_("Drinking water not recorded."))
        else:
            item.evidence.append(_("Safe drinking water, without difficulty."))
    return item


def check(household: Household, members: Sequence[Member], income: IncomeRecord | None, on: dt.date) -> list[NeedItem]:
    """The five items for the household's current members, as of `on`."""
    return [
        _food_and_clothing(household, income),
        _education(members, on),
        _medical(members),
        _housing(household, on),
        _water(household),
    ]


def problems(items: Sequence[NeedItem]) -> int:
    return sum(1 for item in items if item.status == PROBLEM)

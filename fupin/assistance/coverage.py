"""Coverage rules (帮扶措施精准): for a year, which households a rule applies to and which of them
lack the measures it asks for. Measures counted are those of the year's plan, planned or delivered.
Three queries for any number of households: the households, their measures, their working members."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from fupin.registry.models import HELPED, UNSAFE_GRADES, Household, Member, PovertyStatus

from .models import CoverageKind, CoverageRule, Measure, MeasureCategory


@dataclass
class HouseholdMeasures:
    categories: set[str] = field(default_factory=set)
    income_generating: int = 0
    total: int = 0


@dataclass
class Gap:
    rule: CoverageRule
    household_id: int
    village: str
    reason: str


def _measures(household_ids: list[int], year: int, income_categories: set[str]) -> dict[int, HouseholdMeasures]:
    result: dict[int, HouseholdMeasures] = defaultdict(HouseholdMeasures)
    rows = Measure.objects.filter(plan__year=year, plan__household_id__in=household_ids).values_list(
        "plan__household_id", "measure_type__category", "measure_type__income_item"
    )
    for household_id, category, income_item in rows:
        found = result[household_id]
        found.categories.add(category)
        found.total += 1
        found.income_generating += bool(income_item) or category in income_categories
    return result


def _labels(categories: list[str]) -> str:
    return "、".join(str(MeasureCategory(c).label) for c in categories if c in MeasureCategory.values)


def gaps(households: QuerySet[Household], year: int) -> tuple[dict[tuple[str, str], int], list[Gap]]:
    """({(rule code, village): households it applies to}, the gaps) for the households helped."""
    rules = list(CoverageRule.objects.filter(is_active=True))
    rows = list(
        households.filter(poverty_status__in=HELPED).values_list(
            "id", "region_id", "main_cause", "poverty_status", "housing_grade", "is_unsafe_housing"
        )
    )
    ids = [row[0] for row in rows]
    income_categories = {c for r in rules if r.kind == CoverageKind.LABOUR_INCOME for c in r.parameters["categories"]}
    measures = _measures(ids, year, income_categories)
    skills = {s for r in rules if r.kind == CoverageKind.LABOUR_INCOME for s in r.parameters["skills"]}
    with_labour = set(
        Member.objects.filter(household_id__in=ids, left_on__isnull=True, labour_skill__in=skills).values_list(
            "household_id", flat=True
        )
    )
    applies: dict[tuple[str, str], int] = defaultdict(int)
    found: list[Gap] = []
    for household_id, village, cause, status, grade, unsafe in rows:
        have = measures.get(household_id, HouseholdMeasures())
        for rule in rules:
            p = rule.parameters
            if rule.kind == CoverageKind.LABOUR_INCOME and household_id in with_labour:
                applies[(rule.code, village)] += 1
                if have.income_generating < p["min"]:
                    reason = _("%(n)s income-generating measure(s); at least %(min)s needed.")
                    found.append(
                        Gap(rule, household_id, village, reason % {"n": have.income_generating, "min": p["min"]})
                    )
            elif rule.kind == CoverageKind.CAUSE and cause == p["cause"]:
                applies[(rule.code, village)] += 1
                if not have.categories & set(p["categories"]):
                    reason = _("No %(categories)s measure this year.") % {"categories": _labels(p["categories"])}
                    found.append(Gap(rule, household_id, village, reason))
            elif rule.kind == CoverageKind.UNSAFE_HOUSING and (grade in UNSAFE_GRADES or unsafe):
                applies[(rule.code, village)] += 1
                if not have.categories & set(p["categories"]):
                    reason = _("No %(categories)s measure this year.") % {"categories": _labels(p["categories"])}
                    found.append(Gap(rule, household_id, village, reason))
            elif rule.kind == CoverageKind.EXITED_ACTIVE and status == PovertyStatus.EXITED:
                applies[(rule.code, village)] += 1
                if have.total < p["min"]:
                    found.append(Gap(rule, household_id, village, _("No measure in this year's plan.")))
    return dict(applies), found

"""一户一策: one plan per household and year, with its measures planned and delivered.

A measure's amounts are yuan, never negative, and at most a million for one household (more is a
typing error). A measure is delivered when it has a delivery date, in the plan's year and not in the
future; a delivered measure is corrected, never deleted. Every change is audited.

Money a delivered measure pays the household is income where its type names an income item
(dividends → property income, a public-welfare post → wages): after every change the plan's
delivered amounts are summed per item and handed to the registry, which replaces the measures' part
of that year's income record, so each yuan is counted once.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event, save_changes, snapshot
from fupin.audit.models import EventType
from fupin.permissions import Perm
from fupin.projects.links import served_region
from fupin.projects.models import Project
from fupin.registry import actions as registry
from fupin.registry.models import HELPED, Household

from .models import AssistancePlan, Measure, MeasureType

MAX_AMOUNT = Decimal("1000000")
MEASURE_FIELDS = (
    "measure_type_id",
    "description",
    "planned_amount",
    "delivered_amount",
    "delivered_on",
    "funding_source",
    "project_id",
)


@transaction.atomic
def save_plan(*, by, household: Household, year: int, goal: str | None = None) -> AssistancePlan:
    """The household's plan for `year`, made if missing; `goal` sets its goal."""
    access.require(by, Perm.MANAGE_ASSISTANCE, household.region_id)
    today = timezone.localdate()
    if not 2014 <= year <= today.year + 1:
        raise ValidationError({"year": _("Enter a year from 2014 to next year.")})
    plan = AssistancePlan.objects.filter(household=household, year=year).first()
    if plan is None:
        if household.poverty_status not in HELPED:
            raise ValidationError(
                _("A plan is made for a poor, relapsed or exited household; this one is “%(status)s”.")
                % {"status": household.get_poverty_status_display()}
            )
        plan = AssistancePlan.objects.create(household=household, year=year, goal=(goal or "").strip(), created_by=by)
        record_event(
            actor=by, event_type=EventType.CREATE, target=plan, region_code=household.region_id, changes={"year": year}
        )
    elif goal is not None and goal.strip() != plan.goal:
        record_event(
            actor=by,
            event_type=EventType.UPDATE,
            target=plan,
            region_code=household.region_id,
            changes={"goal": [plan.goal, goal.strip()]},
        )
        plan.goal = goal.strip()
        plan.save(update_fields=["goal", "updated_at"])
    return plan


@transaction.atomic
def add_planned_measure(*, by, household: Household, year: int, values: Mapping[str, Any]) -> Measure:
    """A measure in the household's plan for `year`, making the plan if it is missing (both or neither)."""
    plan = save_plan(by=by, household=household, year=year)
    return save_measure(by=by, plan=plan, values=values)


def measure_errors(values: Mapping[str, Any], plan: AssistancePlan) -> dict[str, str]:
    errors = {}
    if not MeasureType.objects.filter(pk=values.get("measure_type_id"), is_active=True).exists():
        errors["measure_type_id"] = _("Choose a measure from the catalogue.")
    for name in ("planned_amount", "delivered_amount"):
        amount = values.get(name)
        if amount is not None and amount < 0:
            errors[name] = _("An amount cannot be negative.")
        elif amount is not None and amount > MAX_AMOUNT:
            errors[name] = _("More than %(max)s yuan for one household; check the amount.") % {"max": f"{MAX_AMOUNT:,}"}
    if (project_id := values.get("project_id")) is not None:
        project = Project.objects.filter(pk=project_id).first()
        if project is None or not plan.household.region_id.startswith(served_region(project)):
            errors["project_id"] = _("Choose a project that serves this household's region.")
    delivered_on = values.get("delivered_on")
    if values.get("delivered_amount") is not None and delivered_on is None:
        errors["delivered_on"] = _("A delivered amount needs the date it was delivered.")
    if delivered_on is not None:
        if delivered_on > timezone.localdate():
            errors["delivered_on"] = _("The date is in the future.")
        elif delivered_on.year != plan.year:
            errors["delivered_on"] = _("The plan is for %(year)s; the date is in another year.") % {"year": plan.year}
    return errors


@transaction.atomic
def save_measure(*, by, plan: AssistancePlan, values: Mapping[str, Any], measure: Measure | None = None) -> Measure:
    access.require(by, Perm.MANAGE_ASSISTANCE, plan.household.region_id)
    merged = {**(snapshot(measure, MEASURE_FIELDS) if measure else {}), **values}
    merged = {name: merged.get(name) for name in MEASURE_FIELDS}
    merged["description"] = (merged["description"] or "").strip()
    merged["funding_source"] = (merged["funding_source"] or "").strip()
    if errors := measure_errors(merged, plan):
        raise ValidationError(errors)
    before = snapshot(measure, MEASURE_FIELDS) if measure else {}
    measure = measure or Measure(plan=plan, created_by=by)
    for name, value in merged.items():
        setattr(measure, name, value)
    save_changes(
        by=by,
        instance=measure,
        before=before,
        fields=MEASURE_FIELDS,
        region_code=plan.household.region_id,
        target_repr=f"{plan.household.household_no} {plan.year} {measure.measure_type.name}",
    )
    _update_income(by, plan)
    return measure


def income_paid(plan: AssistancePlan) -> dict[str, Decimal]:
    """Income item → the yuan the plan's delivered measures paid into it."""
    delivered = plan.measures.filter(delivered_on__isnull=False, delivered_amount__isnull=False)
    sums = delivered.exclude(measure_type__income_item="").values("measure_type__income_item")
    return {row["measure_type__income_item"]: row["paid"] for row in sums.annotate(paid=Sum("delivered_amount"))}


def _update_income(by, plan: AssistancePlan) -> None:
    registry.set_income_from_measures(
        by=by,
        household=plan.household,
        year=plan.year,
        amounts=income_paid(plan),
        reason=_("Assistance measures delivered"),
    )


@transaction.atomic
def delete_measure(*, by, measure: Measure) -> None:
    plan = measure.plan
    access.require(by, Perm.MANAGE_ASSISTANCE, plan.household.region_id)
    if measure.is_delivered:
        raise ValidationError(_("A delivered measure is corrected, not deleted."))
    record_event(
        actor=by,
        event_type=EventType.DELETE,
        target=measure,
        target_repr=f"{plan.household.household_no} {plan.year} {measure.measure_type.name}",
        region_code=plan.household.region_id,
        changes=snapshot(measure, MEASURE_FIELDS),
    )
    measure.delete()

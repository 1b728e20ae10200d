"""Every write of the monitoring record, each with its audit event."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import save_changes, snapshot
from fupin.permissions import Perm
from fupin.policy.items import Name
from fupin.policy.values import resolve
from fupin.registry.models import Household

from . import clues as clue_checks
from .models import CaseStatus, MonitoringCase, RigidExpenditure

SPENDING_FIELDS = ("medical", "schooling", "other", "note")


@transaction.atomic
def save_expenditure(*, by, household: Household, year: int, values: dict) -> RigidExpenditure:
    """Record a year's compliant out-of-pocket spending of a household (all amounts, or nothing)."""
    access.require(by, Perm.CHANGE_HOUSEHOLD, household.region_id)
    today = timezone.localdate()
    errors = {}
    if not 2014 <= year <= today.year:
        errors["year"] = _("Enter a year from 2014 to %(year)s.") % {"year": today.year}
    largest = resolve(Name.INCOME_ITEM_MAX, today.year, household.region_id).value
    amounts = {}
    for key in ("medical", "schooling", "other"):
        amount = values.get(key)
        amount = Decimal(0) if amount in (None, "") else Decimal(amount)
        if amount < 0:
            errors[key] = _("An amount cannot be negative.")
        elif amount > largest:
            errors[key] = _("An amount above %(max)s yuan: check it.") % {"max": f"{largest:,.0f}"}
        amounts[key] = amount
    if errors:
        raise ValidationError(errors)
    record = RigidExpenditure.objects.select_for_update().filter(household=household, year=year).first()
    before = snapshot(record, SPENDING_FIELDS) if record else {}
    record = record or RigidExpenditure(household=household, region_id=household.region_id, year=year)
    for key, amount in amounts.items():
        setattr(record, key, amount)
    record.note = (values.get("note") or "").strip()[:200]
    record.changed_by = by
    save_changes(
        by=by,
        instance=record,
        before=before,
        fields=SPENDING_FIELDS,
        region_code=household.region_id,
        target_repr=f"{household.household_no} {year}",
    )
    return record


CASE_FIELDS = ("household_id", "category", "risks", "identified_on", "channel", "no_labour_support", "status", "note")


@transaction.atomic
def open_case(
    *, by, household: Household, category: str, risks: list[str], identified_on, channel: str, note: str = ""
) -> MonitoringCase:
    """The household becomes monitored (信息录入): the last step of the identification procedure."""
    access.require(by, None, household.region_id)
    if MonitoringCase.objects.select_for_update().filter(household=household, status=CaseStatus.MONITORING).exists():
        raise ValidationError(_("Household %(no)s is already monitored.") % {"no": household.household_no})
    case = MonitoringCase(
        household=household,
        region_id=household.region_id,
        category=category,
        risks=list(risks),
        identified_on=identified_on,
        channel=channel,
        note=note[:200],
        created_by=by,
    )
    save_changes(
        by=by,
        instance=case,
        before={},
        fields=CASE_FIELDS,
        region_code=case.region_id,
        target_repr=household.household_no,
    )
    return case


EDITED_FIELDS = ("category", "risks", "contact_id", "no_labour_support", "note")


@transaction.atomic
def update_case(*, by, case: MonitoringCase, values: dict) -> MonitoringCase:
    """The monitoring contact, the guaranteed-support flag, and corrections of category and risk types."""
    case = MonitoringCase.objects.select_for_update().get(pk=case.pk)
    access.require(by, Perm.CHANGE_HOUSEHOLD, case.region_id)
    if case.status != CaseStatus.MONITORING:
        raise ValidationError(_("The risk is eliminated; the case is kept as it was."))
    contact = values.get("contact")
    if contact is not None and not contact.unit.region_id.startswith(case.region_id[:6]):
        raise ValidationError({"contact": _("Choose a cadre of the household's county.")})
    risks = clue_checks.check_risks(values.get("risks", case.risks))
    if not risks:
        raise ValidationError({"risks": _("Choose at least one risk type.")})
    before = snapshot(case, EDITED_FIELDS)
    case.category = values.get("category", case.category)
    case.risks = risks
    case.contact = contact
    case.no_labour_support = bool(values.get("no_labour_support"))
    case.note = (values.get("note") or "").strip()[:200]
    save_changes(
        by=by,
        instance=case,
        before=before,
        fields=EDITED_FIELDS,
        region_code=case.region_id,
        target_repr=case.household.household_no,
    )
    return case

"""Every change to the registry: checked against registry.rules, kept in the history tables
(who, when, before and after) and written to the audit trail. Pages, imports and the demo
generator all write through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import diff, record_event, snapshot
from fupin.audit.models import EventType
from fupin.permissions import Perm
from fupin.policy.items import Name
from fupin.policy.values import PolicyMissing, income_line, resolve
from fupin.regions.models import Level, Region

from . import elsewhere, id_numbers, income, rules
from .fields import STATUS_FIELDS
from .models import Household, IncomeRecord, Member

HOUSEHOLD_FIELDS = tuple(
    f.name
    for f in Household._meta.concrete_fields
    if f.name
    not in {"id", "region", "head_name", "size", "income_year", "net_income_per_capita", "created_at", "updated_at"}
) + ("region_id",)
MEMBER_FIELDS = tuple(
    f.name
    for f in Member._meta.concrete_fields
    if f.name not in {"id", "household", "sex", "birth_date", "created_at", "updated_at"}
)
SENSITIVE = {"id_number", "bank_account"}


def _audited(values: Mapping[str, Any]) -> dict[str, Any]:
    """The audit trail names what changed but never holds a full ID number or account."""
    return {k: id_numbers.mask(v) if k in SENSITIVE and v else v for k, v in values.items()}


def _village(by, region_id: str) -> Region:
    region = Region.objects.filter(code=region_id, level=Level.VILLAGE).first()
    if region is None or not access.covers(by, region.code):
        raise ValidationError({"region_id": _("Choose a village inside your jurisdiction.")})
    return region


def next_household_no(village_code: str) -> str:
    """A local number for a household registered here: the village code and a 4-digit serial."""
    numbers = Household.objects.filter(household_no__startswith=village_code).values_list("household_no", flat=True)
    serials = [int(n[len(village_code) :]) for n in numbers if n[len(village_code) :].isdigit()]
    return f"{village_code}{max(serials, default=0) + 1:04d}"


def _save(instance, by, reason: str = "", **kwargs) -> None:
    instance._history_user = by
    instance._change_reason = reason
    instance.save(**kwargs)


@transaction.atomic
def register_household(*, by, values: Mapping[str, Any], reason: str = "") -> Household:
    if not by.has_perm(Perm.CHANGE_HOUSEHOLD):
        raise PermissionDenied
    region = _village(by, values.get("region_id") or "")
    if errors := rules.household_errors(values):
        raise ValidationError(errors)
    fields = {k: v for k, v in values.items() if k in HOUSEHOLD_FIELDS and k != "region_id"}
    fields["household_no"] = fields.get("household_no") or next_household_no(region.code)
    if Household.objects.filter(household_no=fields["household_no"]).exists():
        raise ValidationError({"household_no": _("This household number is already registered.")})
    household = Household(region=region, **fields)
    _save(household, by, reason, force_insert=True)
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=household,
        region_code=household.region_id,
        changes=_audited(diff({}, snapshot(household, HOUSEHOLD_FIELDS))),
    )
    return household


@transaction.atomic
def update_household(*, by, household: Household, values: Mapping[str, Any], reason: str = "") -> bool:
    household = Household.objects.select_for_update().get(pk=household.pk)
    access.require(by, Perm.CHANGE_HOUSEHOLD, household.region_id)
    if any(values[name] != getattr(household, name) for name in STATUS_FIELDS & set(values)):
        raise ValidationError(_("The poverty status and its dates are set by the identification and exit procedures."))
    if "region_id" in values and values["region_id"] != household.region_id:
        _village(by, values["region_id"])
    merged = {**snapshot(household, HOUSEHOLD_FIELDS), **values}
    if errors := rules.household_errors(merged):
        raise ValidationError(errors)
    if values.get("household_no", household.household_no) != household.household_no and (
        Household.objects.filter(household_no=values["household_no"]).exists()
    ):
        raise ValidationError({"household_no": _("This household number is already registered.")})
    before = snapshot(household, HOUSEHOLD_FIELDS)
    for name, value in values.items():
        if name in HOUSEHOLD_FIELDS:
            setattr(household, name, value)
    changes = diff(before, snapshot(household, HOUSEHOLD_FIELDS))
    if not changes:
        return False
    _save(household, by, reason)
    record_event(
        actor=by,
        event_type=EventType.UPDATE,
        target=household,
        region_code=household.region_id,
        changes=_audited(changes),
    )
    return True


@transaction.atomic
def change_status(*, by, household: Household, values: Mapping[str, Any], reason: str) -> None:
    """The poverty status and its dates, as a procedure decided them. Only fupin.procedures calls
    this, after its own checks of role and step (the deciding reviewer may not edit records)."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not access.covers(by, household.region_id) or set(values) - STATUS_FIELDS:
        raise PermissionDenied
    before = snapshot(household, HOUSEHOLD_FIELDS)
    merged = {**before, **values}
    if errors := rules.household_errors(merged):
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(household, name, value)
    if changes := diff(before, snapshot(household, HOUSEHOLD_FIELDS)):
        _save(household, by, reason)
        record_event(
            actor=by, event_type=EventType.UPDATE, target=household, region_code=household.region_id, changes=changes
        )


def _derive_from_id(member: Member) -> None:
    for name, value in id_numbers.derived(member.id_number).items():
        setattr(member, name, value)


def _check_member(by, values: Mapping[str, Any], exclude_pk: int | None = None) -> list[str]:
    errors, warnings = rules.member_errors(values)
    if errors:
        raise ValidationError(errors)
    # Checked again inside the transaction (audited before it, by the callers): someone may have
    # registered the person meanwhile.
    if not values.get("left_on") and (other := elsewhere.current_member_with(values["id_number"], exclude_pk)):
        raise elsewhere.registered_elsewhere(other, by)
    return warnings


def refresh_summary(household: Household, by, reason: str = "", since_year: int | None = None) -> None:
    """Re-derive the household's head, size and the income of `since_year` onwards from its members."""
    current = list(household.members.filter(left_on__isnull=True).values_list("name", "relation_to_head"))
    head = next((name for name, relation in current if relation == rules.HEAD), "")
    since_year = since_year or timezone.localdate().year
    if (head, len(current)) != (household.head_name, household.size):
        household.head_name, household.size = head, len(current)
        _save(household, by, reason, update_fields=["head_name", "size", "updated_at"])
    for record in household.incomes.filter(year__gte=since_year):
        if record.household_size != household.size:
            _compute_into(record, household.size)
            _save(record, by, reason)
    _refresh_latest_income(household, by, reason)


def register_household_with_head(
    *, by, values: Mapping[str, Any], head: Mapping[str, Any]
) -> tuple[Household, list[str]]:
    """A new household and its head, both or neither; returns the household and the head's warnings."""
    if head.get("id_number"):  # before the transaction, as add_member does
        elsewhere.refuse_if_registered(by, head["id_number"])
    with transaction.atomic():
        household = register_household(by=by, values=values)
        head = {**head, "relation_to_head": rules.HEAD}
        _head, warnings = _add_member(by=by, household=household, values=head, reason="")  # looked up above
    return household, warnings


def add_member(*, by, household: Household, values: Mapping[str, Any], reason: str = "") -> tuple[Member, list[str]]:
    access.require(by, Perm.CHANGE_HOUSEHOLD, household.region_id)
    if values.get("id_number") and not values.get("left_on"):
        elsewhere.refuse_if_registered(by, values["id_number"])
    return _add_member(by=by, household=household, values=values, reason=reason)


@transaction.atomic
def _add_member(*, by, household: Household, values: Mapping[str, Any], reason: str) -> tuple[Member, list[str]]:
    household = Household.objects.select_for_update().get(pk=household.pk)
    access.require(by, Perm.CHANGE_HOUSEHOLD, household.region_id)
    warnings = _check_member(by, values)
    if values.get("member_no") and Member.objects.filter(member_no=values["member_no"]).exists():
        raise ValidationError({"member_no": _("This member number is already registered.")})
    member = Member(household=household, **{k: v for k, v in values.items() if k in MEMBER_FIELDS})
    _derive_from_id(member)
    _save(member, by, reason, force_insert=True)
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=member,
        target_repr=f"{household.household_no} {member.name}",
        region_code=household.region_id,
        changes=_audited(diff({}, snapshot(member, MEMBER_FIELDS))),
    )
    refresh_summary(household, by, reason)
    return member, warnings


def update_member(*, by, member: Member, values: Mapping[str, Any], reason: str = "") -> tuple[bool, list[str]]:
    access.require(by, Perm.CHANGE_HOUSEHOLD, member.household.region_id)
    id_number, left_on = values.get("id_number", member.id_number), values.get("left_on", member.left_on)
    if id_number and not left_on:
        elsewhere.refuse_if_registered(by, id_number, exclude_pk=member.pk)
    return _update_member(by=by, member=member, values=values, reason=reason)


@transaction.atomic
def _update_member(*, by, member: Member, values: Mapping[str, Any], reason: str) -> tuple[bool, list[str]]:
    member = Member.objects.select_for_update().select_related("household").get(pk=member.pk)
    household = member.household
    access.require(by, Perm.CHANGE_HOUSEHOLD, household.region_id)
    before = snapshot(member, MEMBER_FIELDS)
    merged = {**before, **values}
    warnings = _check_member(by, merged, exclude_pk=member.pk)
    if values.get("member_no") and Member.objects.filter(member_no=values["member_no"]).exclude(pk=member.pk).exists():
        raise ValidationError({"member_no": _("This member number is already registered.")})
    for name, value in values.items():
        if name in MEMBER_FIELDS:
            setattr(member, name, value)
    changes = diff(before, snapshot(member, MEMBER_FIELDS))
    if not changes:
        return False, warnings
    _derive_from_id(member)
    _save(member, by, reason)
    record_event(
        actor=by,
        event_type=EventType.UPDATE,
        target=member,
        target_repr=f"{household.household_no} {member.name}",
        region_code=household.region_id,
        changes=_audited(changes),
    )
    left = member.left_on
    refresh_summary(household, by, reason, since_year=left.year if left else None)
    return True, warnings


def _compute_into(record: IncomeRecord, household_size: int) -> None:
    result = income.compute({item: getattr(record, item) for item in income.ITEMS}, household_size)
    for name, value in result.stored().items():
        setattr(record, name, value)


def _refresh_latest_income(household: Household, by, reason: str) -> None:
    latest = household.incomes.order_by("-year").first()
    year, per_capita = (latest.year, latest.net_income_per_capita) if latest else (None, None)
    if (year, per_capita) != (household.income_year, household.net_income_per_capita):
        household.income_year, household.net_income_per_capita = year, per_capita
        _save(household, by, reason, update_fields=["income_year", "net_income_per_capita", "updated_at"])


def income_errors(
    year: int | None,
    items: Mapping[str, Any],
    today: dt.date | None = None,
    from_measures: Mapping | None = None,
    region_code: str = "",
) -> dict[str, str]:
    """What is wrong with these items for `year`; `from_measures` is the record's part paid by
    delivered assistance measures, which an item (a total) cannot fall below. An item above the
    policy's largest amount (income_item_max) is a typing error."""
    today = today or timezone.localdate()
    largest = resolve(Name.INCOME_ITEM_MAX, year or today.year, region_code).value
    errors = {}
    if year is None or not rules.EARLIEST_YEAR <= year <= today.year:
        errors["year"] = _("Enter a year from %(first)s to %(last)s.") % {
            "first": rules.EARLIEST_YEAR,
            "last": today.year,
        }
    for item in (*income.ITEMS, *income.RECORDED_ONLY):
        amount = items.get(item)
        if amount is not None and amount < 0:
            errors[item] = _("An amount cannot be negative; costs go in their own item.")
        elif amount is not None and amount > largest:
            errors[item] = _("More than %(max)s yuan for one household: check the amount.") % {"max": f"{largest:,.0f}"}
    return below_measures(items, from_measures) | errors


def below_measures(items: Mapping[str, Any], from_measures: Mapping | None) -> dict[str, str]:
    """The items (totals) that fall below what delivered assistance measures paid into them."""
    return {
        item: _("At least %(amount)s yuan: delivered assistance measures paid that much into this item in the year.")
        % {"amount": f"{part:,}"}
        for item, part in income.measure_parts(from_measures).items()
        if (items.get(item) or 0) < part
    }


@transaction.atomic
def save_income(
    *,
    by,
    household: Household,
    year: int,
    items: Mapping[str, Any],
    reason: str = "",
    unusual_reason: str | None = None,
) -> IncomeRecord:
    """Record (or correct) one year's income items; the totals are computed here, never typed.

    A per-capita income above the policy's multiple of the year's line is saved only with
    `unusual_reason`, kept with the record (a caller that collects none passes None)."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    access.require(by, Perm.CHANGE_HOUSEHOLD, household.region_id)
    record = IncomeRecord.objects.filter(household=household, year=year).first()
    from_measures = record.from_measures if record else None
    if errors := income_errors(year, items, from_measures=from_measures, region_code=household.region_id):
        raise ValidationError(errors)
    created = record is None
    record = record or IncomeRecord(household=household, year=year)
    fields = (*income.ITEMS, *income.RECORDED_ONLY)
    before = {} if created else snapshot(record, fields)
    for item in fields:
        setattr(record, item, items.get(item) or 0)
    _compute_into(record, household.size)
    _check_unusual(record, household, unusual_reason)
    changes = diff(before, snapshot(record, (*fields, "net_income", "net_income_per_capita", "unusual_reason")))
    if changes:
        _save_income(by, household, record, created, changes, reason)
    return record


def _check_unusual(record: IncomeRecord, household: Household, unusual_reason: str | None) -> None:
    """Far above the year's line (the policy's multiple, compared exactly): saved only with a reason."""
    try:
        line = income_line(record.year, household.region_id, household.identification_standard, latest=True)
    except PolicyMissing:
        return
    multiple = resolve(Name.PER_CAPITA_CONFIRM_MULTIPLE, record.year, household.region_id).value
    if income.per_capita_compared(record, line.value * multiple) != 1:
        record.unusual_reason = ""
        return
    if unusual_reason is not None and not unusual_reason.strip():
        raise ValidationError(
            {
                "unusual_reason": _(
                    "Per-capita net income %(income)s yuan is more than %(times)s times the line "
                    "(%(line)s): check the amounts, and if they are right say why."
                )
                % {
                    "income": f"{record.net_income_per_capita:,.2f}",
                    "times": f"{multiple.normalize():f}",
                    "line": line.describe(),
                }
            }
        )
    record.unusual_reason = (unusual_reason or "").strip()[:200]


def _save_income(by, household: Household, record: IncomeRecord, created: bool, changes, reason: str) -> None:
    _save(record, by, reason)
    record_event(
        actor=by,
        event_type=EventType.CREATE if created else EventType.UPDATE,
        target=record,
        target_repr=f"{household.household_no} {record.year}",
        region_code=household.region_id,
        changes=changes,
    )
    _refresh_latest_income(household, by, reason)


@transaction.atomic
def set_income_from_measures(
    *, by, household: Household, year: int, amounts: Mapping[str, Decimal], reason: str = ""
) -> IncomeRecord | None:
    """Record that delivered assistance measures paid `amounts` (item → yuan) into `year`'s income.

    The items are totals. Each moves by the change in its measures' part, and the part is replaced,
    not added to: a measure counts once however often it is saved, corrected or undone, and the rest
    of the item (typed or imported) stays. assistance.plans calls this after its own permission check.
    """
    household = Household.objects.select_for_update().get(pk=household.pk)
    new = {item: Decimal(a).quantize(income.FEN) for item, a in amounts.items() if item in income.EARNED_ITEMS and a}
    record = IncomeRecord.objects.filter(household=household, year=year).first()
    if record is None and not new:
        return None
    created = record is None
    record = record or IncomeRecord(household=household, year=year)
    old = income.measure_parts(record.from_measures)
    if old == new:
        return record
    shown = (*income.ITEMS, "net_income", "net_income_per_capita", "from_measures")
    before = {} if created else snapshot(record, shown)
    for item in old.keys() | new.keys():
        setattr(record, item, getattr(record, item) + new.get(item, 0) - old.get(item, 0))
    record.from_measures = {item: str(amount) for item, amount in sorted(new.items())}
    _compute_into(record, household.size)
    _save_income(by, household, record, created, diff(before, snapshot(record, shown)), reason)
    return record

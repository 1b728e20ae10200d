"""Every change to units, cadres and pairings: checked, scoped to the actor's region and audited.

A household has one current cadre. Pairing it with another cadre closes the current pairing on the
day the new one starts (the history keeps both). A cadre helps households under the region their
unit serves. Carrying more households than the policy's `cadre_max_households` is a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.accounts.models import User
from fupin.accounts.roles import Role
from fupin.audit.actions import record_event, save_changes, snapshot
from fupin.audit.models import EventType
from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind
from fupin.permissions import Perm
from fupin.policy.items import Name
from fupin.policy.values import resolve
from fupin.regions.models import Region
from fupin.registry.models import Household

from .models import AssistingUnit, Cadre, Pairing, UnitLevel

UNIT_FIELDS = ("name", "level", "region_id", "phone", "is_active")
CADRE_FIELDS = ("unit_id", "name", "post", "phone", "political_status", "user_id", "is_active")
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")  # a mobile, or a landline with its area code


def phone_error(phone: str, required: bool) -> str | None:
    if not phone:
        return _("Enter a phone number.") if required else None
    if not PHONE.match(phone):
        return _("Enter an 11-digit mobile number or a landline with its area code, such as 0396-1234567.")
    return None


def unit_errors(values: Mapping[str, Any], unit: AssistingUnit | None, by) -> dict[str, str]:
    errors = {}
    if not (values.get("name") or "").strip():
        errors["name"] = _("Enter the unit's name.")
    if values.get("level") not in UnitLevel.values:
        errors["level"] = _("Choose the unit's level.")
    code = values.get("region_id") or ""
    if not Region.objects.filter(code=code).exists() or not access.covers(by, code):
        errors["region_id"] = _("Choose a region inside your jurisdiction.")
    elif (
        AssistingUnit.objects.filter(region_id=code, name=(values.get("name") or "").strip())
        .exclude(pk=unit.pk if unit else None)
        .exists()
    ):
        errors["name"] = _("A unit of this name already serves this region.")
    if message := phone_error(values.get("phone") or "", required=False):
        errors["phone"] = message
    return errors


@transaction.atomic
def save_unit(*, by, unit: AssistingUnit | None, values: Mapping[str, Any]) -> AssistingUnit:
    if unit is not None:
        access.require(by, Perm.MANAGE_ASSISTANCE, unit.region_id)
    merged = {**(snapshot(unit, UNIT_FIELDS) if unit else {"is_active": True, "phone": ""}), **values}
    access.require(by, Perm.MANAGE_ASSISTANCE, merged.get("region_id") or "")
    if errors := unit_errors(merged, unit, by):
        raise ValidationError(errors)
    before = snapshot(unit, UNIT_FIELDS) if unit else {}
    unit = unit or AssistingUnit()
    _assign(unit, UNIT_FIELDS, merged)
    save_changes(by=by, instance=unit, before=before, fields=UNIT_FIELDS, region_code=unit.region_id)
    return unit


def _assign(instance, fields: tuple[str, ...], values: Mapping[str, Any]) -> None:
    for name in fields:
        setattr(instance, name, values[name].strip() if isinstance(values[name], str) else values[name])


def cadre_errors(values: Mapping[str, Any], cadre: Cadre | None, by) -> dict[str, str]:
    errors = {}
    if not (values.get("name") or "").strip():
        errors["name"] = _("Enter the cadre's name.")
    unit = AssistingUnit.objects.filter(pk=values.get("unit_id")).first()
    if unit is None or not access.covers(by, unit.region_id):
        errors["unit_id"] = _("Choose a unit inside your jurisdiction.")
    if message := phone_error(values.get("phone") or "", required=True):
        errors["phone"] = message
    account = values.get("user_id")
    if account and not User.objects.filter(pk=account, role=Role.ASSISTING_CADRE, is_active=True).exists():
        errors["user_id"] = _("Choose an active account with the role of assisting cadre.")
    elif account and Cadre.objects.filter(user_id=account).exclude(pk=cadre.pk if cadre else None).exists():
        errors["user_id"] = _("This account already belongs to another cadre.")
    if status := values.get("political_status"):
        try:
            code_list(Kind.POLITICAL_STATUS).validate(status)
        except ValidationError as e:
            errors["political_status"] = e.messages[0]
    return errors


@transaction.atomic
def save_cadre(*, by, cadre: Cadre | None, values: Mapping[str, Any]) -> Cadre:
    if cadre is not None:
        access.require(by, Perm.MANAGE_ASSISTANCE, cadre.unit.region_id)
    new = {"is_active": True, "post": "", "political_status": "", "user_id": None}
    merged = {**(snapshot(cadre, CADRE_FIELDS) if cadre else new)}
    merged.update(values)
    if errors := cadre_errors(merged, cadre, by):
        raise ValidationError(errors)
    access.require(by, Perm.MANAGE_ASSISTANCE, AssistingUnit.objects.get(pk=merged["unit_id"]).region_id)
    before = snapshot(cadre, CADRE_FIELDS) if cadre else {}
    cadre = cadre or Cadre()
    _assign(cadre, CADRE_FIELDS, merged)
    try:
        with transaction.atomic():
            save_changes(by=by, instance=cadre, before=before, fields=CADRE_FIELDS, region_code=cadre.unit.region_id)
    except IntegrityError as e:
        raise ValidationError({"name": _("This cadre is already in the unit.")}) from e
    return cadre


def current_load(cadre: Cadre) -> int:
    return cadre.pairings.filter(end_on__isnull=True).count()


def load_warning(cadre: Cadre, region_code: str) -> str | None:
    """A warning when the cadre carries more households than the policy allows, else None."""
    limit = resolve(Name.CADRE_MAX_HOUSEHOLDS, timezone.localdate().year, region_code)
    load = current_load(cadre)
    if load > limit.value:
        return _("%(name)s now carries %(load)s households, more than the %(limit)s the policy allows.") % {
            "name": cadre.name,
            "load": load,
            "limit": int(limit.value),
        }
    return None


@transaction.atomic
def pair_many(*, by, households, cadre: Cadre, start_on: dt.date) -> list[str]:
    """Make `cadre` the cadre of every household given, or of none: the first that cannot be paired
    stops them all, named in the message. Returns the warnings (a cadre's load over the policy's)."""
    warnings: list[str] = []
    for household in households:
        try:
            _pairing, more = pair(by=by, household=household, cadre=cadre, start_on=start_on)
        except ValidationError as e:
            raise ValidationError(
                [f"{household.head_name}（{household.household_no}）：{m}" for m in e.messages]
            ) from None
        warnings = more or warnings  # the load warning grows with each household: keep the last
    return warnings


@transaction.atomic
def pair(*, by, household: Household, cadre: Cadre, start_on: dt.date, reason: str = "") -> tuple[Pairing, list[str]]:
    """Make `cadre` the household's cadre from `start_on`; returns the pairing and any warnings."""
    household = Household.objects.select_for_update().get(pk=household.pk)  # one change at a time
    access.require(by, Perm.MANAGE_ASSISTANCE, household.region_id)
    cadre = Cadre.objects.select_related("unit__region", "user").get(pk=cadre.pk)
    if not (cadre.is_active and cadre.unit.is_active):
        raise ValidationError({"cadre": _("This cadre or their unit is no longer active.")})
    if cadre.user is not None and not access.covers(cadre.user, household.region_id):
        # the cadre's account could not open the household: pairing them would show them nothing, or
        # (before cadres were kept to their pairings) show them another township's household
        raise ValidationError(
            {"cadre": _("This cadre's account belongs to another region; pair them with households there.")}
        )
    if not household.region_id.startswith(cadre.unit.region_id):
        raise ValidationError(
            {
                "cadre": _("%(unit)s serves %(region)s; this household is outside it.")
                % {"unit": cadre.unit.name, "region": cadre.unit.region.name}
            }
        )
    if start_on > timezone.localdate():
        raise ValidationError({"start_on": _("The date is in the future.")})
    current = household.pairings.filter(end_on__isnull=True).select_related("cadre").first()
    if current is not None:
        if current.cadre_id == cadre.pk:
            raise ValidationError({"cadre": _("%(name)s is already this household's cadre.") % {"name": cadre.name}})
        if start_on < current.start_on:
            raise ValidationError(
                {
                    "start_on": _("The new pairing cannot start before the current one began (%(day)s).")
                    % {"day": current.start_on}
                }
            )
        _close(by, current, start_on, reason.strip() or _("cadre changed"))
    pairing = Pairing.objects.create(household=household, cadre=cadre, start_on=start_on, created_by=by)
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=pairing,
        target_repr=f"{household.household_no} ← {cadre.name}",
        region_code=household.region_id,
        changes={"cadre": cadre.name, "start_on": start_on.isoformat()},
    )
    warning = load_warning(cadre, household.region_id)
    return pairing, [warning] if warning else []


def _close(by, pairing: Pairing, end_on: dt.date, reason: str) -> None:
    Pairing.objects.filter(pk=pairing.pk).update(end_on=end_on, end_reason=reason[:200])
    record_event(
        actor=by,
        event_type=EventType.UPDATE,
        target=pairing,
        region_code=pairing.household.region_id,
        changes={"end_on": [None, end_on.isoformat()], "end_reason": reason},
    )


@transaction.atomic
def end_pairing(*, by, pairing: Pairing, end_on: dt.date, reason: str) -> None:
    """End a pairing without a successor (the cadre left, the household was removed, …)."""
    pairing = Pairing.objects.select_for_update().select_related("household").get(pk=pairing.pk)
    access.require(by, Perm.MANAGE_ASSISTANCE, pairing.household.region_id)
    if not pairing.is_current:
        raise ValidationError(_("This pairing has already ended."))
    if end_on < pairing.start_on:
        raise ValidationError({"end_on": _("The end is before the start (%(day)s).") % {"day": pairing.start_on}})
    if end_on > timezone.localdate():
        raise ValidationError({"end_on": _("The date is in the future.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the pairing ends.")})
    _close(by, pairing, end_on, reason.strip())

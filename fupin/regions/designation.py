"""Poor-county and poor-village designation (贫困县 / 贫困村): the rules and the one action that sets it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import diff, record_event
from fupin.audit.models import EventType
from fupin.permissions import Perm

from .models import Level, Region

FIRST_DESIGNATION_YEAR = 1986  # the first national list of key poor counties
FIELDS = ("is_poor_county", "is_poor_village", "designated_year", "exit_year")


def designation_errors(
    region: Region, *, designated: bool, designated_year: int | None, exit_year: int | None
) -> dict[str, str]:
    """{field: message} for each rule the proposed designation breaks."""
    this_year = timezone.localdate().year
    errors: dict[str, str] = {}
    if designated and not region.can_be_designated_poor:
        errors["designated"] = _("Only a county or a village can be designated poor.")
    if designated and not designated_year:
        errors["designated_year"] = _("Enter the year it was designated poor.")
    if designated_year and not FIRST_DESIGNATION_YEAR <= designated_year <= this_year:
        errors["designated_year"] = _("The year must be between %(first)s and %(last)s.") % {
            "first": FIRST_DESIGNATION_YEAR,
            "last": this_year,
        }
    if exit_year and not designated:
        errors["exit_year"] = _("Only a region designated poor can have an exit year.")
    elif exit_year and not FIRST_DESIGNATION_YEAR <= exit_year <= this_year:
        errors["exit_year"] = _("The year must be between %(first)s and %(last)s.") % {
            "first": FIRST_DESIGNATION_YEAR,
            "last": this_year,
        }
    elif exit_year and designated_year and exit_year < designated_year:
        errors["exit_year"] = _("The exit year cannot be before the year of designation.")
    return errors


def _values(region: Region, designated: bool, designated_year: int | None, exit_year: int | None) -> dict:
    return {
        "is_poor_county": designated and region.level == Level.COUNTY,
        "is_poor_village": designated and region.level == Level.VILLAGE,
        "designated_year": designated_year if designated else None,
        "exit_year": exit_year if designated else None,
    }


@transaction.atomic
def set_designation(
    *, by, region: Region, designated: bool, designated_year: int | None, exit_year: int | None
) -> dict:
    """Designate (or un-designate) a county or village; returns the changes made (empty if none)."""
    access.require(by, Perm.CHANGE_DESIGNATION, region.code)
    if errors := designation_errors(
        region, designated=designated, designated_year=designated_year, exit_year=exit_year
    ):
        raise ValidationError(errors)
    before = {f: getattr(region, f) for f in FIELDS}
    changes = diff(before, _values(region, designated, designated_year, exit_year))
    if changes:
        for field, (_old, new) in changes.items():
            setattr(region, field, new)
        region.save(update_fields=list(changes))
        record_event(actor=by, event_type=EventType.UPDATE, target=region, region_code=region.code, changes=changes)
    return changes

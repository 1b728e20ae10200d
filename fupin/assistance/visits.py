"""Visits (走访): a cadre logs a visit to a household they were paired with on that day, with what was
done ("五个一") and photos; a household is overdue when its cadre's last visit — or the pairing's
start, if there has been none — is more than the policy's `visit_overdue_days` ago."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.lib import uploads
from fupin.permissions import Perm
from fupin.policy.items import Name
from fupin.policy.values import resolve
from fupin.registry.models import Household

from .models import Cadre, Pairing, Visit, VisitItem, VisitPhoto


def may_log(user, household: Household, cadre: Cadre) -> bool:
    """The cadre themself, or an operator whose region covers the household."""
    own = cadre.user_id is not None and cadre.user_id == user.pk and user.has_perm(Perm.LOG_VISIT)
    return own or access.allowed(user, Perm.MANAGE_ASSISTANCE, household.region_id)


def pairing_on(household: Household, cadre: Cadre, day: dt.date) -> Pairing | None:
    covering = Q(end_on__isnull=True) | Q(end_on__gte=day)
    return Pairing.objects.filter(covering, household=household, cadre=cadre, start_on__lte=day).first()


@transaction.atomic
def log_visit(
    *, by, household: Household, cadre: Cadre, visited_on: dt.date, items: list[str], note: str, photos=()
) -> Visit:
    if not may_log(by, household, cadre):
        raise PermissionDenied
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("The date is in the future.")})
    if pairing_on(household, cadre, visited_on) is None:
        first = Pairing.objects.filter(household=household, cadre=cadre).order_by("start_on").first()
        message = (
            _("%(name)s was paired with this household from %(day)s; the visit is dated before.")
            % {"name": cadre.name, "day": first.start_on}
            if first and visited_on < first.start_on
            else _("%(name)s was not this household's cadre on that day.") % {"name": cadre.name}
        )
        raise ValidationError({"visited_on": message})
    if set(items) - set(VisitItem.values):
        raise ValidationError({"items": _("Choose from the listed items.")})
    if not items and not note.strip():
        raise ValidationError(_("Tick what was done or write a note."))
    uploads.check_photos(photos)
    visit = Visit.objects.create(
        household=household, cadre=cadre, visited_on=visited_on, items=items, note=note.strip(), recorded_by=by
    )
    VisitPhoto.attach(photos, visit=visit)
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=visit,
        target_repr=f"{household.household_no} {cadre.name} {visited_on}",
        region_code=household.region_id,
        changes={"visited_on": visited_on.isoformat(), "items": items, "photos": len(photos)},
    )
    return visit


@dataclass
class VisitStatus:
    pairing: Pairing
    last_visit: dt.date | None
    days: int  # since the last visit, or since the pairing began
    overdue: bool


def statuses(pairings: QuerySet[Pairing], today: dt.date | None = None) -> list[VisitStatus]:
    """For current pairings: the last visit and whether it is overdue, in two queries plus one per county."""
    today = today or timezone.localdate()
    pairings = list(pairings.select_related("household__region", "cadre__unit"))
    last = {
        (row["household_id"], row["cadre_id"]): row["last"]
        for row in Visit.objects.filter(household__in=[p.household_id for p in pairings])
        .values("household_id", "cadre_id")
        .annotate(last=Max("visited_on"))
    }
    limits: dict[str, int] = {}
    result = []
    for pairing in pairings:
        county = pairing.household.region_id[:6]
        if county not in limits:
            limits[county] = int(resolve(Name.VISIT_OVERDUE_DAYS, today.year, county).value)
        last_visit = last.get((pairing.household_id, pairing.cadre_id))
        days = (today - (last_visit or pairing.start_on)).days
        result.append(VisitStatus(pairing, last_visit, days, days > limits[county]))
    return sorted(result, key=lambda s: -s.days)

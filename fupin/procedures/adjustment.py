"""The annual adjustment (动态调整): a county opens the year's round, its villages run identification,
relapse, exit and removal batches through the engine, and closing the round keeps, per village,
the households that came in and went out by kind, beside what the register itself says changed
that year. The two agree unless the register was changed outside the procedures (an import of the
national system's data, for instance); the summary shows where they differ.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.permissions import Perm
from fupin.regions.models import Level, Region
from fupin.registry.models import Household

from .kinds import adjusting_kinds
from .models import AnnualAdjustment, BatchState, Case, CaseState


@transaction.atomic
def open_round(*, by, region: Region, year: int) -> AnnualAdjustment:
    access.require(by, Perm.MANAGE_ADJUSTMENT, region.code)
    if region.level != Level.COUNTY:
        raise ValidationError({"region": _("A round of adjustment is opened by a county.")})
    today = timezone.localdate()
    if not 2014 <= year <= today.year + 1:
        raise ValidationError({"year": _("Enter a year from 2014 to next year.")})
    if AnnualAdjustment.objects.filter(region=region, year=year).exists():
        raise ValidationError({"year": _("The round of %(year)s has already been opened.") % {"year": year}})
    adjustment = AnnualAdjustment.objects.create(region=region, year=year, opened_on=today, opened_by=by)
    record_event(actor=by, event_type=EventType.CREATE, target=adjustment, region_code=region.code)
    return adjustment


def summary(adjustment: AnnualAdjustment) -> dict:
    """{village code: {kind: [by procedure, in the register]}} and the totals, as JSON."""
    cases = Case.objects.filter(batch__adjustment=adjustment, state=CaseState.APPROVED)
    by_procedure = Counter(
        (row["region_code"], row["batch__procedure__kind"])
        for row in cases.values("region_code", "batch__procedure__kind")
    )
    in_register: Counter = Counter()
    households = Household.objects.filter(access.under("region_id", adjustment.region_id))
    kinds = adjusting_kinds()
    for kind in kinds:
        rows = households.filter(**kind.register_change(adjustment.year)).values("region_id").annotate(n=Count("id"))
        for row in rows:
            in_register[(row["region_id"], kind.name)] = row["n"]
    villages: dict = defaultdict(dict)
    for village, kind in set(by_procedure) | set(in_register):
        villages[village][kind] = [by_procedure[(village, kind)], in_register[(village, kind)]]
    totals = {
        kind.name: [
            sum(n for (_v, k), n in by_procedure.items() if k == kind.name),
            sum(n for (_v, k), n in in_register.items() if k == kind.name),
        ]
        for kind in kinds
    }
    return {"villages": dict(sorted(villages.items())), "totals": totals}


@transaction.atomic
def close_round(*, by, adjustment: AnnualAdjustment) -> AnnualAdjustment:
    access.require(by, Perm.MANAGE_ADJUSTMENT, adjustment.region_id)
    adjustment = AnnualAdjustment.objects.select_for_update().get(pk=adjustment.pk)
    if not adjustment.is_open:
        raise ValidationError(_("This round is already closed."))
    if still_open := list(adjustment.batches.filter(state=BatchState.OPEN).values_list("pk", flat=True)):
        raise ValidationError(
            _("Batches still in progress: %(batches)s. Close or finish them first.")
            % {"batches": "、".join(f"#{pk}" for pk in still_open)}
        )
    adjustment.summary = summary(adjustment)
    adjustment.closed_on = timezone.localdate()
    adjustment.closed_by = by
    adjustment.save(update_fields=["summary", "closed_on", "closed_by"])
    record_event(
        actor=by,
        event_type=EventType.UPDATE,
        target=adjustment,
        region_code=adjustment.region_id,
        changes={"closed": adjustment.summary["totals"]},
    )
    return adjustment

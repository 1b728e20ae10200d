"""The yearly classification of former 建档立卡 households (2026: 综合评估, then 有序退出 or continued help).

A county opens the year's round; a background job assesses every household of the register that was
identified (not exited, exited, relapsed; not those removed) against criteria shown with values and
thresholds — the income of the latest recorded year up to the round's year above that year's line
(strictly, exactly), 三保障 and safe water secured, and no open monitoring — and suggests an orderly exit
when all hold, continued help otherwise. Township and village staff decide each household with a
reason; the county closes the round when every household is decided. The summary by region counts
what the register holds: every assessed household is in exactly one row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from fupin import access
from fupin.audit.actions import record_event, save_changes, snapshot
from fupin.audit.models import EventType
from fupin.jobs import progress, runner
from fupin.jobs.models import Job
from fupin.permissions import Perm
from fupin.policy.values import Applied, PolicyMissing, income_line
from fupin.regions.models import Level, Region
from fupin.registry import income
from fupin.registry.models import Household, IncomeRecord, PovertyStatus

from . import guarantees
from .models import CaseStatus, Classification, ClassificationRound, MonitoringCase, Outcome

KIND = "monitoring_classification"
CHUNK = 2000
ASSESSED = (PovertyStatus.NOT_EXITED, PovertyStatus.EXITED, PovertyStatus.RELAPSED)


@transaction.atomic
def open_round(*, by, region: Region, year: int) -> ClassificationRound:
    access.require(by, Perm.MANAGE_ADJUSTMENT, region.code)
    if region.level != Level.COUNTY:
        raise ValidationError({"region": _("A yearly classification is opened by a county.")})
    today = timezone.localdate()
    if not 2021 <= year <= today.year:
        raise ValidationError({"year": _("Enter a year from 2021 to %(year)s.") % {"year": today.year}})
    if ClassificationRound.objects.filter(region_id=region.code, year=year).exists():
        raise ValidationError({"year": _("The classification of %(year)s has already been opened.") % {"year": year}})
    opened = ClassificationRound.objects.create(region_id=region.code, year=year, opened_on=today, opened_by=by)
    record_event(actor=by, event_type=EventType.CREATE, target=opened, region_code=region.code)
    runner.start(
        kind=KIND,
        by=by,
        title=_("Classification of %(year)s: assessing the households") % {"year": year},
        arguments={"round": opened.pk},
        url=opened.get_absolute_url(),
    )
    return opened


def _criterion(key: str, name: str, value: str, threshold: str, passed: bool) -> dict:
    return {"key": key, "name": name, "value": value, "threshold": threshold, "passed": passed}


def _income(line: Applied | None, year: int | None, net, size: int) -> dict:
    name = _("per-capita net income")
    if year is None or net is None:
        return _criterion("income", name, _("not recorded"), "—", False)
    if line is None:
        return _criterion("income", name, f"{year}", _("no line is set for %(year)s") % {"year": year}, False)
    per_person = income.per_person(Decimal(net), size) if size else None
    value = _("%(year)s: %(amount)s yuan") % {"year": year, "amount": f"{per_person:,.2f}" if per_person else "—"}
    above = income.compared(Decimal(net), size, line.value) == 1
    return _criterion("income", name, value, _("above %(line)s") % {"line": line.describe()}, above)


def _monitoring(status: str | None, eliminated_on: dt.date | None) -> dict:
    name = _("monitoring history")
    if status == CaseStatus.MONITORING:
        return _criterion("monitoring", name, _("being monitored"), _("not monitored"), False)
    value = _("risk eliminated on %(day)s") % {"day": eliminated_on} if eliminated_on else _("never monitored")
    return _criterion("monitoring", name, value, _("not monitored"), True)


def _rows(county: str, year: int, today: dt.date):
    latest = IncomeRecord.objects.filter(household=OuterRef("pk"), year__lte=year).order_by("-year")
    case = MonitoringCase.objects.filter(household=OuterRef("pk")).order_by("-identified_on", "-pk")
    failures = guarantees.failures(today)
    households = (
        Household.objects.filter(access.under("region", county), poverty_status__in=ASSESSED)
        .annotate(
            income_year_=Subquery(latest.values("year")[:1]),
            net=Subquery(latest.values("net_income")[:1]),
            size_=Subquery(latest.values("household_size")[:1]),
            case_status=Subquery(case.values("status")[:1]),
            eliminated=Subquery(case.values("eliminated_on")[:1]),
            **{key: condition for key, (condition, _name) in failures.items()},
        )
        .order_by("pk")
    )
    fields = ["pk", "region_id", "income_year_", "net", "size_", "case_status", "eliminated", *failures]
    return households.values_list(*fields).iterator(chunk_size=CHUNK), failures


def assess(assessment: ClassificationRound, today: dt.date | None = None) -> int:
    """Assess every household of the round's county not yet assessed in it; returns how many were added.
    Run again after a stop, it adds only the missing ones."""
    today = today or timezone.localdate()
    done = set(Classification.objects.filter(round=assessment).values_list("household_id", flat=True))
    rows, failures = _rows(assessment.region_id, assessment.year, today)
    lines: dict[int, Applied | None] = {}
    batch, added = [], 0
    for pk, village, year, net, size, status, eliminated, *failed in rows:
        if pk in done:
            continue
        if year is not None and year not in lines:
            try:
                lines[year] = income_line(year, assessment.region_id)
            except PolicyMissing:
                lines[year] = None
        criteria = [_income(lines.get(year), year, net, size or 0)]
        criteria += [
            _criterion(key, str(name), _("fails") if hit else _("secured"), _("secured"), not hit)
            for (key, (_q, name)), hit in zip(failures.items(), failed, strict=True)
        ]
        criteria.append(_monitoring(status, eliminated))
        suggested = Outcome.EXIT if all(c["passed"] for c in criteria) else Outcome.KEEP_HELPING
        batch.append(
            Classification(round=assessment, household_id=pk, region_id=village, criteria=criteria, suggested=suggested)
        )
        if len(batch) >= CHUNK:
            added += _write(assessment, batch)
            progress.advance(added, max(added, 1))
    added += _write(assessment, batch)
    ClassificationRound.objects.filter(pk=assessment.pk).update(
        assessed=Classification.objects.filter(round=assessment).count()
    )
    return added


def _write(assessment: ClassificationRound, batch: list[Classification]) -> int:
    if not batch:
        return 0
    with transaction.atomic():
        bulk_create_with_history(batch, Classification, default_user=assessment.opened_by)
        record_event(  # one row for the chunk: the households assessed, with what was suggested
            actor=assessment.opened_by,
            event_type=EventType.CREATE,
            target=assessment,
            region_code=assessment.region_id,
            changes={"assessed": {str(c.household_id): c.suggested for c in batch}},
        )
    written = len(batch)
    batch.clear()
    return written


@transaction.atomic
def decide(*, by, classification: Classification, outcome: str, reason: str) -> Classification:
    classification = Classification.objects.select_for_update().select_related("round").get(pk=classification.pk)
    access.require(by, Perm.CHANGE_HOUSEHOLD, classification.region_id)
    if not classification.round.is_open:
        raise ValidationError(_("The classification of this year is closed."))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the outcome.")})
    fields = ("outcome", "reason", "decided_on")
    before = snapshot(classification, fields)
    classification.outcome, classification.reason = outcome, reason.strip()[:300]
    classification.decided_by, classification.decided_on = by, timezone.localdate()
    save_changes(
        by=by,
        instance=classification,
        before=before,
        fields=fields,
        region_code=classification.region_id,
        target_repr=f"{classification.round.year} {classification.household_id}",
    )
    return classification


@transaction.atomic
def close_round(*, by, assessment: ClassificationRound) -> ClassificationRound:
    assessment = ClassificationRound.objects.select_for_update().get(pk=assessment.pk)
    access.require(by, Perm.MANAGE_ADJUSTMENT, assessment.region_id)
    if not assessment.is_open:
        raise ValidationError(_("The classification of this year is closed."))
    if undecided := assessment.classifications.filter(outcome="").count():
        raise ValidationError(_("%(n)s households are not decided yet.") % {"n": undecided})
    if not assessment.assessed:
        raise ValidationError(_("The households have not been assessed yet."))
    assessment.closed_on, assessment.closed_by = timezone.localdate(), by
    assessment.save(update_fields=["closed_on", "closed_by"])
    record_event(actor=by, event_type=EventType.UPDATE, target=assessment, region_code=assessment.region_id)
    return assessment


def figures() -> dict:
    """What the summary by region counts over a round's classifications."""
    return {
        "assessed": Count("pk"),
        "suggested_exit": Count("pk", filter=Q(suggested=Outcome.EXIT)),
        "exit": Count("pk", filter=Q(outcome=Outcome.EXIT)),
        "keep_helping": Count("pk", filter=Q(outcome=Outcome.KEEP_HELPING)),
        "undecided": Count("pk", filter=Q(outcome="")),
    }


def _run(job: Job):
    assessment = ClassificationRound.objects.get(pk=job.arguments["round"])
    progress.step(_("Assessing the households"), until=100)
    assess(assessment)


def register_job() -> None:
    runner.register(runner.JobKind(KIND, gettext_lazy("yearly classification: assessing the households"), _run))

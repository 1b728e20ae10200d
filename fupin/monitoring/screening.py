"""System screening (平台监测分析): a background job, on demand and monthly, that reads the register of
a region county by county and raises a clue for each household a rule finds, saying why with the
values. The rules read the database in chunks (no list of every household in memory); households
already monitored or with an open clue are passed over, so running it again adds nothing and a job
stopped half-way is simply run again.

Rules (thresholds are policy, per county and year; comparisons exact, strict):
- income: the latest per-capita net income is below the line × the screening margin;
- fall: the per-capita net income fell by more than a share from the year before;
- spending: the year's rigid spending is above a share of the year's net income;
- needs: 三保障 or water fails on the record (unsafe housing, no safe water or a water difficulty,
  a member without basic medical insurance, a child of school age out of school).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.access import under
from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.jobs import progress, runner
from fupin.jobs.models import Job
from fupin.lib import bulk
from fupin.lib.figures import percent_text
from fupin.permissions import Perm
from fupin.policy import calendar
from fupin.policy.values import PolicyMissing, monitoring_line, resolve
from fupin.regions.models import Level, Region
from fupin.registry.models import Household, IncomeRecord, PovertyStatus

from . import guarantees, policy_items
from .clues import deadlines, new_receipt
from .models import OPEN_CLUE_STATES, CaseStatus, Channel, Clue, ClueState, MonitoringCase, RigidExpenditure

KIND = "monitoring_screening"
CHUNK = 2000
RULES = {
    "income": gettext_lazy("income below the screening line"),
    "fall": gettext_lazy("income fell sharply"),
    "spending": gettext_lazy("rigid spending high against income"),
    "needs": gettext_lazy("三保障 or safe water not secured"),
}


def may_run(user) -> bool:
    return user.has_perm(Perm.CHANGE_HOUSEHOLD) and user.region is not None and user.region.level <= Level.COUNTY


def start(*, by) -> Job:
    return runner.start(kind=KIND, by=by, title=_("System screening of %(region)s") % {"region": by.region_label})


def _screened(households):
    """Households that may be monitored and are not yet: not removed, no open case, no open clue."""
    return (
        households.exclude(poverty_status=PovertyStatus.REMOVED)
        .exclude(Exists(MonitoringCase.objects.filter(household=OuterRef("pk"), status=CaseStatus.MONITORING)))
        .exclude(Exists(Clue.objects.filter(household=OuterRef("pk"), state__in=OPEN_CLUE_STATES)))
    )


def _households(county: str):
    return Household.objects.filter(under("region", county))


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def _income_hits(county: str, year: int) -> Iterator[tuple[int, str, dict]]:
    try:
        line = monitoring_line(year, county)
    except PolicyMissing:
        return
    margin = resolve(policy_items.SCREEN_INCOME_MARGIN, year, county).value
    threshold = line.value * margin / 100
    households = _screened(_households(county).filter(income_year=year))
    rows = households.filter(net_income_per_capita__lt=threshold).values_list("pk", "net_income_per_capita")
    for pk, income in rows.iterator(chunk_size=CHUNK):
        said = _("Per-capita net income of %(year)s %(income)s yuan, below %(margin)s of %(line)s.") % {
            "year": year,
            "income": _yuan(income),
            "margin": percent_text(margin),
            "line": line.describe(),
        }
        yield pk, said, {"income": str(income), "line": str(line.value), "margin": str(margin), "year": year}


def _fall_hits(county: str, year: int) -> Iterator[tuple[int, str, dict]]:
    drop = resolve(policy_items.SCREEN_INCOME_DROP, year, county).value
    before = IncomeRecord.objects.filter(household=OuterRef("household"), year=year - 1)
    records = (
        IncomeRecord.objects.filter(under("household__region", county), year=year)
        .filter(household__in=_screened(_households(county)))
        .annotate(previous=Subquery(before.values("net_income_per_capita")[:1]))
        .filter(previous__gt=0, net_income_per_capita__lt=F("previous") * (100 - drop) / 100)
        .values_list("household_id", "net_income_per_capita", "previous")
    )
    for pk, now, previous in records.iterator(chunk_size=CHUNK):
        said = _(
            "Per-capita net income fell from %(before)s yuan (%(last)s) to %(now)s yuan (%(year)s), "
            "by more than %(drop)s."
        ) % {
            "before": _yuan(previous),
            "last": year - 1,
            "now": _yuan(now),
            "year": year,
            "drop": percent_text(drop),
        }
        yield pk, said, {"before": str(previous), "now": str(now), "drop": str(drop), "year": year}


def _spending_hits(county: str, year: int) -> Iterator[tuple[int, str, dict]]:
    share = resolve(policy_items.SCREEN_SPENDING_SHARE, year, county).value
    income = IncomeRecord.objects.filter(household=OuterRef("household"), year=year)
    spent = (
        RigidExpenditure.objects.filter(under("region_id", county), year=year)
        .filter(household__in=_screened(_households(county)))
        .annotate(net=Subquery(income.values("net_income")[:1]), spent=F("medical") + F("schooling") + F("other"))
        .filter(spent__gt=F("net") * share / 100)
        .values_list("household_id", "spent", "net")
    )
    for pk, amount, net in spent.iterator(chunk_size=CHUNK):
        said = _("Rigid spending of %(year)s %(spent)s yuan, above %(share)s of the net income %(net)s yuan.") % {
            "year": year,
            "spent": _yuan(amount),
            "share": percent_text(share),
            "net": _yuan(net),
        }
        yield pk, said, {"spent": str(amount), "net": str(net), "share": str(share), "year": year}


def _needs_hits(county: str, today: dt.date) -> Iterator[tuple[int, str, dict]]:
    checks = guarantees.failures(today)
    households = _screened(_households(county))
    annotated = households.annotate(**{key: condition for key, (condition, _label) in checks.items()})
    any_failed = Q()
    for key in checks:
        any_failed |= Q(**{key: True})
    rows = annotated.filter(any_failed).values_list("pk", *checks)
    for pk, *failed in rows.iterator(chunk_size=CHUNK):
        names = [str(label) for (key, (_c, label)), hit in zip(checks.items(), failed, strict=True) if hit]
        yield (
            pk,
            _("Not secured: %(items)s.") % {"items": "、".join(names)},
            {"failed": [k for k, hit in zip(checks, failed, strict=True) if hit]},
        )


def _latest_year(county: str) -> int | None:
    return (
        IncomeRecord.objects.filter(under("household__region", county))
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def _receipts(count: int) -> list[str]:
    """`count` new receipt numbers, none already given (a collision is rare but not impossible)."""
    receipts = {new_receipt() for _ in range(count)}
    while True:
        taken = set(Clue.objects.filter(receipt__in=list(receipts)).values_list("receipt", flat=True))
        if len(receipts) == count and not taken:
            return list(receipts)
        receipts -= taken
        receipts |= {new_receipt() for _ in range(count - len(receipts))}


def _flush(found: dict[int, list], by, today: dt.date, days_off: dict) -> int:
    """Write one clue per household found, with every rule that fired, in one bulk write with their
    history rows and one audit event; skips a household that got an open clue meanwhile."""
    if not found:
        return 0
    households = Household.objects.filter(pk__in=list(found)).values_list("pk", "region_id", "head_name")
    busy = set(
        Clue.objects.filter(household__in=list(found), state__in=OPEN_CLUE_STATES).values_list("household", flat=True)
    )
    households = [h for h in households if h[0] not in busy]
    if not households:
        return 0
    dues: dict[str, dict] = {}
    now = timezone.now()
    make = bulk.row_maker(Clue, now)
    rows = []
    for (pk, village, head), receipt in zip(households, _receipts(len(households)), strict=True):
        hits = found[pk]
        if village[:6] not in dues:
            dues[village[:6]] = deadlines(Channel.SYSTEM, village, today, days_off)
        rows.append(
            make(
                {
                    "receipt": receipt,
                    "channel": Channel.SYSTEM,
                    "region_id": village,
                    "household_id": pk,
                    "name": head,
                    "said": "\n".join(said for _rule, said, _values in hits)[:1000],
                    "reported_at": now,
                    "rule": "、".join(rule for rule, _said, _values in hits),
                    "values": {rule: values for rule, _said, values in hits},
                    "state": ClueState.CHECKING,
                    **dues[village[:6]],
                }
            )
        )
    reason = _("System screening")
    with transaction.atomic():
        bulk.insert(Clue, rows, history=bulk.History(user_id=by.pk, reason=reason))
        record_event(
            actor=by,
            event_type=EventType.CREATE,
            target_repr=_("System screening: %(n)s clues") % {"n": len(rows)},
            region_code=rows[0]["region_id"][:6],
            changes={"clues": [row["receipt"] for row in rows]},
        )
    return len(rows)


def screen(*, by, region_code: str, today: dt.date | None = None) -> dict:
    """Run every rule over the counties of `region_code`; returns counts per rule and clues raised."""
    today = today or timezone.localdate()
    days_off = calendar.load()
    counties = list(
        Region.objects.filter(level=Level.COUNTY, code__startswith=region_code)
        .order_by("code")
        .values_list("code", flat=True)
    )
    counts = dict.fromkeys(RULES, 0) | {"clues": 0, "skipped": []}
    for index, county in enumerate(counties):
        progress.step(_("Screening %(county)s") % {"county": county}, until=100 * (index + 1) / max(len(counties), 1))
        year = _latest_year(county)
        found: dict[int, list] = {}
        sources = [("needs", _needs_hits(county, today))]
        if year is not None:
            try:
                monitoring_line(year, county)
            except PolicyMissing as e:
                counts["skipped"].append(f"{county}: {e.messages[0]}")
            sources += [
                ("income", _income_hits(county, year)),
                ("fall", _fall_hits(county, year)),
                ("spending", _spending_hits(county, year)),
            ]
        # A county's findings are gathered first, so that each clue carries every rule that fired
        # (the households found, never the county's every household), then written in chunks.
        for rule, hits in sources:
            for pk, said, values in hits:
                counts[rule] += 1
                found.setdefault(pk, []).append((rule, said, values))
        keys = list(found)
        for start in range(0, len(keys), CHUNK):
            chunk = {pk: found[pk] for pk in keys[start : start + CHUNK]}
            counts["clues"] += _flush(chunk, by, today, days_off)
    return counts


def _run(job: Job):
    owner = job.owner
    counts = screen(by=owner, region_code=access.region_prefix(owner) or "")
    job.arguments = {**job.arguments, "counts": counts}
    Job.objects.filter(pk=job.pk).update(arguments=job.arguments)
    return None


def register_job() -> None:
    runner.register(runner.JobKind(KIND, gettext_lazy("system screening of households at risk"), _run))

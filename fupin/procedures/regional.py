"""Village and county exit (贫困村出列、贫困县摘帽, domain.md §3, §5.3): poverty incidence from the
register, the thresholds of the year and place, and for counties the three rates of the assessment.

Poor people in a year are the members of households identified by the end of that year and not
exited in or before it (poor or relapsed now, or exited in a later year). Households removed as
wrongly registered are not counted. Household size is today's: the register's history could give
the size of each year, at the cost of reading every household's versions.

Incidence = poor people ÷ rural registered population × 100, compared "below": 2.00% fails a 2%
threshold. The comprehensive incidence of a county adds the missed and wrongly exited people
extrapolated from the sample rates: missed rate × the rural people not registered, and wrong-exit
rate × the exited people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.lib.forms import int_param
from fupin.permissions import Perm
from fupin.policy.items import Name
from fupin.policy.values import incidence_threshold, resolve
from fupin.regions.designation import set_designation
from fupin.regions.models import Level, Region
from fupin.registry.models import REGISTERED, Household, PovertyStatus

from .exits import Criterion
from .models import RegionExitAssessment, RegionPopulation

LEVELS = (Level.VILLAGE, Level.COUNTY)
HUNDRED = Decimal(100)


@dataclass
class Rates:
    """The county assessment's sample rates, in percent."""

    wrong_exit: Decimal
    missed: Decimal
    recognition: Decimal


@dataclass
class RegionAssessment:
    region: Region
    year: int
    poor_people: int
    population: int
    incidence: Decimal
    registered_people: int = 0
    exited_people: int = 0
    comprehensive: Decimal | None = None
    rates: Rates | None = None
    criteria: list[Criterion] = field(default_factory=list)
    policy: list[dict] = field(default_factory=list)
    missing_villages: int = 0

    @property
    def passed(self) -> bool:
        return bool(self.criteria) and all(c.passed for c in self.criteria)


def _percent(part: Decimal | int, whole: int) -> Decimal:
    return (Decimal(part) * HUNDRED / whole).quantize(Decimal("0.001"), ROUND_HALF_UP)


def people(region_code: str, year: int) -> tuple[int, int, int]:
    """(poor, registered, exited) people of the households under `region_code` at the end of `year`."""
    households = Household.objects.filter(access.under("region_id", region_code))
    identified = Q(first_identified_on__isnull=True) | Q(first_identified_on__year__lte=year)
    poor = Q(poverty_status__in=[PovertyStatus.NOT_EXITED, PovertyStatus.RELAPSED]) | Q(
        poverty_status=PovertyStatus.EXITED, exit_year__gt=year
    )
    exited = Q(poverty_status=PovertyStatus.EXITED, exit_year__lte=year)
    totals = households.filter(identified).aggregate(
        poor=Sum("size", filter=poor),
        registered=Sum("size", filter=Q(poverty_status__in=REGISTERED) & ~Q(poverty_status=PovertyStatus.REMOVED)),
        exited=Sum("size", filter=exited),
    )
    return totals["poor"] or 0, totals["registered"] or 0, totals["exited"] or 0


def population(region: Region, year: int) -> tuple[int, int]:
    """The region's rural population for the year: its own figure, else the sum of its villages'
    figures; and how many of its villages have none. Raises when there is nothing to divide by."""
    own = RegionPopulation.objects.filter(region=region, year=year).values_list("rural_population", flat=True)
    if own:
        return own[0], 0
    villages = Region.objects.filter(level=Level.VILLAGE).filter(access.under("code", region.code))
    figures = RegionPopulation.objects.filter(region__in=villages, year=year)
    total = figures.aggregate(total=Sum("rural_population"))["total"] or 0
    if not total:
        raise ValidationError(
            _("The rural registered population of %(region)s for %(year)s has not been entered.")
            % {"region": region.name, "year": year}
        )
    return total, villages.count() - figures.count()


def assess(region: Region, year: int, rates: Rates | None = None) -> RegionAssessment:
    if region.level not in LEVELS:
        raise ValidationError(_("Exit is assessed for a village or a county."))
    if region.level == Level.COUNTY and rates is None:
        raise ValidationError(_("A county's assessment needs the wrong-exit rate, missed rate and recognition."))
    poor, registered, exited = people(region.code, year)
    total, missing = population(region, year)
    result = RegionAssessment(region, year, poor, total, _percent(poor, total), registered, exited)
    result.missing_villages = missing
    threshold, western = incidence_threshold(year, region.code)
    result.policy += [threshold.record(), western.record()]
    label = "%" if not western.flag else "%" + _(" (western region)")
    result.criteria.append(
        Criterion(
            "incidence",
            _("Poverty incidence"),
            f"{result.incidence}%（{poor:,} ÷ {total:,}）",
            _("below %(value)s") % {"value": f"{threshold.value.normalize()}{label}"},
            result.incidence < threshold.value,
        )
    )
    if region.level == Level.COUNTY:
        _county_criteria(result, rates, threshold.value, label)
    return result


def _county_criteria(result: RegionAssessment, rates: Rates, threshold: Decimal, label: str) -> None:
    result.rates = rates
    unregistered = max(result.population - result.registered_people, 0)
    missed = rates.missed * unregistered / HUNDRED
    wrong = rates.wrong_exit * result.exited_people / HUNDRED
    result.comprehensive = _percent(result.poor_people + missed + wrong, result.population)
    result.criteria.append(
        Criterion(
            "comprehensive",
            _("Comprehensive incidence"),
            f"{result.comprehensive}%",
            _("below %(value)s") % {"value": f"{threshold.normalize()}{label}"},
            result.comprehensive < threshold,
        )
    )
    for key, name, value, item, below in (
        ("wrong_exit", _("Wrong-exit rate"), rates.wrong_exit, Name.WRONG_EXIT_RATE_MAX, True),
        ("missed", _("Missed rate"), rates.missed, Name.MISSED_RATE_MAX, True),
        ("recognition", _("Recognition"), rates.recognition, Name.RECOGNITION_MIN, False),
    ):
        limit = resolve(item, result.year, result.region.code)
        result.policy.append(limit.record())
        text = _("below %(value)s") if below else _("above %(value)s")
        result.criteria.append(
            Criterion(
                key,
                name,
                f"{value.normalize()}%",
                text % {"value": f"{limit.value.normalize()}%"},
                value < limit.value if below else value > limit.value,
            )
        )


def _criteria_json(result: RegionAssessment) -> list[dict]:
    return [vars(c).copy() for c in result.criteria]


@transaction.atomic
def record(*, by, region: Region, year: int, rates: Rates | None = None, mark_exit: bool = False):
    """Keep the assessment as it stands today; with `mark_exit`, a passed assessment of a
    designated poor village or county sets the region's exit year (the designation's own action)."""
    access.require(by, Perm.CHANGE_DESIGNATION, region.code)
    result = assess(region, year, rates)
    if mark_exit and not result.passed:
        raise ValidationError(_("The region does not meet the exit standard; its exit cannot be recorded."))
    if mark_exit and not region.is_poor:
        raise ValidationError(_("%(region)s is not designated poor; there is no exit to record.") % {"region": region})
    row = RegionExitAssessment.objects.create(
        region=region,
        year=year,
        poor_people=result.poor_people,
        rural_population=result.population,
        incidence=result.incidence,
        wrong_exit_rate=rates.wrong_exit if rates else None,
        missed_rate=rates.missed if rates else None,
        recognition=rates.recognition if rates else None,
        comprehensive_incidence=result.comprehensive,
        passed=result.passed,
        criteria=_criteria_json(result),
        policy=result.policy,
        marked_exit=mark_exit,
        assessed_by=by,
    )
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=row,
        target_repr=f"{region.name} {year}",
        region_code=region.code,
        changes={"passed": result.passed, "incidence": str(result.incidence), "mark_exit": mark_exit},
    )
    if mark_exit:
        set_designation(by=by, region=region, designated=True, designated_year=region.designated_year, exit_year=year)
    return row, result


@transaction.atomic
def set_populations(*, by, year: int, typed: Mapping[Region, str], source: str = "") -> int:
    """A table of figures as typed (blank: left as it is), all or none; returns how many changed."""
    changed, errors = 0, []
    for region, text in typed.items():
        value = int_param(text.strip())
        if text.strip() and value is None:
            errors.append(f"{region.name}：{_('Enter a whole number.')}")
        elif value is not None:
            changed += set_population(by=by, region=region, year=year, rural_population=value, source=source)
    if errors:
        raise ValidationError(errors)
    return changed


@transaction.atomic
def set_population(*, by, region: Region, year: int, rural_population: int, source: str = "") -> bool:
    """Enter or correct one region's figure; returns whether anything changed."""
    access.require(by, Perm.CHANGE_DESIGNATION, region.code)
    if region.level not in LEVELS:
        raise ValidationError(_("The population is entered for a village or a county."))
    if rural_population <= 0:
        raise ValidationError({"rural_population": _("Enter a number of people above zero.")})
    row = RegionPopulation.objects.filter(region=region, year=year).first()
    before = row.rural_population if row else None
    if before == rural_population:
        return False
    RegionPopulation.objects.update_or_create(
        region=region,
        year=year,
        defaults={"rural_population": rural_population, "source": source.strip()[:200], "changed_by": by},
    )
    record_event(
        actor=by,
        event_type=EventType.UPDATE if row else EventType.CREATE,
        target=region,
        region_code=region.code,
        changes={f"rural_population_{year}": [before, rural_population]},
    )
    return True

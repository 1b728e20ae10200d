"""Village and county exit (贫困村出列、贫困县摘帽, domain.md §3, §5.3): poverty incidence from the
register, the thresholds of the year and place, and for counties the three rates of the assessment.

Poor people in a year are the members of households identified by the end of that year and not
exited in or before it (poor or relapsed now, or exited in a later year). Households removed as
wrongly registered are not counted. Household size is today's: the register's history could give
the size of each year, at the cost of reading every household's versions.

Incidence = poor people ÷ rural registered population × 100, compared "below" exactly (19,999 ÷
1,000,001 = 1.9999…% passes a 2% threshold; exactly 2% fails), and shown rounded only afterwards.
The comprehensive incidence of a county adds the missed and wrongly exited people extrapolated from
the sample rates: missed rate × the rural people not registered, and wrong-exit rate × the exited
people. The rates are typed, or computed exactly from the sample's counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.lib.figures import exact, percent_text
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


@dataclass
class Rates:
    """The county assessment's sample rates, in percent: exact, typed or computed from the sample's
    counts (a count ÷ its sample × 100, kept as a fraction until it is compared)."""

    wrong_exit: Fraction
    missed: Fraction
    recognition: Fraction

    def __post_init__(self):
        self.wrong_exit, self.missed, self.recognition = map(exact, (self.wrong_exit, self.missed, self.recognition))


def rate_from_counts(count: int, sample: int) -> Fraction:
    """A sample's rate in percent, exact: wrong exits found among the exited sampled, poor people missed
    among the unregistered sampled, those satisfied among those surveyed (认可度)."""
    if sample <= 0 or not 0 <= count <= sample:
        raise ValidationError(_("A count is from 0 up to its sample, and the sample is above 0."))
    return Fraction(100 * count, sample)


@dataclass
class RegionAssessment:
    region: Region
    year: int
    poor_people: int
    population: int
    incidence: Fraction  # exact; shown rounded
    registered_people: int = 0
    exited_people: int = 0
    comprehensive: Fraction | None = None
    rates: Rates | None = None
    criteria: list[Criterion] = field(default_factory=list)
    policy: list[dict] = field(default_factory=list)
    missing_villages: int = 0

    @property
    def passed(self) -> bool:
        return bool(self.criteria) and all(c.passed for c in self.criteria)


def _percent(part: Fraction | int, whole: int) -> Fraction:
    return exact(part) * 100 / whole


def _stored(value: Fraction, places: int) -> Decimal:
    """A figure rounded, half up, to the places its column keeps: for the record, never for a verdict."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


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
    # the incidence is kept exact; the page and the record show it rounded
    result.missing_villages = missing
    threshold, western = incidence_threshold(year, region.code)
    result.policy += [threshold.record(), western.record()]
    label = "%" if not western.flag else "%" + _(" (western region)")
    result.criteria.append(
        Criterion(
            "incidence",
            _("Poverty incidence"),
            f"{percent_text(result.incidence, near=threshold.value, places=3)}%（{poor:,} ÷ {total:,}）",
            _("below %(value)s") % {"value": f"{percent_text(threshold.value)}{label}"},
            result.incidence < exact(threshold.value),
        )
    )
    if region.level == Level.COUNTY:
        _county_criteria(result, rates, threshold.value, label)
    return result


def _county_criteria(result: RegionAssessment, rates: Rates, threshold: Decimal, label: str) -> None:
    result.rates = rates
    unregistered = max(result.population - result.registered_people, 0)
    missed = rates.missed * unregistered / 100
    wrong = rates.wrong_exit * result.exited_people / 100
    result.comprehensive = _percent(result.poor_people + missed + wrong, result.population)
    result.criteria.append(
        Criterion(
            "comprehensive",
            _("Comprehensive incidence"),
            f"{percent_text(result.comprehensive, near=threshold, places=3)}%",
            _("below %(value)s") % {"value": f"{percent_text(threshold)}{label}"},
            result.comprehensive < exact(threshold),
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
                f"{percent_text(value, near=limit.value)}%",
                text % {"value": f"{percent_text(limit.value)}%"},
                value < exact(limit.value) if below else value > exact(limit.value),
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
        incidence=_stored(result.incidence, 3),
        wrong_exit_rate=_stored(rates.wrong_exit, 2) if rates else None,
        missed_rate=_stored(rates.missed, 2) if rates else None,
        recognition=_stored(rates.recognition, 2) if rates else None,
        comprehensive_incidence=_stored(result.comprehensive, 3) if result.comprehensive is not None else None,
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
        changes={"passed": result.passed, "incidence": str(_stored(result.incidence, 3)), "mark_exit": mark_exit},
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

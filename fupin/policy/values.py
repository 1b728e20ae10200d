"""Reading policy: the value that applies to a year and a place, and where it came from.

Every decision stores `Applied.record()` for each value it used, so that it can be explained and
reproduced after the table has changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DecimalField, Q, Value, When
from django.utils.translation import gettext as _

from .items import ITEMS, LAST_POVERTY_LINE_YEAR, Name
from .models import PolicyValue


class PolicyMissing(ValidationError):
    pass


@dataclass(frozen=True)
class Applied:
    name: str
    value: Decimal
    year: int  # the year of the row that applied (earlier than asked for when the value carries forward)
    region_code: str
    is_verified: bool
    document: str = ""
    basis: tuple[Applied, ...] = ()  # the values a derived one was computed from (a multiple of 低保)

    @property
    def flag(self) -> bool:
        return self.value != 0

    @property
    def label(self) -> str:
        return str(ITEMS[self.name].label)

    def describe(self) -> str:
        """What a page says of the line it compared with: "2025年 防止返贫监测线 8,600 元（甘农领办发〔2025〕4号）"."""
        text = _("%(year)s %(label)s %(value)s yuan") % {
            "year": self.year,
            "label": self.label,
            "value": _yuan(self.value),
        }
        if self.basis:
            multiple, dibao = self.basis
            text += _(" (%(times)s × rural 低保 standard %(dibao)s)") % {
                "times": f"{multiple.value.normalize():f}",
                "dibao": _yuan(dibao.value),
            }
        return f"{text}（{self.document}）" if self.document else text

    def record(self) -> dict:
        return {
            "name": self.name,
            "value": str(self.value),
            "year": self.year,
            "region_code": self.region_code,
            "verified": self.is_verified,
            **({"document": self.document} if self.document else {}),
            **({"basis": [b.record() for b in self.basis]} if self.basis else {}),
        }


def _yuan(value: Decimal) -> str:
    """8,600 or 8,650.5: grouped, without trailing zeros of the fen."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _prefixes(region_code: str) -> list[str]:
    """'' and every ancestor code of a region code (codes are paths: 2, 4, 6, 9, 12 digits)."""
    return [""] + [region_code[:n] for n in (2, 4, 6, 9, 12) if n <= len(region_code)]


def resolve(name: str, year: int, region_code: str = "", *, latest: bool = False) -> Applied:
    """The value of `name` for `year` at `region_code`: the nearest region's row wins, then the latest
    year not after `year` (exactly `year` for a per-year parameter, unless `latest` asks for the most
    recent one known — for plausibility checks, never for decisions). Raises PolicyMissing."""
    item = ITEMS[name]
    rows = PolicyValue.objects.filter(name=name, region_code__in=_prefixes(region_code))
    rows = rows.filter(year=year) if item.per_year and not latest else rows.filter(year__lte=year)
    candidates = list(rows.values_list("value", "year", "region_code", "is_verified", "document"))
    if not candidates:
        raise PolicyMissing(
            _("%(item)s for %(year)s has not been set. A system administrator sets it under Policy parameters.")
            % {"item": item.label, "year": year}
        )
    value, found_year, found_region, verified, document = max(candidates, key=lambda c: (len(c[2]), c[1]))
    return Applied(name, value, found_year, found_region, verified, document)


def value_by_region(name: str, year: int, field: str) -> Case:
    """A query expression for the value of `name` at each row's region (its code in `field`), for
    queries over many regions that may set their own: a branch for every region with a value of its
    own, deepest first, so the nearest region wins as in `resolve`. One query reads the table."""
    from fupin.access import under

    item = ITEMS[name]
    rows = PolicyValue.objects.filter(name=name)
    rows = rows.filter(year=year) if item.per_year else rows.filter(year__lte=year)
    latest: dict[str, tuple[int, Decimal]] = {}
    for code, found_year, value in rows.values_list("region_code", "year", "value"):
        if code not in latest or found_year > latest[code][0]:
            latest[code] = (found_year, value)
    if "" not in latest:
        resolve(name, year)  # raises PolicyMissing with its explanation
    branches = [
        When(under(field, code), then=Value(value))
        for code, (_year, value) in sorted(latest.items(), key=lambda kv: -len(kv[0]))
        if code
    ]
    return Case(*branches, default=Value(latest[""][1]), output_field=DecimalField(max_digits=12, decimal_places=2))


def poverty_line(year: int, region_code: str = "", standard: str = "1", *, latest: bool = False) -> Applied:
    """The line a household is measured against: its identification standard (code list
    identification_standard: 1 national, 2 provincial, 3 city) chooses which."""
    name = {"2": Name.PROVINCIAL_POVERTY_LINE, "3": Name.CITY_POVERTY_LINE}.get(standard, Name.POVERTY_LINE)
    return resolve(name, year, region_code, latest=latest)


def monitoring_line(year: int, region_code: str = "", *, latest: bool = False) -> Applied:
    """The year's monitoring line at a region: the nearest region that set one, as an amount or as a
    multiple of the local rural 低保 standard of the same year (the amount when a region set both).
    Exact: a multiple is not rounded. Raises PolicyMissing naming who sets it."""
    names = (Name.MONITORING_LINE, Name.MONITORING_LINE_DIBAO_MULTIPLE)
    rows = PolicyValue.objects.filter(name__in=names, region_code__in=_prefixes(region_code))
    rows = rows.filter(year__lte=year) if latest else rows.filter(year=year)
    candidates = list(rows.values_list("name", "region_code", "year"))
    if not candidates:
        raise PolicyMissing(
            _(
                "The monitoring line for %(year)s has not been set: the province (or the city or county that sets "
                "its own) sets it under Policy parameters, as an amount or as a multiple of the rural 低保 standard."
            )
            % {"year": year}
        )
    name, found_region, found_year = max(candidates, key=lambda c: (len(c[1]), c[2], c[0] == Name.MONITORING_LINE))
    if name == Name.MONITORING_LINE:
        return resolve(Name.MONITORING_LINE, found_year, found_region)
    multiple = resolve(Name.MONITORING_LINE_DIBAO_MULTIPLE, found_year, found_region)
    dibao = resolve(Name.DIBAO_STANDARD, found_year, region_code)
    verified = multiple.is_verified and dibao.is_verified
    return Applied(
        Name.MONITORING_LINE,
        multiple.value * dibao.value,
        found_year,
        found_region,
        verified,
        multiple.document,
        (multiple, dibao),
    )


def income_line(year: int, region_code: str = "", standard: str = "1", *, latest: bool = False) -> Applied:
    """The line a household's per-capita income is measured against in `year`: the poverty line of its
    identification standard up to 2020, the monitoring line after. With `latest` (plausibility checks,
    never decisions) the most recent one set."""
    if year > LAST_POVERTY_LINE_YEAR:
        try:
            return monitoring_line(year, region_code, latest=latest)
        except PolicyMissing:
            if not latest:
                raise
    return poverty_line(min(year, LAST_POVERTY_LINE_YEAR), region_code, standard, latest=latest)


def incidence_threshold(year: int, region_code: str) -> tuple[Applied, Applied]:
    """The exit threshold for poverty incidence at a region, and the western-region flag that chose it."""
    western = resolve(Name.WESTERN_REGION, year, region_code)
    name = Name.INCIDENCE_MAX_WESTERN if western.flag else Name.INCIDENCE_MAX
    return resolve(name, year, region_code), western


@transaction.atomic
def install_defaults(**kwargs) -> int:
    """Add the national defaults that are missing; returns how many were added."""
    have = set(PolicyValue.objects.values_list("name", "region_code", "year"))
    missing = [
        PolicyValue(
            name=item.name,
            region_code=d.region_code,
            year=d.year,
            value=d.value,
            is_verified=d.verified,
            source=d.source,
        )
        for item in ITEMS.values()
        for d in item.defaults
        if (item.name, d.region_code, d.year) not in have
    ]
    PolicyValue.objects.bulk_create(missing)
    return len(missing)


def visible_rows(user):
    """The values that bear on the user's region: national, its ancestors', and those set inside it."""
    from fupin import access

    prefix = access.region_prefix(user)
    if prefix is None:
        return PolicyValue.objects.none()
    if prefix == "":
        return PolicyValue.objects.all()
    return PolicyValue.objects.filter(Q(region_code__in=_prefixes(prefix)) | Q(region_code__startswith=prefix))

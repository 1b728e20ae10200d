"""Which poverty line applies to a year and place."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from .defaults import NATIONAL_LINES
from .models import PovertyLine

NATIONAL_STANDARD = "1"


def poverty_line(year: int, region_code: str = "", standard: str = NATIONAL_STANDARD) -> PovertyLine | None:
    """The line of `year` (or the latest year before it): the province's own if it set one, else the national."""
    province = region_code[:2]
    candidates = PovertyLine.objects.filter(year__lte=year, standard=standard).filter(
        Q(province_code="") | Q(province_code=province)
    )
    # latest year first; within a year the province's row before the national one
    return candidates.order_by("-year", "-province_code").first()


@transaction.atomic
def install_defaults(**kwargs) -> int:
    existing = set(PovertyLine.objects.filter(province_code="").values_list("year", "standard"))
    missing = [
        PovertyLine(year=year, standard=NATIONAL_STANDARD, amount=amount, verified=verified, source=source)
        for year, amount, verified, source in NATIONAL_LINES
        if (year, NATIONAL_STANDARD) not in existing
    ]
    PovertyLine.objects.bulk_create(missing)
    return len(missing)

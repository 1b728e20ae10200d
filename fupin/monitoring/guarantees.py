"""三保障 and safe water as conditions on the register's rows, for work over many households at once
(the screening, the yearly classification): the same facts registry.basic_needs reads one household at
a time — unsafe housing, no safe water or a water difficulty, a current member without basic medical
insurance, a child of compulsory-school age out of school."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from fupin.registry.basic_needs import NOT_IN_SCHOOL, SCHOOL_AGE
from fupin.registry.models import UNSAFE_GRADES, Member


def failures(today: dt.date) -> dict[str, tuple[Q, str]]:
    """{key: (the condition on Household that is true when the item fails, its name)}."""
    youngest = today.replace(year=today.year - SCHOOL_AGE.stop)
    oldest = today.replace(year=today.year - SCHOOL_AGE.start)
    current = Member.objects.filter(household=OuterRef("pk"), left_on__isnull=True)
    out_of_school = current.filter(school_status=NOT_IN_SCHOOL, birth_date__gt=youngest, birth_date__lte=oldest)
    return {
        "housing": (Q(housing_grade__in=UNSAFE_GRADES) | Q(is_unsafe_housing=True), _("unsafe housing")),
        "water": (Q(has_safe_drinking_water=False) | Q(has_drinking_water_difficulty=True), _("drinking water")),
        "medical": (Q(Exists(current.filter(has_medical_insurance=False))), _("a member without medical insurance")),
        "education": (Q(Exists(out_of_school)), _("a child of school age out of school")),
    }

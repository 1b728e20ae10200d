"""Department lists for the demo county, loaded as the county operator loads them, and compared: a
vehicle list (two cars among the demo village's people, one under a name spelt otherwise, one number
in the first-generation 15-digit form, and a row whose ID number is wrong, set aside), a medical
list (costs above the policy amount) and a death registration. The findings wait for the township,
one of them passed on to the village, so each level has a verification to do."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fupin.accounts.models import User
from fupin.registry.models import Member, PovertyStatus
from fupin.transfer import pipeline

from . import comparison, verification
from .models import DatasetKind, DatasetLoad, Finding
from .sheets import spec_of


def _people(village: str) -> list[Member]:
    members = Member.objects.filter(household__region_id=village, left_on__isnull=True).exclude(
        household__poverty_status=PovertyStatus.REMOVED
    )
    return list(members.select_related("household").order_by("household_id", "id")[:12])


def _load(by, code: str, header: str, lines: list[str], day: dt.date) -> None:
    content = "\n".join([header, *lines, ""]).encode()
    spec = spec_of(DatasetKind.objects.get(code=code))
    batch = pipeline.stage(spec=spec, filename=f"{spec.title}（演示）.csv", content=content, by=by, data_date=day)
    pipeline.request_commit(batch=batch, by=by)
    pipeline.commit(batch=batch, by=by)


@transaction.atomic
def seed() -> str:
    if DatasetLoad.objects.exists():
        return "department lists already seeded"
    county = User.objects.get(username="county_operator")
    township = User.objects.get(username="township1_operator")
    village = User.objects.get(username="village11_operator").region_id
    people = _people(village)
    if len(people) < 8:
        return "department lists not seeded: the demo village has too few people"
    month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    first_generation = people[2].id_number[:6] + people[2].id_number[8:17]
    _load(
        county,
        "vehicles",
        "身份证号,姓名,车辆类型,号牌号码,登记日期",
        [
            f"{people[0].id_number},{people[0].name},小型轿车,豫Q8A123,2025-06-18",
            f"{people[1].id_number},{people[1].name[:1]}某某,小型轿车,豫Q9C456,2024-03-02",  # the name differs
            f"{first_generation},{people[2].name},重型货车,豫Q7D789,2023-11-20",  # a 15-digit number
            f"{people[3].id_number},{people[3].name},摩托车,豫Q1M001,2022-05-09",  # not a finding
            "41172319800101123,无效号码,小型轿车,豫Q0000,2024-01-01",  # set aside: 17 characters
        ],
        month,
    )
    _load(
        county,
        "medical_insurance",
        "身份证号,姓名,结算期间,医疗总费用,个人自付费用",
        [
            f"{people[4].id_number},{people[4].name},{month:%Y},86500.00,31260.40",
            f"{people[5].id_number},{people[5].name},{month:%Y},9800.00,2100.00",  # below the amount
        ],
        month,
    )
    _load(
        county,
        "population",
        "身份证号,姓名,变动类型,变动日期",
        [f"{people[6].id_number},{people[6].name},死亡,{month:%Y-%m}-12"],
        month,
    )
    comparison.compare(by=county)
    passed = Finding.objects.filter(rule__code="medical_costs").first()
    if passed is not None:
        verification.pass_to_village(by=township, finding=passed)
    return f"department lists seeded: 3 lists, {Finding.objects.count()} findings"

"""Assistance for the demo county: a county department with two cadres, the demo user `cadre1`
linked to one of them, the poor households of cadre1's village paired (five each), this year's
plan with a measure for each, and one visit; a work team stationed in the village with last month's
attendance, and a county leader linked to the township. A second run changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fupin.accounts.demo import DEMO_COUNTY
from fupin.accounts.models import User
from fupin.registry.models import HELPED, Household

from . import actions, plans, teams, visits
from .models import AssistingUnit, MeasureType, TeamRole

CADRES = (("王建华", "13839610001", "副局长"), ("李秀梅", "13839610002", "科员"))


@transaction.atomic
def seed() -> str:
    if AssistingUnit.objects.exists():
        return "assistance already seeded"
    admin = User.objects.get(username="county_operator")
    account = User.objects.get(username="cadre1")
    unit = actions.save_unit(
        by=admin, unit=None, values={"name": "平舆县财政局", "level": "county", "region_id": DEMO_COUNTY}
    )
    cadres = [
        actions.save_cadre(
            by=admin,
            cadre=None,
            values={
                "unit_id": unit.pk,
                "name": name,
                "phone": phone,
                "post": post,
                "user_id": account.pk if i == 0 else None,
            },
        )
        for i, (name, phone, post) in enumerate(CADRES)
    ]
    today = timezone.localdate()
    started = today - dt.timedelta(days=60)
    households = Household.objects.filter(region=account.region, poverty_status__in=HELPED).order_by("household_no")
    measure = MeasureType.objects.get(code="industry_support")
    paired = 0
    for i, household in enumerate(households[: 5 * len(cadres)]):
        cadre = cadres[i // 5]
        actions.pair(by=admin, household=household, cadre=cadre, start_on=started)
        plan = plans.save_plan(by=admin, household=household, year=today.year, goal="发展种养、稳定务工")
        plans.save_measure(by=admin, plan=plan, values={"measure_type_id": measure.pk, "planned_amount": 1000})
        paired += 1
    first = households.first()
    if first is not None:
        visits.log_visit(
            by=account,
            household=first,
            cadre=cadres[0],
            visited_on=today - dt.timedelta(days=3),
            items=["policy", "file_check"],
            note="宣讲产业奖补政策，核对家庭成员信息。",
        )
    _station_team(admin, unit, account.region_id, today)
    return f"{len(cadres)} cadres, {paired} households paired; cadre1 is {cadres[0].name}"


def _station_team(admin, unit, village_code: str, today: dt.date) -> None:
    start = today.replace(day=1) - dt.timedelta(days=365)
    team = teams.save_team(
        by=admin, team=None, values={"village_id": village_code, "unit_id": unit.pk, "start_on": start}
    )
    members = []
    for name, phone, role in (
        ("赵志刚", "13839610011", TeamRole.FIRST_SECRETARY),
        ("孙丽", "13839610012", TeamRole.MEMBER),
    ):
        cadre = actions.save_cadre(by=admin, cadre=None, values={"unit_id": unit.pk, "name": name, "phone": phone})
        members.append(teams.add_member(by=admin, team=team, cadre=cadre, role=role, start_on=start))
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    days = {members[0].pk: 22, members[1].pk: 17}
    teams.record_attendance(by=admin, team=team, month=last_month, days=days, notes={members[1].pk: "参加县里培训3天"})
    teams.save_leader_link(
        by=admin,
        link=None,
        values={"leader_name": "周文斌", "leader_post": "副县长", "region_id": village_code[:9], "start_on": start},
    )

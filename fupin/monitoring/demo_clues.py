"""The demo's clues and monitoring procedures: a clue from every channel at each deadline state (in
time, due within a working day, overdue), one decided each way, an identification batch at its running
village notice, an elimination batch waiting for the township's review, and a holiday in the calendar,
so that a newcomer can follow every step. Run after the monitored households exist."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fupin.accounts.models import User
from fupin.accounts.roles import Role
from fupin.policy import calendar
from fupin.policy.models import CalendarDay
from fupin.procedures import engine
from fupin.procedures.demo import prove, walk
from fupin.procedures.models import Batch
from fupin.registry.id_numbers import make
from fupin.registry.models import Household, PovertyStatus

from . import clues, entry
from .elimination import ELIMINATION
from .models import CaseStatus, Channel, Clue, MonitoringCase

NOTE = "（演示）"


def _aged(clue: Clue, working_days: int) -> Clue:
    """Move a clue's report back by working days, with the deadlines it had then."""
    days_off = calendar.load()
    day = timezone.localdate()
    while working_days > 0:
        day -= dt.timedelta(days=1)
        working_days -= calendar.is_working_day(day, days_off)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
    Clue.objects.filter(pk=clue.pk).update(
        reported_at=at, **clues.deadlines(clue.channel, clue.region_id, day, days_off)
    )
    clue.refresh_from_db()
    return clue


def _households(village: str, status: str, skip: int = 0) -> list[Household]:
    busy = MonitoringCase.objects.filter(status=CaseStatus.MONITORING).values("household_id")
    households = Household.objects.filter(region_id=village, poverty_status=status).exclude(pk__in=busy)
    return list(households.exclude(clues__isnull=False).order_by("pk")[skip : skip + 8])


@transaction.atomic
def seed() -> str:
    if Clue.objects.exists():
        return "clues already seeded"
    village_operator = User.objects.get(username="village11_operator")
    township = User.objects.get(username="township1_operator")
    village = village_operator.region.code
    today = timezone.localdate()
    CalendarDay.objects.get_or_create(
        day=dt.date(today.year + 1, 1, 1),
        defaults={"name": "元旦" + NOTE, "changed_by": User.objects.get(username="admin")},
    )
    exited = _households(village, PovertyStatus.EXITED)
    if len(exited) < 5:
        return "clues not seeded: the demo village has too few exited households"

    def self_report(name: str, born: str, seq: int, said: str, risks: list[str]) -> Clue:
        number = make(village[:6], dt.date.fromisoformat(born), seq)
        report = clues.Report(
            Channel.SELF_REPORT, village, name, said, id_number=number, phone="13900001234", risks=risks
        )
        return clues.report(report)[0]

    fresh = self_report("陈桂兰", "1963-04-18", 22, "老伴脑梗住院，自付医药费四万多元", ["01"])
    late = _aged(self_report("郑国庆", "1979-10-01", 31, "在外务工受伤，失去收入", ["05", "07"]), 4)
    cadre = _aged(
        clues.report(
            clues.Report(
                Channel.CADRE,
                village,
                exited[0].head_name,
                "入户走访发现房屋墙体开裂，雨季漏雨",
                risks=["10"],
                household=exited[0],
            ),
            by=village_operator,
        )[0],
        4,
    )
    department = clues.report(
        clues.Report(
            Channel.DEPARTMENT,
            village,
            exited[1].head_name,
            "医保部门预警：近12个月个人自付医疗费用 36,580.00 元",
            risks=["01"],
            household=exited[1],
            rule="医保：自付费用超过限额",
            values={"self_paid": "36580.00", "limit": "20000"},
        )
    )[0]
    system = clues.report(
        clues.Report(
            Channel.SYSTEM,
            village,
            exited[2].head_name,
            "系统筛查：上年人均纯收入较前一年下降超过30%",
            household=exited[2],
            rule="fall",
            values={"drop": "30"},
        )
    )[0]
    closed = self_report("冯小红", "1990-02-14", 42, "孩子上大学学费困难", ["09"])
    clues.pass_to_village(by=township, clue=closed)
    clues.close_unconfirmed(
        by=village_operator, clue=closed, reason="已落实雨露计划和助学贷款，家庭收入稳定，不需纳入监测"
    )

    # An identification batch at its village notice, for two checked clues.
    checked = []
    for household, risks in ((exited[3], ["01", "04"]), (exited[4], ["0201"])):
        clue = clues.report(
            clues.Report(
                Channel.CADRE, village, household.head_name, "排查发现家庭困难" + NOTE, risks=risks, household=household
            ),
            by=village_operator,
        )[0]
        clues.record_check(by=village_operator, clue=clue, category="1", risks=risks)
        checked.append(_aged(clue, 6))
    start = today - dt.timedelta(days=8)
    batch = engine.start_batch(
        by=village_operator, kind=entry.ENTRY, region=village_operator.region, year=today.year, done_on=start
    )
    for clue in checked:
        batch.refresh_from_db()
        engine.add_case(by=village_operator, batch=batch, version=batch.version, subject=clue)
    batch, day = walk(batch, [village_operator], start + dt.timedelta(days=1), until="village_notice")
    prove(batch, village_operator)
    engine.post_notice(
        by=village_operator,
        batch=batch,
        version=batch.version,
        posted_on=today - dt.timedelta(days=2),
        place="村委会公开栏",
    )

    return (
        f"clues {fresh.receipt} {late.receipt} {cadre.receipt} {department.receipt} {system.receipt} {closed.receipt}, "
        f"identification batch #{batch.pk} at its notice"
    )


@transaction.atomic
def seed_elimination() -> str:
    """An elimination batch waiting for the township's review, admitted by the county's override."""
    if Batch.objects.filter(procedure__kind=ELIMINATION).exists():
        return "elimination already seeded"
    county = User.objects.get(username="county_operator")
    reviewer = User.objects.get(username="county_reviewer")
    today = timezone.localdate()
    operators = {u.region_id: u for u in User.objects.filter(role=Role.VILLAGE_OPERATOR, region__isnull=False)}
    monitored = MonitoringCase.objects.filter(
        region_id__in=list(operators), status=CaseStatus.MONITORING, no_labour_support=False
    )
    subject = monitored.order_by("pk").first()
    if subject is not None:
        start = today - dt.timedelta(days=20)
        village_operator = operators[subject.region_id]
        other = engine.start_batch(
            by=village_operator, kind=ELIMINATION, region=village_operator.region, year=today.year, done_on=start
        )
        engine.add_case(
            by=county,
            batch=other,
            version=other.version,
            subject=subject,
            override=True,
            reason="收入稳定超过监测线，三保障和饮水安全有保障" + NOTE,
        )
        walk(other, [village_operator, county, reviewer], start + dt.timedelta(days=1), until="township_review")
        return f"elimination batch #{other.pk} at the township's review"
    return "no monitored household in a village with a demo operator"

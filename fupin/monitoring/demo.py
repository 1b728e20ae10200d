"""The demo's monitored households: about a hundred exited households of the demo county brought in as
the national system's list would bring them (its categories 脱贫不稳定户 and 突发严重困难户; the demo county
has no ordinary households for 边缘易致贫户), with risk types, some risks eliminated, and a year's
compliant out-of-pocket spending for some, so that the panel, the filters and the account show data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from fupin.accounts.models import User
from fupin.registry.models import Household, PovertyStatus

from . import actions
from .models import CaseStatus, Channel, EliminationRoute, MonitoringCase

DEMO_COUNTY = "411723"
WANTED = 100
RISKS = [["01"], ["03"], ["01", "07"], ["0201"], ["09"], ["05", "10"], ["06"], ["04"], ["11"], ["01", "03"]]
NOTE = "演示数据（按全国系统名单迁移）"


@transaction.atomic
def seed() -> str:
    if MonitoringCase.objects.exists():
        return "monitoring already seeded"
    operator = User.objects.get(username="county_operator")
    households = Household.objects.filter(
        region__code__startswith=DEMO_COUNTY, poverty_status=PovertyStatus.EXITED
    ).order_by("pk")
    chosen = list(households[: WANTED * 7 : 7]) or list(households[:WANTED])
    today = timezone.localdate()
    cases = []
    for n, household in enumerate(chosen):
        eliminated = n % 4 == 3
        cases.append(
            MonitoringCase(
                household=household,
                region_id=household.region_id,
                category="3" if n % 5 == 4 else "1",
                risks=RISKS[n % len(RISKS)],
                identified_on=today - dt.timedelta(days=30 + 9 * n),
                channel=Channel.NATIONAL_LIST,
                status=CaseStatus.ELIMINATED if eliminated else CaseStatus.MONITORING,
                eliminated_on=today - dt.timedelta(days=10 + n) if eliminated else None,
                elimination_route=(EliminationRoute.ASSISTED if n % 8 == 3 else EliminationRoute.NATURAL)
                if eliminated
                else "",
                no_labour_support=n % 13 == 0,
                note=NOTE,
                created_by=operator,
            )
        )
    bulk_create_with_history(cases, MonitoringCase, default_user=operator, default_change_reason=NOTE)
    spent = 0
    monitored = [c.household for c in cases if c.status == CaseStatus.MONITORING]
    for n, household in enumerate(monitored[::4]):
        year = household.incomes.order_by("-year").values_list("year", flat=True).first()
        if year is None:
            continue
        values = {
            "medical": Decimal(2000 + 450 * (n % 10)),
            "schooling": Decimal(600 * (n % 3)),
            "note": "住院、上学自付",
        }
        actions.save_expenditure(by=operator, household=household, year=year, values=values)
        spent += 1
    closed = sum(c.status == CaseStatus.ELIMINATED for c in cases)
    return f"{len(cases)} monitored households ({closed} with the risk eliminated), {spent} with a year's spending"

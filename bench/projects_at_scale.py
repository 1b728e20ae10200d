"""Benchmark: the dispatch table and the microcredit figures for a province-sized ledger on PostgreSQL.

    FUPIN_DATABASE_URL=postgresql://… .venv/bin/python bench/projects_at_scale.py \
        [--projects 100000] [--disbursements 1000000] [--loans 1000000] [--keep-db]

Generates (not timed; --keep-db keeps them for the next run) projects spread over the villages,
townships and counties of 河南省 with their allocations and disbursement entries (the project rows'
totals kept consistent with them, as projects.funds keeps them), and loans to households spread the
same way. Then requests the pages through Django's test client as a provincial user does, each
request timed whole (queries, template, response): the dispatch table of the province (a row per
city), of a city and of a county, with and without a year; the project ledger filtered by an alert;
and the microcredit figures of the province, a city and a county. Target (issue 6): the dispatch
table ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal

from harness import p95, percentiles, setup_django, timed_get

PROVINCE = "41"
BATCH = 20_000
WARM_UP = 2
RUNS = 15


def villages() -> list[str]:
    from fupin.regions.models import Level, Region

    return list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith=PROVINCE)
        .order_by("code")
        .values_list("code", flat=True)
    )


def in_batches(objects, model) -> None:
    from django.db import transaction

    batch = []
    for obj in objects:
        batch.append(obj)
        if len(batch) == BATCH:
            with transaction.atomic():
                model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


def populate_projects(projects: int, entries: int, by, places: list[str], rng: random.Random) -> None:
    from django.utils import timezone

    from fupin.projects.models import Allocation, Disbursement, FundSource, Project

    sources = list(FundSource.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    started = time.perf_counter()
    levels = (("village", 12), ("township", 9), ("county", 6))

    def project(n: int) -> Project:
        level, length = levels[0] if n % 10 < 7 else levels[1] if n % 10 < 9 else levels[2]
        start = today - dt.timedelta(days=rng.randint(-200, 900))
        investment = Decimal(rng.randrange(50_000, 5_000_000, 1000))
        stage = rng.choice(("approved", "started", "started", "completed", "accepted", "settled"))
        begun = stage != "approved" and rng.random() < 0.9
        done = stage in ("completed", "accepted", "settled")
        return Project(
            name=f"项目{n:06d}",
            year=start.year,
            category=rng.choice(("industrial", "industrial", "infrastructure", "public_service", "housing")),
            work_type="new",
            level=level,
            region_id=rng.choice(places)[:length],
            responsible_unit="县乡村振兴局",
            responsible_person="某某",
            content="建设内容",
            performance_targets="绩效目标",
            total_investment=investment,
            stage=stage,
            planned_start_on=start,
            planned_completion_on=start + dt.timedelta(days=180),
            planned_midpoint_on=start + dt.timedelta(days=90),
            started_on=start if begun else None,
            completed_on=start + dt.timedelta(days=170) if done else None,
            allocated=investment,
            created_by=by,
        )

    in_batches((project(n) for n in range(projects)), Project)
    print(f"  {projects:,} projects ({time.perf_counter() - started:.0f} s)", flush=True)
    ids = list(Project.objects.order_by("pk").values_list("pk", "total_investment"))
    in_batches(
        (Allocation(project_id=pk, source_id=sources[pk % len(sources)], amount=inv) for pk, inv in ids), Allocation
    )
    per_project = entries // len(ids)
    paid: dict[int, Decimal] = {}

    def disbursements():
        for pk, investment in ids:
            share = (investment / per_project / 2).quantize(Decimal("0.01"))
            for k in range(per_project):
                paid[pk] = paid.get(pk, Decimal(0)) + share
                yield Disbursement(
                    project_id=pk,
                    source_id=sources[pk % len(sources)],
                    amount=share,
                    paid_on=today - dt.timedelta(days=k * 20),
                    voucher_no=f"记-{k}",
                    recorded_by=by,
                )

    in_batches(disbursements(), Disbursement)
    print(f"  {len(ids) * per_project:,} disbursement entries ({time.perf_counter() - started:.0f} s)", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:  # the totals projects.funds keeps, set in one statement
        cursor.execute(
            "UPDATE projects_project p SET disbursed = d.s FROM "
            "(SELECT project_id, SUM(amount) s FROM projects_disbursement GROUP BY project_id) d "
            "WHERE d.project_id = p.id"
        )


def populate_loans(loans: int, by, places: list[str], rng: random.Random) -> None:
    from django.utils import timezone

    from fupin.microcredit.models import Loan
    from fupin.registry.models import Household, Member

    started = time.perf_counter()
    households = loans // 3
    in_batches(
        (
            Household(
                household_no=f"B{n:09d}",
                region_id=rng.choice(places),
                household_attribute="01",
                main_cause="1",
                poverty_status=rng.choice(("exited", "exited", "not_exited", "removed")),
            )
            for n in range(households)
        ),
        Household,
    )
    rows = list(Household.objects.filter(household_no__startswith="B").values_list("pk", "region_id"))
    in_batches(
        (
            Member(
                household_id=pk,
                name="借款人",
                id_number=f"41{pk:016d}",
                sex="1",
                birth_date=dt.date(1975, 1, 1),
                relation_to_head="01",
            )
            for pk, _region in rows
        ),
        Member,
    )
    borrower = dict(Member.objects.filter(name="借款人").values_list("household_id", "pk"))
    today = timezone.localdate()

    def loan(n: int) -> Loan:
        pk, region = rows[n % len(rows)]
        issued = today - dt.timedelta(days=rng.randint(0, 1500))
        amount = Decimal(rng.choice((10000, 20000, 30000, 50000)))
        return Loan(
            household_id=pk,
            borrower_id=borrower[pk],
            region_id=region,
            bank="农村信用合作联社",
            contract_no=f"B{n:09d}",
            amount=amount,
            issued_on=issued,
            term_months=36,
            due_on=issued + dt.timedelta(days=1095),
            rate=Decimal("4.75"),
            subsidy_rate=Decimal(100),
            purpose="breeding",
            repaid=amount if rng.random() < 0.4 else Decimal(0),
            created_by=by,
        )

    in_batches((loan(n) for n in range(loans)), Loan)
    print(f"  {households:,} households, {loans:,} loans ({time.perf_counter() - started:.0f} s)", flush=True)


def report(client, label: str, url: str) -> float:
    for _ in range(WARM_UP):
        timed_get(client, url)
    ms = [timed_get(client, url) for _ in range(RUNS)]
    print(f"  {label:46s} {percentiles(ms)}", flush=True)
    return p95(ms)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--disbursements", type=int, default=1_000_000)
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import get_runner
    from django.utils import timezone

    from fupin.accounts.models import User
    from fupin.accounts.roles import Role
    from fupin.microcredit.models import Loan
    from fupin.projects.models import Disbursement, Project
    from fupin.regions.loader import load
    from fupin.regions.models import Region

    if connection.vendor != "postgresql":
        sys.exit("run with FUPIN_DATABASE_URL=postgresql://…: the target is for PostgreSQL")
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "bench_fupin_projects"
    settings.ALLOWED_HOSTS = ["testserver"]
    runner = get_runner(settings)(verbosity=0, interactive=False, keepdb=args.keep_db)
    old = runner.setup_databases(serialized_aliases=set())
    try:
        load(settings.FUPIN_REGION_SOURCE)
        province = User.objects.filter(username="bench_province").first() or User.objects.create_user(
            "bench_province",
            "Bench-Password-1",
            full_name="bench_province",
            role=Role.SYSTEM_ADMIN,
            region=Region.objects.get(code=PROVINCE),
            must_change_password=False,
        )
        rng = random.Random(6)  # noqa: S311 (synthetic data)
        places = villages()
        if not Project.objects.exists():
            print("generating projects …", flush=True)
            populate_projects(args.projects, args.disbursements, province, places, rng)
        if not Loan.objects.exists():
            print("generating loans …", flush=True)
            populate_loans(args.loans, province, places, rng)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"database      PostgreSQL {connection.pg_version // 10000}")
        print(
            f"ledger        {Project.objects.count():,} projects, {Disbursement.objects.count():,} disbursement "
            f"entries, {Loan.objects.count():,} loans, in {len(places):,} villages"
        )
        some = Project.objects.filter(level="village").order_by("pk").values_list("region_id", flat=True).first()
        city, county = some[:4], some[:6]
        year = timezone.localdate().year
        client = Client()
        client.force_login(province)
        print("\ndispatch table")
        worst = max(
            report(client, "province (a row per city)", "/projects/dispatch/"),
            report(client, f"province, plan year {year}", f"/projects/dispatch/?year={year}"),
            report(client, f"city {city}", f"/projects/dispatch/?region={city}"),
            report(client, f"county {county}", f"/projects/dispatch/?region={county}"),
        )
        print(f"  worst p95 {worst:.1f} ms (target ≤ 300 ms): {'met' if worst <= 300 else 'NOT met'}")
        print("\nledger behind a number")
        report(client, "province, late start, first page", "/projects/?region=41&flag=late_start")
        report(client, "province, fund sources", f"/projects/funds/?year={year}")
        print("\nmicrocredit figures")
        report(client, "province (a row per city)", "/microcredit/figures/")
        report(client, f"city {city}", f"/microcredit/figures/?region={city}")
        report(client, f"county {county}", f"/microcredit/figures/?region={county}")
        report(client, "province, overdue loans, first page", "/microcredit/?status=overdue")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()

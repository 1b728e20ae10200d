"""Benchmark: the registry at province scale on PostgreSQL — search, the household page, streaming export.

    FUPIN_DATABASE_URL=postgresql://… .venv/bin/python bench/registry_at_scale.py [--households 1000000] [--keep-db]

Generates the households in the counties of 驻马店市 (not timed; --keep-db keeps them for the next
run), then requests pages through Django's test client as users do, each request timed whole (query,
template, response): the list with each kind of search and filter, deep pages, and household pages —
as a city leader (every household) and as a county operator (one county's). Then streams
the person-list CSV export of the whole city, timing the first 1,000,000 people and the rest, and
sampling the process's resident memory as it goes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from harness import percentiles, setup_django, timed_get

CITY = "4117"
WARM_UP = 3


def resident_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def populate(households: int, by) -> None:
    from django.db import transaction

    from fupin.regions.models import Level, Region
    from fupin.registry.generator import Generator
    from fupin.registry.imports import load

    counties = list(
        Region.objects.filter(level=Level.COUNTY, code__startswith=CITY)
        .filter(code__in=Region.objects.filter(level=Level.VILLAGE).values("parent__parent"))
        .order_by("code")
        .values_list("code", flat=True)
    )
    started = time.perf_counter()
    for n, county in enumerate(counties):
        share = households // len(counties) + (1 if n < households % len(counties) else 0)
        generator = Generator(county, seed=n)
        done = 0
        while done < share:
            size = min(20_000, share - done)
            rows = [row for _ in range(size) for row in generator.household()]
            with transaction.atomic():
                errors, _summary = load(rows, by, reason="bench")
            assert not any(errors), next(e for e in errors if e)
            done += size
        print(f"  {county}: {share:,} households ({time.perf_counter() - started:.0f} s)", flush=True)


def requests(region: str) -> dict[str, list[str]]:
    """The URLs of each kind, drawn at random from the households of `region`."""
    from urllib.parse import urlencode

    from fupin.registry.models import Household, Member

    members = Member.objects.filter(household__region__code__startswith=region)
    members = list(members.order_by("?").values_list("name", "id_number")[:40])
    households = Household.objects.filter(region__code__startswith=region)
    households = list(households.order_by("?").values_list("pk", "household_no", "region_id")[:40])
    township, county = households[0][2][:9], households[0][2][:6]

    def search(**params) -> str:
        return "/households/?" + urlencode(params)

    return {
        "list, first page": [search()] * 10,
        "list, page 200": [search(page=200)] * 10,
        "name": [search(q=name) for name, _id in members[:20]],
        "full ID number": [search(q=number) for _name, number in members[:20]],
        "part of an ID number (8 digits)": [search(q=number[10:18]) for _name, number in members[20:40]],
        "household number": [search(q=no) for _pk, no, _r in households[:20]],
        "status + cause + sort by income": [
            search(status="exited", cause=cause, sort="-net_income_per_capita") for cause in ("1", "2", "5", "7") * 5
        ],
        "township": [search(region=township, sort="head_name")] * 10,
        "county": [search(region=county)] * 10,
        "household page": [f"/households/{pk}/" for pk, _no, _r in households],
    }


def measure(client, label: str, kinds: dict[str, list[str]]) -> None:
    print(f"\n{label}")
    every = []
    for kind, urls in kinds.items():
        for url in urls[:WARM_UP]:
            timed_get(client, url)
        ms = [timed_get(client, url) for url in urls]
        every += ms
        print(f"  {kind:34s} {percentiles(ms)}")
    print(f"  {'all requests':34s} {percentiles(every)}")


def export(client, region: str) -> None:
    before = resident_mb()
    peak = before
    started = time.perf_counter()
    response = client.get(f"/households/export.csv?region={region}")
    lines = 0
    at_million = None
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        if at_million is None and lines > 1_000_000:
            at_million = time.perf_counter() - started
        if lines % 50_000 < 5:
            peak = max(peak, resident_mb())
    seconds = time.perf_counter() - started
    print("\nexport (CSV, streamed)")
    print(f"  people                   {lines - 1:,}")
    print(f"  first 1,000,000 people   {at_million:.1f} s" if at_million else "  fewer than 1,000,000 people")
    print(f"  all                      {seconds:.1f} s  ({(lines - 1) / seconds:,.0f} people/s)")
    print(f"  resident memory          {before:,.0f} MB before, {peak:,.0f} MB at most while streaming")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import get_runner

    from fupin.accounts.models import User
    from fupin.accounts.roles import Role
    from fupin.regions.loader import load
    from fupin.regions.models import Region
    from fupin.registry.models import Household, Member

    if connection.vendor != "postgresql":
        sys.exit("run with FUPIN_DATABASE_URL=postgresql://…: the target is for PostgreSQL")
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "bench_fupin_scale"
    settings.ALLOWED_HOSTS = ["testserver"]
    runner = get_runner(settings)(verbosity=0, interactive=False, keepdb=args.keep_db)
    # no serialized copy of the database for test rollback: that would read all 4 million rows first
    old = runner.setup_databases(serialized_aliases=set())
    try:
        load(settings.FUPIN_REGION_SOURCE)

        def user(username: str, role: str, region: str) -> User:
            return User.objects.filter(username=username).first() or User.objects.create_user(
                username,
                "Bench-Password-1",
                full_name=username,
                role=role,
                region=Region.objects.get(code=region),
                must_change_password=False,
            )

        city = user("bench_city", Role.LEADER, CITY)
        have = Household.objects.count()
        if have < args.households:
            print(f"generating {args.households - have:,} households …", flush=True)
            populate(args.households - have, city)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        county = Household.objects.order_by("pk").values_list("region_id", flat=True).first()[:6]
        county_operator = user("bench_county", Role.COUNTY_OPERATOR, county)
        print(f"database      PostgreSQL {connection.pg_version // 10000}")
        print(f"households    {Household.objects.count():,}   people {Member.objects.count():,}")
        for who, region, label in (
            (city, CITY, f"city leader ({CITY}, every household)"),
            (county_operator, county, f"county operator ({county}, one county's households)"),
        ):
            client = Client()
            client.force_login(who)
            measure(client, label, requests(region))
        client = Client()
        client.force_login(city)
        export(client, CITY)
    finally:
        runner.teardown_databases(old)  # kept with --keep-db


if __name__ == "__main__":
    main()

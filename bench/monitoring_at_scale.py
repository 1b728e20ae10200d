"""Benchmark: monitoring at province scale on PostgreSQL — the system screening job and the lists.

    FUPIN_DATABASE_URL=postgresql://… .venv/bin/python bench/monitoring_at_scale.py [--households 1000000] [--keep-db]

Uses the 10^6-household database of `registry_at_scale.py` (generated when missing; --keep-db keeps
it), marks 5 % of the households as monitored (every twentieth, with categories and risk types) and
sets the monitoring lines. Then:

- the system screening of the whole city (11 counties) as its job runs it, three times, each after
  the clues of the run before are removed: seconds, clues written, peak resident memory; and a run
  over the clues left in place (restarted: it adds nothing);
- the monitored-household lists through the test client as a city leader and a county operator:
  the household list filtered to monitored, by category and by risk type; the clue list; the
  monitoring figures by region; p50 and p95 of whole requests.

Targets (issue 27): screening ≤ 2 minutes, memory bounded; the monitored list p95 ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from decimal import Decimal

from harness import percentiles, setup_django, timed_get

CITY = "4117"
SHARE = 20  # one household in twenty is monitored
RISKS = [["01"], ["03"], ["01", "07"], ["0201"], ["09"], ["05", "10"], ["06"], ["04"], ["11"], ["01", "03"]]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def monitor_every_twentieth(by) -> int:
    from django.db import connection, transaction
    from django.utils import timezone

    from fupin.monitoring.models import MonitoringCase

    MonitoringCase.objects.filter(note="bench").delete()  # made again: the same rows each run
    today = timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        # One statement: the rows a county would have after migrating its monitored list.
        cursor.execute(
            """
            INSERT INTO monitoring_monitoringcase
              (household_id, region_id, category, risks, identified_on, channel, no_labour_support, status,
               eliminated_on, elimination_route, note, continuing, created_by_id, created_at)
            SELECT h.id, h.region_id, (ARRAY['1','1','2','3'])[1 + (h.id / %s) %% 4],
                   %s::jsonb -> ((h.id / %s) %% 10)::int, %s::date - ((h.id / %s) %% 300)::int, 'national_list', false,
                   'monitoring', NULL, '', 'bench', '[]'::jsonb, %s, now()
            FROM registry_household h WHERE h.id %% %s = 0
            """,
            [SHARE, json.dumps(RISKS), SHARE, today, SHARE, by.pk, SHARE],
        )
    return MonitoringCase.objects.count()


def set_lines(by) -> None:
    from django.utils import timezone

    from fupin.policy.models import PolicyValue

    for year in range(2021, timezone.localdate().year + 1):
        PolicyValue.objects.get_or_create(
            name="monitoring_line", region_code="41", year=year, defaults={"value": Decimal("8300"), "changed_by": by}
        )


def clear_system_clues() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM monitoring_historicalclue WHERE channel = 'system'")
        cursor.execute("DELETE FROM monitoring_clue WHERE channel = 'system'")


def screen_once(by) -> tuple[float, dict]:
    from fupin.monitoring import screening

    started = time.perf_counter()
    counts = screening.screen(by=by, region_code=CITY)
    return time.perf_counter() - started, counts


def lists(region: str) -> dict[str, list[str]]:
    county = region if len(region) == 6 else None
    suffix = f"&region={county}" if county else ""
    return {
        "monitored households (list)": [f"/monitoring/cases/?{suffix[1:]}"] * 10,
        "monitored households, page 50": [f"/monitoring/cases/?page=50{suffix}"] * 10,
        "monitored households, 边缘易致贫户": [f"/monitoring/cases/?category=2{suffix}"] * 10,
        "monitored households, risk 因病": [f"/monitoring/cases/?risk=01{suffix}"] * 10,
        "households, monitored": [f"/households/?monitoring=monitoring{suffix}"] * 10,
        "households, monitored, page 50": [f"/households/?monitoring=monitoring&page=50{suffix}"] * 10,
        "households, category 边缘易致贫户": [f"/households/?monitoring_category=2{suffix}"] * 10,
        "households, risk 因病": [f"/households/?risk=01{suffix}"] * 10,
        "clue list (open, overdue first)": ["/monitoring/clues/"] * 10,
        "clue list, page 20": ["/monitoring/clues/?page=20"] * 10,
        "monitoring by region": ["/monitoring/figures/"] * 5,
    }


def measure(client, label: str, kinds: dict[str, list[str]]) -> None:
    print(f"\n{label}")
    for kind, urls in kinds.items():
        timed_get(client, urls[0])
        print(f"  {kind:38s} {percentiles([timed_get(client, url) for url in urls])}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import get_runner

    from fupin.accounts.models import User
    from fupin.accounts.roles import Role
    from fupin.monitoring.models import Clue
    from fupin.regions.loader import load
    from fupin.regions.models import Region
    from fupin.registry.models import Household

    if connection.vendor != "postgresql":
        sys.exit("run with FUPIN_DATABASE_URL=postgresql://…: the target is for PostgreSQL")
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "bench_fupin_scale"
    settings.ALLOWED_HOSTS = ["testserver"]
    runner = get_runner(settings)(verbosity=0, interactive=False, keepdb=args.keep_db)
    old = runner.setup_databases(serialized_aliases=set())
    try:
        if not Region.objects.exists():
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
            from registry_at_scale import populate

            print(f"generating {args.households - have:,} households …", flush=True)
            populate(args.households - have, city)
        set_lines(city)
        monitored = monitor_every_twentieth(city)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SHOW fsync")
            fsync = cursor.fetchone()[0]
        county = Household.objects.order_by("pk").values_list("region_id", flat=True).first()[:6]
        county_operator = user("bench_county", Role.COUNTY_OPERATOR, county)
        print(f"database      PostgreSQL {connection.pg_version // 10000}, fsync {fsync}")
        print(f"households    {Household.objects.count():,}   monitored {monitored:,}")

        print("\nsystem screening of the city (11 counties)")
        seconds = []
        for run in range(args.runs):
            clear_system_clues()
            took, counts = screen_once(city)
            seconds.append(took)
            rules = ", ".join(f"{k} {v:,}" for k, v in counts.items() if k not in ("clues", "skipped"))
            print(
                f"  run {run + 1}: {took:6.1f} s   clues {counts['clues']:,}   ({rules})   peak RSS {peak_mb():,.0f} MB",
                flush=True,
            )
        print(f"  median {statistics.median(seconds):.1f} s (spread {min(seconds):.1f}–{max(seconds):.1f} s)")
        took, counts = screen_once(city)
        print(
            f"  again over the clues left in place: {took:.1f} s, clues {counts['clues']:,} (restartable: adds nothing)"
        )
        print(f"  open clues now {Clue.objects.filter(state__in=['received', 'checking', 'in_procedure']).count():,}")

        for who, region, label in (
            (city, CITY, f"city leader ({CITY})"),
            (county_operator, county, f"county operator ({county})"),
        ):
            client = Client()
            client.force_login(who)
            measure(client, label, lists(region))
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()

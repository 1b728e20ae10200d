"""Benchmark: load the whole national hierarchy (665,276 regions) into an empty database.

    .venv/bin/python bench/load_regions.py                 # SQLite, in a temporary folder
    FUPIN_DATABASE_URL=postgresql://… .venv/bin/python bench/load_regions.py --keep-db

Baseline (setup-notes.md §3, same machine kind): the same 665,276 nodes into a treebeard MP_Node
model with bulk_create took 14.5 s on SQLite and 17.2 s on PostgreSQL, plus 7 s of CSV parsing and
path building: 21.5 s and 24.2 s end to end.
"""

from __future__ import annotations

import sys
import time

from harness import setup_django

BASELINE_SECONDS = {"sqlite": 21.5, "postgresql": 24.2}


def main() -> None:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import get_runner

    runner = get_runner(settings)(verbosity=0, keepdb="--keep-db" in sys.argv)
    old = runner.setup_databases(serialized_aliases=set())  # a throw-away database, never the real one
    try:
        call_command("migrate", verbosity=0)
        from fupin.regions.loader import load

        started = time.perf_counter()
        result = load(settings.FUPIN_REGION_SOURCE, force=True)
        seconds = time.perf_counter() - started
        total = sum(result.counts.values())
        vendor = connection.vendor
        print(f"database            {vendor}")
        print(f"regions loaded      {total:,}  {dict(sorted(result.counts.items()))}")
        print(f"seconds             {seconds:.1f}")
        print(f"regions per second  {total / seconds:,.0f}")
        print(f"ratio to baseline   {seconds / BASELINE_SECONDS[vendor]:.2f}  (baseline {BASELINE_SECONDS[vendor]} s)")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()

"""Benchmark: import households from an .xlsx in the national person-list format.

    .venv/bin/python bench/import_households.py [--households 100000]          # SQLite, temporary folder
    FUPIN_DATABASE_URL=postgresql://… .venv/bin/python bench/import_households.py
    .venv/bin/python bench/import_households.py --files 10                      # linearity to 10^6

It generates the households (not timed), writes them as the national export (not timed), then times
the whole import as a user runs it: read, parse and check every row, keep the batch, commit in one
transaction (history rows included). The raw baseline then loads the rows that import wrote (the
households, members and income records, and their history) into the same tables, emptied, by the
fastest raw path (executemany on SQLite, COPY on PostgreSQL), its foreign keys checked as committing
would check them, and rolls them back; it prints each table's time, and the ratio without the history
tables too.
Peak memory is the process's maximum resident set size. Each phase's steps are printed with the time
the batch page showed them (fupin/jobs/progress.py).

BENCH_PROFILE=check or commit profiles that phase (cProfile, sorted by BENCH_SORT, tottime by
default); BENCH_SORT=queries lists the phase's slowest statements instead (COPY not included).

With --files N it imports N such files one after another, each a different county of 驻马店市 (a file
holds at most 50 MB, about 130,000 households, so 10^6 households arrive as several files): the
registry grows to N × the households, and the total is compared with N × the first file's time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import threading
import time
from pathlib import Path

from harness import setup_django

COUNTY = "411723"
CITY = "4117"
DATA_DATE = dt.date(2025, 12, 31)  # the national list's data date, asked on its upload


def counties(n: int) -> list[str]:
    """`n` counties of the city that have villages, the benchmark's county first."""
    from fupin.regions.models import Level, Region

    codes = Region.objects.filter(level=Level.COUNTY, code__startswith=CITY)
    codes = codes.filter(code__in=Region.objects.filter(level=Level.VILLAGE).values("parent__parent"))
    others = [c for c in codes.order_by("code").values_list("code", flat=True) if c != COUNTY]
    if n > len(others) + 1:
        sys.exit(f"--files {n}: the city has {len(others) + 1} counties with villages")
    return [COUNTY, *others][:n]


def write_national_xlsx(path: Path, households: int, county: str = COUNTY) -> int:
    from openpyxl import Workbook

    from fupin.codes.catalogue import label
    from fupin.codes.models import Kind
    from fupin.regions.models import Region
    from fupin.registry.exports import HEADERS
    from fupin.registry.generator import Generator

    names = dict(Region.objects.filter(code__startswith=county).values_list("code", "name"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    sheet.append(HEADERS)
    rows = 0
    generator = Generator(county, seed=1)
    for _ in range(households):
        members = generator.household()
        head = members[0]
        village = head["region_id"]
        for m in members:
            sheet.append(
                [
                    names[village[:6]],
                    names[village[:9]],
                    names[village],
                    head["group_name"],
                    m["household_no"],
                    "",
                    m["name"],
                    m["id_number"],
                    len(members),
                    label(Kind.RELATION_TO_HEAD, m["relation_to_head"]),
                    label(Kind.ETHNICITY, m["ethnicity"]),
                    label(Kind.EDUCATION, m["education"]),
                    label(Kind.SCHOOL_STATUS, m["school_status"]),
                    "、".join(label(Kind.HEALTH_STATUS, h) for h in m["health_status"]),
                    label(Kind.LABOUR_SKILL, m["labour_skill"]),
                    m["work_months"] or "",
                    "是",
                    label(Kind.POVERTY_CAUSE, head["main_cause"]),
                    "否",
                    "是",
                    "",
                    head["phone"],
                    head["first_identified_on"].isoformat(),
                    "",
                    label(Kind.HOUSEHOLD_ATTRIBUTE, head["household_attribute"]),
                    head["exit_year"] or "",
                ]
            )
            rows += 1
    workbook.save(path)
    return rows


def _write_in_child(path: Path, households: int, county: str) -> int:
    """Write the file in a forked process, so that the peak memory printed is the import's own."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # the child opens its own connection
    rows = multiprocessing.get_context("fork").Value("q", 0)

    def write() -> None:
        rows.value = write_national_xlsx(path, households, county)
        connections.close_all()

    child = multiprocessing.get_context("fork").Process(target=write)
    child.start()
    child.join()
    assert child.exitcode == 0, "writing the file failed"
    return rows.value


def _written_tables() -> list[str]:
    """Every table an import of new households writes: the records and their history."""
    from fupin.registry.models import Household, IncomeRecord, Member

    return [m._meta.db_table for model in (Household, Member, IncomeRecord) for m in (model, model.history.model)]


def raw_baseline(households: int) -> dict[str, float]:
    """The rows the first file's import wrote, loaded again by the fastest raw path; seconds per table.

    Run right after the first file, when the tables hold its rows and nothing else: their rows are
    read out (not timed), the tables emptied, the rows written back (COPY of the very text PostgreSQL
    gave out; executemany of the very tuples SQLite gave out) and their foreign keys checked as
    committing would check them, then all of it is rolled back. The tables are as empty as the import
    found them, and on PostgreSQL the rolled-back TRUNCATE leaves no dead rows behind.
    """
    from django.db import connection, transaction

    from fupin.registry.models import Household

    assert Household.objects.count() == households, "the registry holds more than the first file"
    tables = _written_tables()
    q = connection.ops.quote_name
    seconds: dict[str, float] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            saved = {}
            for table in tables:
                with cursor.cursor.copy(f"COPY {q(table)} TO STDOUT") as copy:
                    saved[table] = [bytes(block) for block in copy]
            cursor.execute(f"TRUNCATE {', '.join(map(q, tables))} CASCADE")
            for table in tables:
                started = time.perf_counter()
                with cursor.cursor.copy(f"COPY {q(table)} FROM STDIN") as copy:
                    for block in saved.pop(table):
                        copy.write(block)
                seconds[table] = time.perf_counter() - started
            started = time.perf_counter()
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred until commit otherwise
            seconds["foreign keys"] = time.perf_counter() - started
        else:
            saved = {}
            for table in tables:
                cursor.execute(f"SELECT * FROM {q(table)}")
                saved[table] = (len(cursor.description), cursor.fetchall())
            for table in reversed(tables):
                cursor.execute(f"DELETE FROM {q(table)}")
            for table in tables:  # SQLite looks each foreign key up as it inserts
                width, rows = saved.pop(table)
                started = time.perf_counter()
                cursor.executemany(f"INSERT INTO {q(table)} VALUES ({', '.join(['%s'] * width)})", rows)
                seconds[table] = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def print_baseline(seconds: dict[str, float], import_seconds: float) -> None:
    from django.db import connection

    total = sum(seconds.values())
    records = sum(s for table, s in seconds.items() if not table.startswith("registry_historical"))
    path = "COPY" if connection.vendor == "postgresql" else "executemany"
    print(f"raw baseline          {total:.1f} s  ({path} of the rows the import wrote, into the same tables)")
    print("  " + ", ".join(f"{table} {s:.1f} s" for table, s in seconds.items()))
    print(f"ratio to raw          {import_seconds / total:.1f}x")
    print(f"  without the history tables: raw {records:.1f} s, {import_seconds / records:.1f}x")


def _run(profiled: bool, function, **kwargs):
    if not profiled:
        return function(**kwargs)
    if os.environ.get("BENCH_SORT") == "queries":
        return _queries_timed(function, **kwargs)
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    result = profiler.runcall(function, **kwargs)
    pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(45)
    return result


def _queries_timed(function, **kwargs):
    """Run `function`, then print its statements that took longest (BENCH_SORT=queries)."""
    from django.db import connection

    timings = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(timed):
        result = function(**kwargs)
    print(f"{len(timings)} statements, {sum(t for t, _sql in timings):.1f} s in all")
    for seconds, sql in sorted(timings, reverse=True)[:15]:
        print(f"{seconds:6.2f} s  {sql[:150]}")
    return result


class StepWatch:
    """How long each step of an import job showed on its page, watched as the page does (from the
    cache, here every 0.1 s); printed as each step's share of the job."""

    def __init__(self, batch_id: int):
        self.batch_id = batch_id
        self.seconds: dict[str, float] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        from fupin.jobs import progress

        last, since = None, time.perf_counter()
        while not self.done.wait(0.1):
            shown = progress.of(self.batch_id)
            now = time.perf_counter()
            if shown is not None and shown.step != last:
                if last is not None:
                    self.seconds[last] = self.seconds.get(last, 0) + now - since
                last, since = shown.step, now
        if last is not None:
            self.seconds[last] = self.seconds.get(last, 0) + time.perf_counter() - since

    def __enter__(self):
        from fupin.jobs import progress

        self.job = progress.running(self.batch_id)  # the batch id stands in for a job id: only a key
        self.job.__enter__()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()
        self.job.__exit__(*exc)

    def print(self, phase: str) -> None:
        total = sum(self.seconds.values()) or 1
        steps = ", ".join(f"{step} {s:.1f} s ({100 * s / total:.0f}%)" for step, s in self.seconds.items())
        print(f"  {phase} steps: {steps}")


def import_one(county: str, households: int) -> float:
    """Write one county's file (not timed), import it as the county's administrator; the seconds taken."""
    from fupin.accounts.models import User
    from fupin.accounts.roles import Role
    from fupin.regions.models import Region
    from fupin.transfer import pipeline
    from fupin.transfer.spec import get_spec

    user = User.objects.create_user(
        f"bench{county}",
        "Bench-Password-1",
        full_name="bench",
        role=Role.COUNTY_OPERATOR,
        region=Region.objects.get(code=county),
    )
    path = Path(os.environ["FUPIN_VAR_DIR"]) / f"national-{county}.xlsx"
    rows = _write_in_child(path, households, county)
    content = path.read_bytes()
    path.unlink()

    profile = os.environ.get("BENCH_PROFILE", "")
    started = time.perf_counter()
    spec = get_spec("households_national")
    batch = pipeline.receive(spec=spec, filename=path.name, content=content, by=user, data_date=DATA_DATE)
    megabytes = len(content) / 2**20
    del content  # as the upload's request ends before the job reads the stored file
    with StepWatch(batch.pk) as checking:
        batch = _run(profile == "check", pipeline.check, batch=batch)
    checked = time.perf_counter()
    assert batch.error_count == 0 and not batch.file_errors, (
        batch.file_errors,
        list(batch.rows.exclude(errors={}).values_list("errors", flat=True)[:5]),
    )
    with StepWatch(batch.pk) as committing:
        summary = _run(profile == "commit", pipeline.commit, batch=batch, by=user)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\ncounty {county}")
    print(
        f"households / people   {summary['households_created']:,} / {summary['members_created']:,} ({rows:,} rows, {megabytes:.0f} MB .xlsx)"
    )
    print(f"read and check        {checked - started:.1f} s")
    print(f"commit                {seconds - (checked - started):.1f} s")
    print(f"import total          {seconds:.1f} s  ({rows / seconds:,.0f} rows/s)")
    print(f"peak memory           {peak_mb:,.0f} MB (the importing process; a child wrote the file)")
    checking.print("check")
    committing.print("commit")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000, help="households per file")
    parser.add_argument("--files", type=int, default=1)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import get_runner

    from fupin.regions.loader import load
    from fupin.registry.models import Household

    settings.FUPIN_IMPORT_MAX_BYTES = 500 * 1024 * 1024
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "bench_fupin"  # not the tests' database
    # PostgreSQL: a throw-away test database. SQLite: the default file in the temporary folder, as a
    # deployment has it (a test database would live in memory).
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases(serialized_aliases=set()) if connection.vendor == "postgresql" else None
    try:
        call_command("migrate", verbosity=0)
        load(settings.FUPIN_REGION_SOURCE, force=True)
        print(f"database              {connection.vendor}")
        times = []
        for county in counties(args.files):
            seconds = import_one(county, args.households)
            times.append(seconds)
            if len(times) == 1:
                print_baseline(raw_baseline(args.households), seconds)
            sys.stdout.flush()
        if len(times) > 1:
            total = sum(times)
            print(f"\n{len(times)} files, {Household.objects.count():,} households in the registry")
            print(f"all files             {total:.1f} s = {total / times[0]:.1f} × the first file")
            print(f"each file             {', '.join(f'{t:.1f}' for t in times)} s")
            # The first file alone is a noisy yardstick on a shared machine; the fitted line shows the
            # growth itself: how much longer each file takes than the one before.
            slope, intercept = statistics.linear_regression(range(len(times)), times)
            print(
                f"fitted growth         {slope:+.2f} s per file ({100 * slope / intercept:+.1f}% of the fitted first)"
            )
            print(f"peak memory           {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    finally:
        if old is not None:
            runner.teardown_databases(old)


if __name__ == "__main__":
    main()

"""Benchmark: import households from an .xlsx in the national person-list format.

    .venv/bin/python bench/import_households.py [--households 100000]          # SQLite, temporary folder
    FUPIN_DATABASE_URL=postgresql://… .venv/bin/python bench/import_households.py
    .venv/bin/python bench/import_households.py --files 10                      # linearity to 10^6

It generates the households (not timed), writes them as the national export (not timed), then times
the whole import as a user runs it: read, parse and check every row, keep the batch, commit in one
transaction (history rows included). The raw baseline loads the same household and member rows into
the same tables by the fastest raw path (executemany on SQLite, COPY on PostgreSQL), its foreign keys
checked as committing would check them, then removes them.
Peak memory is the process's maximum resident set size. Each phase's steps are printed with the time
the batch page showed them (fupin/transfer/progress.py).

BENCH_PROFILE=check or commit profiles that phase (cProfile, sorted by BENCH_SORT, tottime by
default); BENCH_SORT=queries lists the phase's slowest statements instead (COPY not included).

With --files N it imports N such files one after another, each a different county of 驻马店市 (a file
holds at most 50 MB, about 130,000 households, so 10^6 households arrive as several files): the
registry grows to N × the households, and the total is compared with N × the first file's time.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from pathlib import Path

from harness import setup_django

COUNTY = "411723"
CITY = "4117"


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


def raw_baseline(households: int) -> float:
    """The same rows into the same tables by the fastest raw path; returns seconds, then removes them."""
    from django.db import connection, transaction

    from fupin.registry.generator import Generator
    from fupin.registry.id_numbers import birth_date, sex

    generator = Generator(COUNTY, seed=2)
    house_rows, member_rows = [], []
    for h in range(households):
        members = generator.household()
        head = members[0]
        house_rows.append(
            (
                h + 10_000_000,
                f"RAW{h}",
                head["region_id"],
                head["name"],
                len(members),
                head["household_attribute"],
                head["main_cause"],
            )
        )
        for m in members:
            member_rows.append(
                (
                    h + 10_000_000,
                    m["name"],
                    m["id_number"],
                    sex(m["id_number"]),
                    birth_date(m["id_number"]).isoformat(),
                    m["relation_to_head"],
                )
            )
    house_cols = "id, household_no, region_id, head_name, size, household_attribute, main_cause"
    member_cols = "household_id, name, id_number, sex, birth_date, relation_to_head"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            extra_h = ", group_name, address, phone, bank_name, bank_account, identification_standard, other_cause_1, other_cause_2, cause_note, poverty_status, removal_reason, is_relocated, relocation_mode, resettlement_type, resettlement_site, access_road_type, housing_grade, main_fuel, created_at, updated_at"
            with cursor.copy(f"COPY registry_household ({house_cols}{extra_h}) FROM STDIN") as copy:
                for row in house_rows:
                    copy.write_row(
                        (
                            *row,
                            "",
                            "",
                            "",
                            "",
                            "",
                            "1",
                            "",
                            "",
                            "",
                            "exited",
                            "",
                            False,
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "now",
                            "now",
                        )
                    )
            extra_m = ", document_type, ethnicity, political_status, education, school_status, health_status, labour_skill, work_status, work_place, receives_dibao, receives_tekun, is_serving_soldier, dropout_reason, public_welfare_post, is_relocated_person, phone, leave_reason, created_at, updated_at"
            with cursor.copy(f"COPY registry_member ({member_cols}{extra_m}) FROM STDIN") as copy:
                for row in member_rows:
                    copy.write_row(
                        (
                            *row,
                            "1",
                            "01",
                            "",
                            "",
                            "",
                            "[]",
                            "",
                            "",
                            "",
                            False,
                            False,
                            False,
                            "",
                            "",
                            False,
                            "",
                            "",
                            "now",
                            "now",
                        )
                    )
            # The foreign keys are checked at commit (INITIALLY DEFERRED); check them in the time,
            # as committing these rows would (SQLite looks them up as it inserts).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        else:
            now = "2026-01-01 00:00:00"
            cursor.executemany(
                f"INSERT INTO registry_household ({house_cols}, group_name, address, phone, bank_name, bank_account, identification_standard, other_cause_1, other_cause_2, cause_note, poverty_status, removal_reason, is_relocated, relocation_mode, resettlement_type, resettlement_site, access_road_type, housing_grade, main_fuel, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, '', '', '', '', '', '1', '', '', '', 'exited', '', 0, '', '', '', '', '', '', %s, %s)",
                [(*row, now, now) for row in house_rows],
            )
            cursor.executemany(
                f"INSERT INTO registry_member ({member_cols}, document_type, ethnicity, political_status, education, school_status, health_status, labour_skill, work_status, work_place, receives_dibao, receives_tekun, is_serving_soldier, dropout_reason, public_welfare_post, is_relocated_person, phone, leave_reason, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, '1', '01', '', '', '', '[]', '', '', '', 0, 0, 0, '', '', 0, '', '', %s, %s)",
                [(*row, now, now) for row in member_rows],
            )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


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
        from fupin.transfer import progress

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
        from fupin.transfer import progress

        self.job = progress.job(self.batch_id)
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
        role=Role.COUNTY_ADMIN,
        region=Region.objects.get(code=county),
    )
    path = Path(os.environ["FUPIN_VAR_DIR"]) / f"national-{county}.xlsx"
    rows = write_national_xlsx(path, households, county)
    content = path.read_bytes()
    path.unlink()

    profile = os.environ.get("BENCH_PROFILE", "")
    started = time.perf_counter()
    batch = pipeline.receive(spec=get_spec("households_national"), filename=path.name, content=content, by=user)
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
        f"households / people   {summary['households_created']:,} / {summary['members_created']:,} ({rows:,} rows, {len(content) / 2**20:.0f} MB .xlsx)"
    )
    print(f"read and check        {checked - started:.1f} s")
    print(f"commit                {seconds - (checked - started):.1f} s")
    print(f"import total          {seconds:.1f} s  ({rows / seconds:,.0f} rows/s)")
    print(f"peak memory           {peak_mb:,.0f} MB (whole process, generation included)")
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
        baseline = raw_baseline(args.households)
        if connection.vendor == "postgresql":
            # Rolled back, the baseline's rows stay in the tables and indexes as dead entries until
            # vacuumed: the first file, the yardstick of linearity, would pay for them.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE registry_household, registry_member")
        print(f"database              {connection.vendor}")
        print(
            f"raw baseline          {baseline:.1f} s  ({'COPY' if connection.vendor == 'postgresql' else 'executemany'}, same rows and tables, one file's worth)"
        )
        times = []
        for county in counties(args.files):
            seconds = import_one(county, args.households)
            times.append(seconds)
            print(f"ratio to raw          {seconds / baseline:.1f}x", flush=True)
        if len(times) > 1:
            total = sum(times)
            print(f"\n{len(times)} files, {Household.objects.count():,} households in the registry")
            print(f"all files             {total:.1f} s = {total / times[0]:.1f} × the first file")
            print(f"peak memory           {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    finally:
        if old is not None:
            runner.teardown_databases(old)


if __name__ == "__main__":
    main()

"""Benchmark: import households from an .xlsx in the national person-list format.

    .venv/bin/python bench/import_households.py [--households 100000]          # SQLite, temporary folder
    FUPIN_DATABASE_URL=postgresql://… .venv/bin/python bench/import_households.py

It generates the households (not timed), writes them as the national export (not timed), then times
the whole import as a user runs it: read, parse and check every row, keep the batch, commit in one
transaction (history rows included). The raw baseline loads the same household and member rows into
the same tables by the fastest raw path (executemany on SQLite, COPY on PostgreSQL), then removes them.
Peak memory is the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

COUNTY = "411723"


def write_national_xlsx(path: Path, households: int) -> int:
    from openpyxl import Workbook

    from fupin.codes.catalogue import label
    from fupin.codes.models import Kind
    from fupin.regions.models import Region
    from fupin.registry.exports import HEADERS
    from fupin.registry.generator import Generator

    names = dict(Region.objects.filter(code__startswith=COUNTY).values_list("code", "name"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    sheet.append(HEADERS)
    rows = 0
    generator = Generator(COUNTY, seed=1)
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
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    result = profiler.runcall(function, **kwargs)
    pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "tottime")).print_stats(45)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("FUPIN_VAR_DIR", tempfile.mkdtemp(prefix="fupin-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import get_runner

    from fupin.accounts.models import User
    from fupin.accounts.roles import Role
    from fupin.regions.loader import load
    from fupin.regions.models import Region
    from fupin.transfer import pipeline
    from fupin.transfer.spec import get_spec

    settings.FUPIN_IMPORT_MAX_BYTES = 500 * 1024 * 1024
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "bench_fupin"  # not the tests' database
    # PostgreSQL: a throw-away test database. SQLite: the default file in the temporary folder, as a
    # deployment has it (a test database would live in memory).
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases() if connection.vendor == "postgresql" else None
    try:
        call_command("migrate", verbosity=0)
        load(settings.FUPIN_REGION_SOURCE, force=True)
        user = User.objects.create_user(
            "bench",
            "Bench-Password-1",
            full_name="bench",
            role=Role.COUNTY_ADMIN,
            region=Region.objects.get(code=COUNTY),
        )
        path = Path(os.environ["FUPIN_VAR_DIR"]) / "national.xlsx"
        rows = write_national_xlsx(path, args.households)
        content = path.read_bytes()
        baseline = raw_baseline(args.households)

        profile = os.environ.get("BENCH_PROFILE", "")
        started = time.perf_counter()
        batch = _run(
            profile == "check",
            pipeline.stage,
            spec=get_spec("households_national"),
            filename=path.name,
            content=content,
            by=user,
        )
        checked = time.perf_counter()
        assert batch.error_count == 0 and not batch.file_errors, (
            batch.file_errors,
            list(batch.rows.exclude(errors={}).values_list("errors", flat=True)[:5]),
        )
        summary = _run(profile == "commit", pipeline.commit, batch=batch, by=user)
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"database              {connection.vendor}")
        print(
            f"households / people   {summary['households_created']:,} / {summary['members_created']:,} ({rows:,} rows, {len(content) / 2**20:.0f} MB .xlsx)"
        )
        print(f"read and check        {checked - started:.1f} s")
        print(f"commit                {seconds - (checked - started):.1f} s")
        print(f"import total          {seconds:.1f} s  ({rows / seconds:,.0f} rows/s)")
        print(f"peak memory           {peak_mb:,.0f} MB (whole process, generation included)")
        print(
            f"raw baseline          {baseline:.1f} s  ({'COPY' if connection.vendor == 'postgresql' else 'executemany'}, same rows and tables)"
        )
        print(f"ratio to raw          {seconds / baseline:.1f}x")
    finally:
        if old is not None:
            runner.teardown_databases(old)


if __name__ == "__main__":
    main()

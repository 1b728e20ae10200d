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
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook

from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.jobs import progress
from fupin.lib import bulk, masking
from fupin.lib.xlsx import safe_row

from . import parsed as parsed_rows
from . import reading
from .models import ImportBatch, ImportRow
from .spec import Row, RowErrors, SheetSpec, Source, get_spec, normalize_header, row_type

log = logging.getLogger(__name__)
ERROR_HEADER = "错误说明"
PREVIEW_ROWS = 20  # rows kept for the batch's page besides those with errors


def check_size(size: int, limit: int | None = None) -> None:
    limit = limit or settings.FUPIN_IMPORT_MAX_BYTES
    if size > limit:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})


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
HEADER_CELL_CHARS = 100  # a header cell is kept (batch.header) to this length: no column is named longer


def find_header(spec: SheetSpec, rows: Iterator[list[str]]) -> tuple[int, list[str], Iterator[list[str]]]:
    """Where the header is (the row among the first few that names the most of the sheet's columns: a
    national export has its list's title above it), the header, and the rows below it as they come."""
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    if not head:
        return 0, [], iter(())
    keys = {normalize_header(name) for c in spec.columns for name in (c.header, *c.aliases)}
    scores = [sum(normalize_header(text) in keys for text in row) for row in head]
    start = max(range(len(scores)), key=lambda i: (scores[i], -i))
    return start, head[start], chain(head[start + 1 :], rows)


def canonical_headers(spec: SheetSpec, header: list[str]) -> list[str]:
    """The spec's header for each uploaded column (which row errors are labelled with), "" for extras."""
    positions, _errors = resolve_header(spec, header)
    names = {c.key: c.header for c in spec.columns}
    by_position = {i: names[key] for key, i in positions.items()}
    return [by_position.get(i, "") for i in range(len(header))]


REMEMBERED_TEXTS = 4096  # per column, while one file is parsed
PROGRESS_EVERY = 2000  # rows
KEPT_ERROR_ROWS = 10_000  # rows with errors whose cells the batch keeps for its page (all are in the report)


@dataclass
class Parsed:
    """A file's rows parsed: their values, their errors, and the cells kept for the batch's page (the
    first PREVIEW_ROWS rows and the first KEPT_ERROR_ROWS rows with errors, by row index)."""

    values: list[Row] = field(default_factory=list)
    errors: list[RowErrors] = field(default_factory=list)
    cells: dict[int, list[str]] = field(default_factory=dict)


def _parse_rows(
    spec: SheetSpec, positions: dict[str, int], body: Iterable[list[str]], position: Callable[[], tuple[int, int]]
) -> Parsed:
    """Each row's parsed values and parsing errors, a row at a time as the file is read.

    Most columns repeat a few texts (code labels, 是/否, years), so each column keeps what its first
    distinct texts parsed to: cell parsers depend on the text alone, and a county's file has 10^7 cells.
    Rows with the same text share its value (as empty cells always shared theirs); nothing changes a
    parsed value in place. `position` says how far through the file the reading is, for the progress.
    """
    required = _("This field is required.")
    columns = [
        (c.key, positions.get(c.key), c.parse, c.required, None if c.required else c.parse(""), {})
        for c in spec.columns
    ]
    make = row_type([c.key for c in spec.columns])
    parsed = Parsed()
    kept_errors = 0
    for i, cells in enumerate(body):
        if not i % PROGRESS_EVERY:
            progress.advance(*position())
        row = []
        row_errors: RowErrors = {}
        size = len(cells)
        for key, column, parse, is_required, empty, known in columns:
            text = cells[column] if column is not None and column < size else ""
            if not text:
                row.append(empty)
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
            value, error = outcome
            row.append(value)
            if error is not None:
                row_errors[key] = error
        parsed.values.append(make(tuple(row)))
        parsed.errors.append(row_errors)
        if i < PREVIEW_ROWS or (row_errors and kept_errors < KEPT_ERROR_ROWS):
            parsed.cells[i] = cells
            kept_errors += bool(row_errors)
    return parsed


def _apply_rules(spec: SheetSpec, parsed: Parsed, by) -> None:
    """The sheet's rules over all rows (a cell that did not parse is None there, and keeps its parsing error)."""
    progress.step(gettext_noop("Checking the rules"), 86)
    with progress.dividing():
        found = spec.validate(parsed.values, by)
    for row_errors, rule_errors in zip(parsed.errors, found, strict=True):
        for key, message in rule_errors.items():
            row_errors.setdefault(key, message)


def check_rows(
    spec: SheetSpec, header: list[str], body: Iterable[list[str]], by, position: Callable[[], tuple[int, int]] = None
) -> Parsed:
    """Each row's values and its errors by column key: parsing first, then the sheet's rules over all
    rows (none for a file without rows). `position` reports how far the reading has got."""
    positions, _errors = resolve_header(spec, header)
    parsed = _parse_rows(spec, positions, body, position or (lambda: (0, 1)))
    if parsed.values:
        _apply_rules(spec, parsed, by)
    return parsed


def _labelled(headers: dict[str, str], errors: RowErrors) -> dict[str, str]:
    return {headers.get(key, ""): message for key, message in errors.items()}


HASH_CHUNK = 1 << 20


def _fingerprint(file: IO[bytes]) -> tuple[str, int]:
    """The file's SHA-256 and size, read a chunk at a time."""
    digest, size = hashlib.sha256(), 0
    file.seek(0)
    while chunk := file.read(HASH_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def refuse_loaded_twice(spec: SheetSpec, sha256: str) -> None:
    """A reference sheet's file is staged once: the same content again is refused whole."""
    earlier = (
        ImportBatch.objects.filter(kind=spec.kind, sha256=sha256)
        .exclude(status__in=[ImportBatch.Status.INVALID, ImportBatch.Status.RECEIVED])
        .order_by("created_at")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            _("This file was loaded already (import #%(pk)s of %(at)s): the same list is not loaded twice.")
            % {"pk": earlier.pk, "at": timezone.localtime(earlier.created_at).strftime("%Y-%m-%d %H:%M")}
        )


def receive(*, spec: SheetSpec, filename: str, content: bytes | IO[bytes], by, data_date=None) -> ImportBatch:
    """Keep an upload (its bytes, or a file read a chunk at a time) as a batch waiting to be checked;
    refuse at once what cannot be read at all."""
    if not by.has_perm(spec.permission):
        raise PermissionDenied
    file = io.BytesIO(content) if isinstance(content, bytes) else content
    sha256, size = _fingerprint(file)
    check_size(size, spec.max_bytes)
    if spec.asks_data_date and data_date is None:
        raise ValidationError(_("Enter the date of the data in this file."))
    if data_date is not None and data_date > timezone.localdate():
        raise ValidationError(_("The date of the data cannot be in the future."))
    if spec.reference is not None:
        refuse_loaded_twice(spec, sha256)
    reading.probe(filename, file)
    batch = ImportBatch(
        data_date=data_date if spec.asks_data_date else None,
        kind=spec.kind,
        spec_version=spec.version,
        status=ImportBatch.Status.RECEIVED,
        original_name=filename[:255],
        sha256=sha256,
        created_by=by,
        region_id=by.region_id or None,
    )
    batch.file.save(filename, File(file), save=False)
    with transaction.atomic():
        batch.save()
        record_event(  # in the uploader's request: the event keeps their address
            actor=by,
            event_type=EventType.IMPORT,
            target=batch,
            region_code=by.region_code,
            changes={"stage": "received", "kind": spec.kind, "file": batch.original_name, "bytes": size},
        )
    return batch


def _count(rows: Iterable) -> int:
    return sum(1 for _row in rows)


def _read_and_parse(spec: SheetSpec, batch: ImportBatch, file: IO[bytes]) -> tuple[int, list[str], Parsed, list[str]]:
    """The header's index and text, the parsed rows, and what is wrong with the file as a whole."""
    size = batch.file.size or 1
    start, header, body = find_header(spec, reading.rows(batch.original_name, file))
    if not header:
        return 0, [], Parsed(), [_("The file has no data rows.")]
    _positions, file_errors = resolve_header(spec, header)
    if file_errors:  # the rows are counted, and the first shown, but not parsed
        first = list(islice(body, PREVIEW_ROWS))
        parsed = Parsed(errors=[{}] * (len(first) + _count(body)), cells=dict(enumerate(first)))
        return start, header, parsed, file_errors
    parsed = check_rows(spec, header, body, batch.created_by, lambda: (file.tell(), size))
    return start, header, parsed, [] if parsed.values else [_("The file has no data rows.")]


def _cells_of_error_rows(spec: SheetSpec, batch: ImportBatch, parsed: Parsed) -> None:
    """The cells of rows that only the rules found wrong, read from the file again (rarely many)."""
    room = KEPT_ERROR_ROWS - sum(1 for i in parsed.cells if parsed.errors[i])
    wanted = {i for i, errors in enumerate(parsed.errors) if errors and i not in parsed.cells}
    wanted = set(sorted(wanted)[: max(room, 0)])
    if not wanted:
        return
    with batch.file.open("rb") as file:
        _start, _header, body = find_header(spec, reading.rows(batch.original_name, file))
        for i, cells in enumerate(body):
            if i in wanted:
                parsed.cells[i] = cells


@bulk.gc_paused()
def check(batch: ImportBatch) -> ImportBatch:
    """Read and check every row of a received batch and keep the rows; nothing else is written."""
    spec = get_spec(batch.kind)
    by = batch.created_by
    if spec.reference is not None:
        return _stage_reference(spec, batch)
    progress.step(gettext_noop("Reading every row"), 58)
    with batch.file.open("rb") as file:
        try:
            start, header, parsed, file_errors = _read_and_parse(spec, batch, file)
        except ValidationError as e:  # found as the file was read: nothing of it is kept
            start, header, parsed, file_errors = 0, [], Parsed(), e.messages
    if not file_errors:
        _cells_of_error_rows(spec, batch, parsed)
    progress.step(gettext_noop("Saving the result of the check"), 100)
    with transaction.atomic():
        batch.header = [text[:HEADER_CELL_CHARS] for text in header]
        batch.row_count = len(parsed.errors)
        batch.error_count = sum(1 for e in parsed.errors if e)
        batch.file_errors = file_errors
        batch.status = (
            ImportBatch.Status.INVALID if (file_errors or batch.error_count) else ImportBatch.Status.VALIDATED
        )
        if batch.status == ImportBatch.Status.VALIDATED:
            with tempfile.TemporaryFile() as rows_file:
                parsed_rows.dump(parsed.values, rows_file)
                rows_file.seek(0)
                batch.parsed.save(f"{batch.pk}.parsed", File(rows_file), save=False)
        batch.save()
        headers = {c.key: c.header for c in spec.columns}
        kept = sorted(set(parsed.cells) | {i for i, e in enumerate(parsed.errors) if e})
        bulk.insert(
            ImportRow,
            [
                {
                    "batch_id": batch.pk,
                    "row_no": start + i + 2,
                    "cells": parsed.cells.get(i, []),
                    "errors": _labelled(headers, parsed.errors[i]),
                }
                for i in kept
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


def _reference_header(spec: SheetSpec, batch: ImportBatch) -> tuple[int, list[str], dict[str, int], list[str]]:
    """A reference sheet's header row: where it is, its text, each column's position, and what is wrong
    with it (refused whole)."""
    with batch.file.open("rb") as file:
        rows = reading.rows(batch.original_name, file)
        try:
            start, header, _body = find_header(spec, rows)
        except ValidationError as e:
            return 0, [], {}, e.messages
        finally:
            rows.close()  # the rest is the capability's to read, while the file is still open
        if not header:
            return 0, [], {}, [_("The file has no data rows.")]
        return start, header, *resolve_header(spec, header)


def _stage_reference(spec: SheetSpec, batch: ImportBatch) -> ImportBatch:
    """Check a reference sheet's header, then let its capability stage the rows in bulk: rows it cannot
    use are set aside and listed (they do not fail the file); a wrong header, or a file found unreadable
    further down, fails it whole and keeps none of its rows."""
    progress.step(gettext_noop("Reading every row"), 90)
    start, header, positions, file_errors = _reference_header(spec, batch)
    if file_errors:
        return _refused_whole(batch, header, file_errors)
    try:
        with transaction.atomic():
            with progress.dividing():
                staged = spec.reference.stage(batch, start, header, positions)
            if not staged.rows:
                raise ValidationError(_("No row of the file has a valid ID number: nothing was loaded."))
            progress.step(gettext_noop("Saving the result of the check"), 100)
            _keep_staged(spec, batch, header, staged)
    except ValidationError as e:
        return _refused_whole(batch, header, e.messages)
    return batch


def _keep_staged(spec: SheetSpec, batch: ImportBatch, header: list[str], staged) -> None:
    batch.header = [text[:HEADER_CELL_CHARS] for text in header]
    batch.row_count = staged.rows + staged.set_aside
    batch.error_count = staged.set_aside
    batch.file_errors = []
    batch.status = ImportBatch.Status.VALIDATED
    batch.save()
    headers = {c.key: c.header for c in spec.columns}
    bulk.insert(
        ImportRow,
        [
            {"batch_id": batch.pk, "row_no": row_no, "cells": cells, "errors": _labelled(headers, errors)}
            for row_no, cells, errors in staged.kept
        ],
    )
    record_event(
        actor=batch.created_by,
        event_type=EventType.IMPORT,
        target=batch,
        region_code=batch.created_by.region_code,
        changes={"stage": "staged", "kind": spec.kind, "rows": staged.rows, "set_aside": staged.set_aside},
    )


def _refused_whole(batch: ImportBatch, header: list[str], file_errors: list[str]) -> ImportBatch:
    with transaction.atomic():
        batch.header = [text[:HEADER_CELL_CHARS] for text in header]
        batch.file_errors = file_errors
        batch.status = ImportBatch.Status.INVALID
        batch.save(update_fields=["header", "file_errors", "status"])
        record_event(
            actor=batch.created_by,
            event_type=EventType.IMPORT,
            target=batch,
            region_code=batch.created_by.region_code,
            changes={"stage": "refused", "kind": batch.kind, "errors": len(file_errors)},
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
    claimed = ImportBatch.objects.filter(
        pk=batch.pk, status=ImportBatch.Status.VALIDATED, files_removed_at__isnull=True
    ).update(status=ImportBatch.Status.COMMITTING)
    if claimed != 1 and ImportBatch.objects.filter(pk=batch.pk, files_removed_at__isnull=False).exists():
        raise ValidationError(_("The uploaded file was removed after the retention period: upload it again."))
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
    if spec.reference is not None:
        return _publish_reference(spec, batch, by)
    if not batch.parsed:
        raise _checked_by_an_earlier_version()
    progress.step(gettext_noop("Reading the checked rows"), 5)
    try:
        with batch.parsed.open("rb") as f:
            values = parsed_rows.load(f)
    except (OSError, ValueError, KeyError, EOFError):  # kept by an earlier version in another form
        raise _checked_by_an_earlier_version() from None
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
    _record_committed(spec, batch, by, summary)
    return summary


def _publish_reference(spec: SheetSpec, batch: ImportBatch, by) -> dict[str, int]:
    progress.step(gettext_noop("Writing"), 100)
    with progress.dividing():
        summary = spec.reference.publish(batch, by)
    ImportBatch.objects.filter(pk=batch.pk).update(summary=summary)
    batch.summary = summary
    _record_committed(spec, batch, by, summary)
    return summary


def _record_committed(spec: SheetSpec, batch: ImportBatch, by, summary: dict) -> None:
    record_event(
        actor=by,
        event_type=EventType.IMPORT,
        target=batch,
        region_code=by.region_code,
        changes={"stage": "committed", "kind": spec.kind, **summary},
    )


def source_of(batch: ImportBatch) -> Source:
    return Source(
        reason=_("import batch #%(pk)s") % {"pk": batch.pk},
        file_name=batch.original_name,
        batch_id=batch.pk,
        data_date=batch.data_date,
    )


def _checked_by_an_earlier_version() -> ValidationError:
    return ValidationError(_("This file was checked by an earlier version of the system; upload it again."))


def _changed_since_preview() -> ValidationError:
    return ValidationError(
        _("The data changed since the preview; some rows are no longer valid. Upload the file again to see why.")
    )


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def shown_text(text: str, *, reveal: bool) -> str:
    """A cell or message as shown: ID and bank card numbers in it masked unless revealed."""
    return text if reveal or not isinstance(text, str) else masking.mask_numbers_in(text)


def shown_cells(spec: SheetSpec | None, header: list[str], *, reveal: bool) -> Callable[[list], list]:
    """How a row's cells are shown: as uploaded when revealed; otherwise the sensitive columns' cells
    masked whole (a phone, an account in any format) and ID-like numbers masked in the rest."""
    if reveal:
        return lambda cells: cells
    positions = resolve_header(spec, header)[0] if spec else {}
    sensitive = {positions[c.key] for c in (spec.columns if spec else ()) if c.sensitive and c.key in positions}

    def show(cells: list) -> list:
        return [
            (masking.mask(str(cell)) if cell not in ("", None) else cell)
            if i in sensitive
            else shown_text(cell, reveal=False)
            for i, cell in enumerate(cells)
        ]

    return show


def record_full_numbers(by, batch: ImportBatch, what: str, **changes) -> None:
    """Every showing of a batch's full ID numbers, accounts and phones is an event of the audit trail."""
    record_event(
        actor=by,
        event_type=EventType.SENSITIVE_VIEW,
        target=batch,
        region_code=batch.region_id or "",
        changes={"fields": what, **changes},
    )


def error_report(batch: ImportBatch, *, reveal: bool) -> bytes:
    """The sheet as uploaded, with an error column; file-level errors on a second sheet. The file is
    read again a row at a time and the workbook written as it goes, so memory stays flat. Without
    `reveal`, ID numbers, accounts and phones are masked (`shown_cells`)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rows"))
    sheet.append(safe_row(sheet, [*batch.header, ERROR_HEADER]))
    errors = dict(batch.rows.exclude(errors={}).values_list("row_no", "errors"))
    spec = get_spec(batch.kind)
    show = shown_cells(spec, batch.header, reveal=reveal)
    try:
        with batch.file.open("rb") as file:
            start, _header, body = find_header(spec, reading.rows(batch.original_name, file))
            progress.step(gettext_noop("Writing the checked sheet"), 100)
            for row_no, cells in enumerate(body, start=start + 2):
                progress.advance(row_no - start - 2, batch.row_count)
                messages = errors.get(row_no, {})
                text = "；".join(f"{column}：{message}" if column else message for column, message in messages.items())
                padding = [""] * (len(batch.header) - len(cells))  # the error column stays the last
                sheet.append(safe_row(sheet, [*show(cells), *padding, shown_text(text, reveal=reveal)]))
    except ValidationError:
        pass  # the file could not be read: its errors are on the second sheet
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

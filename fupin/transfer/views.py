from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin import access
from fupin.audit.actions import record_export
from fupin.jobs import progress, runner
from fupin.lib.pagination import paginate
from fupin.lib.xlsx import bytes_response
from fupin.permissions import Perm

from . import import_jobs, pipeline
from .forms import UploadForm
from .models import ImportBatch
from .spec import SheetSpec, all_specs, get_spec


def _spec_for(user, kind: str) -> SheetSpec:
    spec = get_spec(kind)
    if spec is None:
        raise Http404
    if not user.has_perm(spec.permission):
        raise PermissionDenied
    return spec


def visible_batches(user, queryset=None, specs=None):
    """The batches in the user's region, except those of private sheets (a department's raw list),
    which only their uploader sees."""
    private = [spec.kind for spec in (all_specs() if specs is None else specs) if spec.private]
    batches = access.visible_to(ImportBatch.objects.all() if queryset is None else queryset, user)
    return batches.exclude(Q(kind__in=private) & ~Q(created_by=user)) if private else batches


@access.scoped
def batch_list(request):
    every = all_specs()  # a province's dataset kinds are read from the database: once a request
    batches = visible_batches(request.user, ImportBatch.objects.select_related("created_by"), every)
    specs = [s for s in every if request.user.has_perm(s.permission)]
    titles = {s.kind: s.title for s in every}
    return render(
        request, "transfer/batch_list.html", {"page": paginate(request, batches), "specs": specs, "titles": titles}
    )


@access.scoped
def upload(request, kind: str):
    spec = _spec_for(request.user, kind)
    form = UploadForm(request.POST or None, request.FILES or None, spec=spec)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            batch = import_jobs.upload(
                spec=spec,
                filename=uploaded.name,
                content=uploaded,  # read a chunk at a time (a department's list is up to 1 GB)
                by=request.user,
                data_date=form.cleaned_data.get("data_date"),
            )
        except ValidationError as e:
            form.add_error("file", e)
        else:
            return redirect("transfer:detail", batch.pk)
    return render(request, "transfer/upload.html", {"spec": spec, "form": form})


@access.scoped
def template_download(request, kind: str):
    spec = _spec_for(request.user, kind)
    return bytes_response(f"{spec.kind}-v{spec.version}.xlsx", pipeline.template(spec))


def _progress(batch: ImportBatch) -> progress.Progress | None:
    return progress.of(batch.job_id) if batch.job_id else None


def _stalled(batch: ImportBatch, user) -> bool:
    """Whether the batch's job stopped half-way (its worker was killed): the page offers its owner to
    run it again."""
    return batch.job is not None and batch.job.owner_id == user.pk and runner.may_retry(batch.job)


@access.scoped
def batch_detail(request, pk: int):
    batch = get_object_or_404(
        visible_batches(request.user, ImportBatch.objects.select_related("created_by", "job")), pk=pk
    )
    rows = batch.rows.all()
    if request.GET.get("errors") == "1":
        rows = rows.exclude(errors={})
    previous = ImportBatch.objects.filter(
        kind=batch.kind, sha256=batch.sha256, status=ImportBatch.Status.COMMITTED
    ).exclude(pk=batch.pk)
    if request.htmx and request.GET.get("progress"):
        if batch.status in ImportBatch.RUNNING:
            context = {"batch": batch, "progress": _progress(batch), "stalled": _stalled(batch, request.user)}
            return render(request, "transfer/_progress.html", context)
        return HttpResponse(headers={"HX-Refresh": "true"})  # done: show the whole result
    spec = get_spec(batch.kind)
    page = paginate(request, rows, per_page=50)
    headers = pipeline.canonical_headers(spec, batch.header) if spec else []
    reveal = _reveal(request, batch, page)
    show = pipeline.shown_cells(spec, batch.header, reveal=reveal)
    for row in page:  # the cells an error names stand out, so each value is found beside its message
        named = headers + [""] * (len(row.cells) - len(headers))
        marks = [bool(h) and h in row.errors for h in named]
        row.marked_cells = list(zip(show(row.cells), marks, strict=False))
        row.shown_errors = {column: pipeline.shown_text(m, reveal=reveal) for column, m in row.errors.items()}
    context = {
        "batch": batch,
        "progress": _progress(batch) if batch.status in ImportBatch.RUNNING else None,
        "job_error": import_jobs.last_error(batch),
        "stalled": batch.status in ImportBatch.RUNNING and _stalled(batch, request.user),
        "spec": spec,
        "page": page,
        "preview_rows": pipeline.PREVIEW_ROWS,
        "report_in_worker": batch.row_count > import_jobs.REPORT_INLINE_ROWS,
        "revealed": reveal,
        "may_reveal": request.user.has_perm(Perm.VIEW_FULL_ID),
        "already_committed": access.visible_to(previous, request.user).order_by("-committed_at").first(),
        "rows_kept": batch.row_count - batch.error_count,  # a reference sheet's rows set aside are not loaded
    }
    return render(request, "transfer/batch_detail.html", context)


@access.scoped
@require_POST
def batch_commit(request, pk: int):
    batch = get_object_or_404(visible_batches(request.user), pk=pk)
    try:
        import_jobs.commit(batch=batch, by=request.user)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        batch.refresh_from_db()
        spec = get_spec(batch.kind)
        if batch.status == ImportBatch.Status.COMMITTED and spec is not None and spec.reference is not None:
            messages.success(request, _("The list is put to use."))
        elif batch.status == ImportBatch.Status.COMMITTED:
            messages.success(
                request, _("Import committed: %(changed)s changed, %(unchanged)s unchanged.") % batch.summary
            )
    return redirect("transfer:detail", batch.pk)


@access.scoped
def error_report(request, pk: int):
    batch = get_object_or_404(visible_batches(request.user), pk=pk)
    if batch.files_removed_at is not None:
        messages.error(
            request, _("The uploaded file was removed after the retention period; its sheet cannot be written.")
        )
        return redirect("transfer:detail", batch.pk)
    if batch.row_count > import_jobs.REPORT_INLINE_ROWS:  # too long for a request: the worker writes it
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = import_jobs.report(batch=batch, by=request.user)
        messages.success(request, _("The checked sheet is being written; download it here when it is ready."))
        return redirect(job)
    full = request.user.has_perm(Perm.VIEW_FULL_ID)  # the sheet is to be corrected and uploaded again
    record_export(by=request.user, target=batch, report="import_errors", full_numbers=full)
    if full:
        pipeline.record_full_numbers(request.user, batch, "import_report")
    return bytes_response(f"import-{batch.pk}-report.xlsx", pipeline.error_report(batch, reveal=full))


def _reveal(request, batch: ImportBatch, rows) -> bool:
    """The batch's ID numbers, accounts and phones in full, for those allowed who ask, each showing audited."""
    if request.GET.get("reveal") != "1" or not request.user.has_perm(Perm.VIEW_FULL_ID):
        return False
    rows_shown = [row.row_no for row in rows]
    shown = [rows_shown[0], rows_shown[-1]] if rows_shown else []
    pipeline.record_full_numbers(request.user, batch, "import_cells", rows=shown)
    return True

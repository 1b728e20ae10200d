"""The printable notice list (公示名单) as PDF, from an HTML template, with the CJK font of the system."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from fupin.lib.pdf import pdf_response

from .kinds import KINDS
from .models import Batch, CaseState, Notice


def notice_rows(batch: Batch) -> list[dict]:
    """One row per subject still in the batch, in the order they were added."""
    spec = KINDS[batch.procedure.kind]
    cases = list(batch.cases.filter(state__in=[CaseState.ACTIVE, CaseState.APPROVED]).order_by("id"))
    if not cases:
        return []
    model = cases[0].subject_type.model_class()
    subjects = model.objects.in_bulk([c.subject_id for c in cases])
    return [spec.notice_row(subjects[c.subject_id]) for c in cases if c.subject_id in subjects]


def notice_html(batch: Batch, notice: Notice) -> str:
    columns = KINDS[batch.procedure.kind].notice_columns
    context = {
        "batch": batch,
        "notice": notice,
        "headings": [heading for _key, heading in columns],
        "rows": [[row[key] for key, _heading in columns] for row in notice_rows(batch)],
        "region_path": batch.region.full_name(),
        "printed_on": timezone.localdate(),
    }
    return render_to_string("procedures/notice_print.html", context)


def notice_pdf(batch: Batch, notice: Notice) -> HttpResponse:
    return pdf_response(notice_html(batch, notice), f"notice-{batch.pk}-{notice.pk}.pdf")

"""The printable notice list (公示名单) as PDF, from an HTML template, with the CJK font of the system."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from fupin.lib.pdf import pdf_response
from fupin.regions.models import Level

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


# Where objections to a notice are made, by the level of the region it is posted in (the statutory
# wording of 两公示一公告).
OBJECTIONS_TO = {
    Level.VILLAGE: "村委会、驻村工作队或乡镇人民政府",
    Level.TOWNSHIP: "乡镇人民政府或县乡村振兴部门",
}
OBJECTIONS_TO_COUNTY = "县乡村振兴部门"


def notice_html(batch: Batch, notice: Notice) -> str:
    columns = KINDS[batch.procedure.kind].notice_columns
    context = {
        "batch": batch,
        "notice": notice,
        "headings": [heading for _key, heading in columns],
        "rows": [[row[key] for key, _heading in columns] for row in notice_rows(batch)],
        "region_path": batch.region.full_name(),
        "printed_on": timezone.localdate(),
        "objections_to": OBJECTIONS_TO.get(batch.region.level, OBJECTIONS_TO_COUNTY),
    }
    return render_to_string("procedures/notice_print.html", context)


def notice_pdf(batch: Batch, notice: Notice) -> HttpResponse:
    return pdf_response(notice_html(batch, notice), f"notice-{batch.pk}-{notice.pk}.pdf")

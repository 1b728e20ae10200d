from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fupin import access
from fupin.lib.pagination import paginate
from fupin.lib.xlsx import xlsx_response
from fupin.permissions import Perm

from . import display
from .actions import export_chain_head, record_export
from .forms import AuditFilterForm
from .models import AuditEvent

EXPORT_LIMIT = 100_000


def _filtered(request):
    form = AuditFilterForm(request.GET)
    events = access.visible_to(AuditEvent.objects.all(), request.user)
    if form.is_valid():
        events = form.filter(events)
    return form, events


@access.requires(Perm.VIEW_AUDIT)
def event_list(request):
    form, events = _filtered(request)
    page = paginate(request, events.order_by("-id"), per_page=50)
    for event in page:
        event.rows = list(display.rows(event))
    return render(request, "audit/event_list.html", {"form": form, "page": page})


@access.requires(Perm.EXPORT_AUDIT)
def event_export(request) -> HttpResponse:
    form, events = _filtered(request)
    rows = events.order_by("id")[:EXPORT_LIMIT]
    record_export(by=request.user, what="audit_events", filters=request.GET.dict())
    header = ["序号", "时间", "操作人", "操作", "IP", "对象类型", "对象", "区划代码", "变更"]
    body = (
        [
            e.id,
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_name,
            e.get_event_type_display(),
            e.ip or "",
            e.target_type,
            e.target_repr,
            e.region_code,
            "；".join(f"{name}：{value}" for name, value in display.rows(e)),
        ]
        for e in rows.iterator(chunk_size=2000)
    )
    return xlsx_response("audit-events.xlsx", header, body)


@access.requires(Perm.EXPORT_AUDIT_HEAD)
def head_export(request) -> HttpResponse:
    """The chain's head as a text file for a record kept outside the system (print it, or store it)."""
    text = export_chain_head(by=request.user)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-head.txt"'
    return response

"""Serving a stored file (evidence, visit photos, marks' proof) with its viewing in the audit trail."""

from __future__ import annotations

from django.http import FileResponse, Http404

from fupin.lib.uploads import CONTENT_TYPES, sniff

from .actions import record_event
from .models import EventType


def serve_audited(request, target, file, region_code: str, changes: dict) -> FileResponse:
    """A stored file, inline, its type read from its bytes; the viewing is recorded in the audit trail.
    A record that has no file (a stage recorded without its document) is not found."""
    if not file:
        raise Http404
    record_event(
        actor=request.user,
        event_type=EventType.SENSITIVE_VIEW,
        target=target,
        target_repr=str(target),
        region_code=region_code,
        changes=changes,
    )
    head = file.open("rb").read(16)
    file.seek(0)
    response = FileResponse(file, content_type=CONTENT_TYPES.get(sniff(head), "application/octet-stream"))
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response

from __future__ import annotations

from .actions import record_event
from .context import reset_ip, set_ip
from .models import EventType

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class AuditContextMiddleware:
    """Makes the client address available to `record_event` for the length of the request.

    REMOTE_ADDR is the peer; behind a reverse proxy the proxy must set it (e.g. gunicorn's
    --forwarded-allow-ips), never a header the client controls.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_ip(request.META.get("REMOTE_ADDR") or None)
        try:
            response = self.get_response(request)
            if response.status_code == 403 and request.method not in SAFE_METHODS:
                _record_denied_write(request)
            return response
        finally:
            reset_ip(token)


def _record_denied_write(request) -> None:
    """A write the user was not allowed (a permission check, a region outside theirs, a failed CSRF
    check): the trail keeps who tried what, from where."""
    user = getattr(request, "user", None)
    record_event(
        actor=user,
        event_type=EventType.ACCESS_DENIED,
        target_repr=request.path[:200],
        region_code=getattr(user, "region_code", "") or "",
        changes={"method": request.method, "path": request.path[:500]},
    )

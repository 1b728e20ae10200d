from __future__ import annotations

from .context import reset_ip, set_ip


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
            return self.get_response(request)
        finally:
            reset_ip(token)

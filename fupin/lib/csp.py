"""The Content-Security-Policy header: scripts, styles, images and fonts from this site only (the
intranet has no CDN, ever) and no inline script, so that text that slipped past escaping cannot run."""

from __future__ import annotations

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.FUPIN_CONTENT_SECURITY_POLICY)
        return response

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

# Set at login, removed at logout: present without a live session means the session timed out.
SIGNED_IN_COOKIE = "fupin_signed_in"
ALLOWED_WHILE_PASSWORD_EXPIRED = {"accounts:password_change", "accounts:logout", "set_language"}


class SessionExpiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        expired = SIGNED_IN_COOKIE in request.COOKIES and not request.user.is_authenticated
        if expired:
            messages.warning(request, _("Your session ended after a period of inactivity. Please log in again."))
        response = self.get_response(request)
        if expired:
            response.delete_cookie(SIGNED_IN_COOKIE)
        return response


class PasswordChangeRequiredMiddleware:
    """Until a user replaces the password an administrator gave them, they can do nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and user.must_change_password):
            return None
        if request.resolver_match.view_name in ALLOWED_WHILE_PASSWORD_EXPIRED:
            return None
        messages.info(request, _("Please set a new password of your own before you continue."))
        if getattr(request, "htmx", False):  # a part of a page (the menu's count, a poll): the whole page goes
            return HttpResponseClientRedirect(reverse("accounts:password_change"))
        return redirect("accounts:password_change")


class NoStoreMiddleware:
    """What a signed-in user is shown (names, ID numbers, health, income; pages and downloads alike) is
    never kept by the browser or a proxy: it would outlive the session on a shared office computer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            if not response.has_header("Cache-Control"):
                add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response

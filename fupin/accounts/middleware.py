from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from . import roles, second_factor

# Set at login, removed at logout: present without a live session means the session timed out.
SIGNED_IN_COOKIE = "fupin_signed_in"
ALLOWED_WHILE_PASSWORD_EXPIRED = {
    "accounts:password_change",
    "accounts:second_factor",
    "accounts:logout",
    "set_language",
}
ALLOWED_BEFORE_SECOND_FACTOR = {"accounts:second_factor", "accounts:logout", "set_language"}


SIGNED_IN_AT = "fupin_signed_in_at"  # the session's key for when its login was (a Unix time)


def start_lifetime(request) -> None:
    request.session[SIGNED_IN_AT] = int(time.time())


def _outlived(request) -> bool:
    """Whether the session is older than FUPIN_SESSION_MAX_SECONDS, however active it has been."""
    started = request.session.get(SIGNED_IN_AT)
    return started is not None and time.time() - started > settings.FUPIN_SESSION_MAX_SECONDS


class SessionExpiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        outlived = request.user.is_authenticated and _outlived(request)
        if outlived:
            logout(request)
            hours = settings.FUPIN_SESSION_MAX_SECONDS // 3600
            messages.warning(
                request, _("You logged in more than %(hours)s hours ago. Please log in again.") % {"hours": hours}
            )
        expired = SIGNED_IN_COOKIE in request.COOKIES and not request.user.is_authenticated
        if expired and not outlived:
            messages.warning(request, _("Your session ended after a period of inactivity. Please log in again."))
        response = self.get_response(request)
        if expired:
            response.delete_cookie(SIGNED_IN_COOKIE)
        return response


class ViewGate:
    """A middleware that only looks at which view a request goes to (`process_view`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        raise NotImplementedError


def _send_to(request, name: str):
    if getattr(request, "htmx", False):  # a part of a page (the menu's count, a poll): the whole page goes
        return HttpResponseClientRedirect(reverse(name))
    return redirect(name)


class SecondFactorRequiredMiddleware(ViewGate):
    """An administrator who has given the password but not yet the code can do nothing else."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not second_factor.required(request.user) or second_factor.passed(request):
            return None
        if request.resolver_match.view_name in ALLOWED_BEFORE_SECOND_FACTOR:
            return None
        return _send_to(request, "accounts:second_factor")


class AdministratorsKeepToTheirDutyMiddleware(ViewGate):
    """三员分立: an administrator opens the pages of administration only, never the records."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if user.is_authenticated and not roles.may_open(user.role, request.resolver_match.view_name):
            raise PermissionDenied
        return None


class PasswordChangeRequiredMiddleware(ViewGate):
    """Until a user replaces the password an administrator gave them, they can do nothing else."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and user.must_change_password):
            return None
        if request.resolver_match.view_name in ALLOWED_WHILE_PASSWORD_EXPIRED:
            return None
        messages.info(request, _("Please set a new password of your own before you continue."))
        return _send_to(request, "accounts:password_change")


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

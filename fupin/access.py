"""The one access module: what a user may see and change is the subtree under their region.

Every list, detail, form, export, statistic and API starts from `visible_to` or
`get_object_for_user`. A model says how to reach its region code with a `region_scope` class
attribute (`"region__code"`, `"code"`, …). Views declare a policy with one of the decorators below;
a test walks the URLconf and fails on any view without one. A deliberate bypass has `_unscoped`
in its name.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=Model)

NOT_VISIBLE = _("This region does not exist or is outside your jurisdiction.")


def region_prefix(user) -> str | None:
    """The code prefix of the user's subtree: "" for the whole country, None for nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.region_id:
        return user.region_id
    return "" if user.is_national else None


def covers(user, region_code: str) -> bool:
    """Whether `region_code` lies in the user's subtree."""
    prefix = region_prefix(user)
    return prefix is not None and region_code.startswith(prefix)


def allowed(user, perm: str | None, region_code: str) -> bool:
    """Whether the user holds `perm` (None: any permission will do) and `region_code` lies in their subtree."""
    return (perm is None or user.has_perm(perm)) and covers(user, region_code)


def require(user, perm: str | None, region_code: str) -> None:
    """Raise PermissionDenied unless `allowed`. Every action that changes a region's records starts here."""
    if not allowed(user, perm, region_code):
        raise PermissionDenied


def requested_region(request, value: str | None = None) -> str | None:
    """The region a page is narrowed to, from `?region=` or a posted `region` (or `value`, a form's field):

    - "" when none is asked (the user's whole subtree, which `visible_to` already gives);
    - the code asked for when it lies in the user's subtree;
    - the user's own region when the one asked for contains it (a county user following a city link);
    - None when the code is malformed or outside the subtree, with one message at the top of the
      page, the same for a region that does not exist and one that is not the user's.
    """
    if value is None:
        value = request.GET.get("region") or request.POST.get("region", "")
    asked = value.strip()
    code = region_within(request.user, asked)
    if code is None and region_prefix(request.user) is not None:
        messages.error(request, NOT_VISIBLE)
    return code


def region_within(user, asked: str) -> str | None:
    """`requested_region` without the message, for a form that reports the error by its field."""
    scope = region_prefix(user)
    if scope is None:
        return None
    if not asked:
        return ""
    if asked.isascii() and asked.isdigit():
        if asked.startswith(scope):
            return asked
        if scope.startswith(asked):
            return scope
    return None


def narrow(queryset: QuerySet[M], field: str, region_code: str | None) -> QuerySet[M]:
    """`queryset` narrowed to what lies under `region_code` as `requested_region` gave it."""
    if region_code is None:
        return queryset.none()
    return queryset.filter(under(field, region_code)) if region_code else queryset


def code_range(prefix: str) -> tuple[str, str | None]:
    """The region codes under `prefix` (digits) as a half-open range: prefix ≤ code < the next prefix,
    which "99…" does not have (None: every code from it on starts with it)."""
    return prefix, (str(int(prefix) + 1).zfill(len(prefix)) if prefix.strip("9") else None)


def under(field: str, prefix: str) -> Q:
    """`field` (a region code) lies under `prefix`, as a range (`code_range`).

    For codes of digits this is exactly "starts with", and unlike LIKE 'prefix%' any btree index on
    the code serves it in every collation, with its order (so a list sorted by region stops at its
    page instead of walking the index from the start)."""
    if not prefix.isdigit():
        return Q(**{f"{field}__startswith": prefix})
    low, high = code_range(prefix)
    condition = Q(**{f"{field}__gte": low})
    if high is not None:
        condition &= Q(**{f"{field}__lt": high})
    return condition


# (model label, role) → what narrows that model's records for a user of that role beyond their region
# (an assisting cadre sees the households paired with them). Capabilities above register them.
_NARROWING: dict[tuple[str, str], Callable[[QuerySet, object], QuerySet]] = {}


def narrow_for_role(model_label: str, role: str, narrowing: Callable[[QuerySet, object], QuerySet]) -> None:
    """Give users of `role` only the records of `model_label` that `narrowing` keeps, everywhere that
    reads through `visible_to` (lists, pages, counts, exports)."""
    _NARROWING[(model_label, role)] = narrowing


def visible_to(queryset: QuerySet[M], user) -> QuerySet[M]:
    prefix = region_prefix(user)
    if prefix is None:
        return queryset.none()
    if prefix:
        queryset = queryset.filter(under(queryset.model.region_scope, prefix))
    narrowing = _NARROWING.get((queryset.model._meta.label_lower, getattr(user, "role", "")))
    return narrowing(queryset, user) if narrowing is not None else queryset


def get_object_for_user(queryset: QuerySet[M], user, **lookup) -> M:
    """The object, or 404 whether it is missing or outside the user's region (the same answer)."""
    return get_object_or_404(visible_to(queryset, user), **lookup)


def _mark(view: Callable, policy: str) -> Callable:
    view.access_policy = policy
    return view


def public(view: Callable) -> Callable:
    """No login needed (the login page, language switch)."""
    return _mark(login_not_required(view), "public")


def scoped(view: Callable) -> Callable:
    """Any signed-in user; the view reads only through visible_to / get_object_for_user."""
    return _mark(view, "scoped")


def requires(perm: str) -> Callable[[Callable], Callable]:
    """A signed-in user holding `perm`; objects are still read through the scope."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _mark(wrapped, f"perm:{perm}")

    return decorator

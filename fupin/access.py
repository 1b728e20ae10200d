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

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=Model)


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


def under(field: str, prefix: str) -> Q:
    """`field` (a region code) lies under `prefix`, as a range: prefix ≤ code < the next prefix.

    For codes of digits this is exactly "starts with", and unlike LIKE 'prefix%' any btree index on
    the code serves it in every collation, with its order (so a list sorted by region stops at its
    page instead of walking the index from the start)."""
    if not prefix.isdigit():
        return Q(**{f"{field}__startswith": prefix})
    condition = Q(**{f"{field}__gte": prefix})
    if prefix.strip("9"):  # "99…" has no next prefix: every code from it on starts with it
        condition &= Q(**{f"{field}__lt": str(int(prefix) + 1).zfill(len(prefix))})
    return condition


def visible_to(queryset: QuerySet[M], user) -> QuerySet[M]:
    prefix = region_prefix(user)
    if prefix is None:
        return queryset.none()
    if prefix == "":
        return queryset
    return queryset.filter(under(queryset.model.region_scope, prefix))


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

"""Tables by region that drill down and back up (the dispatch table, the loan statistics): which
region a table lists the children of, the way back up, and the child code as a query expression."""

from __future__ import annotations

from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from fupin import access

from .models import CODE_LENGTHS, Region, ancestor_codes


def child_code(parent: str, field: str = "region_id") -> Substr:
    """The code, one level below `parent`, of the region each row lies in (its own code when the row
    lies at that level or deeper than the code is long)."""
    length = next(n for n in sorted(CODE_LENGTHS.values()) if n > len(parent))
    return Substr(field, 1, length)


def row_names(codes: list[str], parent: Region | None) -> dict[str, str]:
    """The name each row of a table by region shows: the child region's name, or "<parent> itself"
    for the row of the records located at the parent (its code is the parent's)."""
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    if parent is not None:
        names[parent.code] = _("%(region)s itself") % {"region": parent.name}
    return {code: names.get(code, code) for code in codes}


def chosen_region(request) -> Region | None:
    """The region asked for (?region=) inside the user's jurisdiction, else the user's own region
    (None for the whole country)."""
    prefix = access.region_prefix(request.user) or ""
    asked = request.GET.get("region", "").strip()
    code = asked if asked.isdigit() and asked.startswith(prefix) else prefix
    return Region.objects.filter(code=code).first() if code else None


def up(user, code: str) -> str | None:
    """The region one level up, while it is still inside the user's jurisdiction."""
    prefix = access.region_prefix(user) or ""
    if not code or len(code) <= len(prefix):
        return None
    return (ancestor_codes(code) or [""])[-1]

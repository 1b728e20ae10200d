"""Registry figures for the home page: households by status and people, in the user's region."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from fupin import access

from .models import Household, PovertyStatus


def registry_counts(user) -> dict:
    """One GROUP BY: (label, households, status to filter by) for all households and each status, and people."""
    by_status = {
        row["poverty_status"]: (row["n"], row["people"] or 0)
        for row in access.visible_to(Household.objects.all(), user)
        .order_by()
        .values("poverty_status")
        .annotate(n=Count("id"), people=Sum("size"))
    }
    total = sum(n for n, _people in by_status.values())
    people = sum(p for _n, p in by_status.values())
    counts = [(_("Registered households"), total, "")]
    counts += [(label, by_status[value][0], value) for value, label in PovertyStatus.choices if value in by_status]
    counts.append((_("Registered people"), people, ""))
    return {"household_counts": counts if total else []}

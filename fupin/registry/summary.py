"""Registry figures for the home page: households by status and people, in the user's region."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from fupin import access

from .models import REGISTERED, Household, PovertyStatus


def registry_counts(user) -> dict:
    """One GROUP BY: (label, households, status to filter by) for the register and each status, and its people.

    Applicants and households not identified are listed by status but are not in the register's totals."""
    by_status = {
        row["poverty_status"]: (row["n"], row["people"] or 0)
        for row in access.visible_to(Household.objects.all(), user)
        .order_by()
        .values("poverty_status")
        .annotate(n=Count("id"), people=Sum("size"))
    }
    total = sum(by_status[s][0] for s in REGISTERED if s in by_status)
    people = sum(by_status[s][1] for s in REGISTERED if s in by_status)
    counts = [(_("Registered households"), total, "")]
    counts += [(label, by_status[value][0], value) for value, label in PovertyStatus.choices if value in by_status]
    counts.append((_("Registered people"), people, ""))
    return {"household_counts": counts if by_status else []}

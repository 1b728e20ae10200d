"""Least privilege for assisting cadres: a cadre's account reads the households paired with it now
(their members, health and income), not every household of its region."""

from __future__ import annotations

from fupin import access
from fupin.accounts.roles import Role

from .models import Pairing


def paired_households(user):
    """The households paired with a cadre's account now (a subquery of their ids)."""
    return Pairing.objects.filter(cadre__user=user, end_on__isnull=True).values("household_id")


def register_cadre_scope() -> None:
    access.narrow_for_role(
        "registry.household", Role.ASSISTING_CADRE, lambda qs, user: qs.filter(pk__in=paired_households(user))
    )
    for label in ("registry.member", "registry.incomerecord", "registry.nationalrecord"):
        access.narrow_for_role(
            label, Role.ASSISTING_CADRE, lambda qs, user: qs.filter(household_id__in=paired_households(user))
        )

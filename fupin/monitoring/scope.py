"""Least privilege for assisting cadres: the clues and monitoring records of the households paired
with them, and the clues they reported themselves."""

from __future__ import annotations

from django.db.models import Q

from fupin import access
from fupin.accounts.roles import Role
from fupin.assistance.pairings_scope import paired_households


def register_cadre_scope() -> None:
    access.narrow_for_role(
        "monitoring.clue",
        Role.ASSISTING_CADRE,
        lambda qs, user: qs.filter(Q(household__in=paired_households(user)) | Q(reported_by=user)),
    )
    for label in ("monitoring.monitoringcase", "monitoring.rigidexpenditure"):
        access.narrow_for_role(
            label, Role.ASSISTING_CADRE, lambda qs, user: qs.filter(household__in=paired_households(user))
        )

"""The cadre's to-do items: their households whose visit is overdue (the policy's visit_overdue_days)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.lib import inbox
from fupin.permissions import Perm

from . import visits
from .models import Cadre


def overdue_visits(user, today: dt.date) -> list[inbox.Item]:
    if not user.has_perm(Perm.LOG_VISIT):
        return []
    cadre = Cadre.objects.filter(user=user, is_active=True).first()
    if cadre is None:
        return []
    statuses = visits.statuses(cadre.pairings.filter(end_on__isnull=True), today)
    return [
        inbox.Item(
            title=_("Visit overdue: %(days)s days since the last visit") % {"days": s.days},
            subject=f"{s.pairing.household.head_name}（{s.pairing.household.household_no}）",
            url=reverse("assistance:visit_create", args=[s.pairing.household_id]),
            since=s.last_visit or s.pairing.start_on,
        )
        for s in statuses
        if s.overdue
    ]


def register_inbox() -> None:
    inbox.register(name="visits", label=gettext_lazy("Visits"), order=300, items=overdue_visits)

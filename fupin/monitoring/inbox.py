"""The to-do items of clues: the township passes self-reports on, the village checks its clues, and
overdue clues reach the township's and the county's lists with how long they have waited."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.lib import inbox
from fupin.permissions import Perm
from fupin.regions.models import Level

from .clues import DUE
from .models import OPEN_CLUE_STATES, Clue, ClueState

SHOWN = 100


def _item(clue: Clue, title: str) -> inbox.Item:
    return inbox.Item(
        title=title,
        subject=f"{clue.receipt} {clue.name} · {clue.get_channel_display()}",
        url=clue.get_absolute_url(),
        since=timezone.localdate(clue.reported_at),
        due=clue.due_on,
    )


def waiting_clues(user, today: dt.date) -> list[inbox.Item]:
    if not user.has_perm(Perm.CHANGE_HOUSEHOLD) or user.region is None:
        return []
    clues = access.visible_to(Clue.objects.filter(state__in=OPEN_CLUE_STATES), user).annotate(due_on=DUE)
    level = user.region.level
    items = []
    if level == Level.TOWNSHIP:
        for clue in clues.filter(state=ClueState.RECEIVED).order_by("due_on")[:SHOWN]:
            title = _("Pass the self-report to the village")
            items.append(_item(clue, _("Overdue: %(what)s") % {"what": title} if clue.due_on < today else title))
    if level == Level.VILLAGE:
        for clue in clues.filter(state=ClueState.CHECKING).order_by("due_on")[:SHOWN]:
            items.append(_item(clue, _("Visit the household and check the clue")))
    if level in (Level.TOWNSHIP, Level.COUNTY):
        overdue = clues.filter(due_on__lt=today)
        if level == Level.TOWNSHIP:
            overdue = overdue.exclude(state=ClueState.RECEIVED)  # listed above already
        for clue in overdue.order_by("due_on")[:SHOWN]:
            age = (today - timezone.localdate(clue.reported_at)).days
            items.append(
                _item(
                    clue,
                    _("Overdue: %(state)s, reported %(days)s days ago")
                    % {"state": clue.get_state_display(), "days": age},
                )
            )
    return items


def register_inbox() -> None:
    inbox.register(name="clues", label=gettext_lazy("Risk clues"), order=90, items=waiting_clues)

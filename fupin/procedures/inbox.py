"""The to-do items of the procedures: each open batch whose current step the user's role does, in
their region, said as what is to be done now: post the notice, answer its objections, wait for it to
end, or do the step."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.lib import inbox

from .models import Batch, BatchState, Notice, Step

SHOWN = 100  # a county reviewer's list stops here; the batch list has the rest


def _what_to_do(batch: Batch, today: dt.date) -> tuple[str, dt.date | None]:
    step = batch.step
    if not step.is_notice:
        return _("Waiting for you: %(step)s") % {"step": step.name}, None
    notices = [n for n in batch.step_notices if n.step_id == step.pk and n.round == batch.round]
    if not notices:
        return _("Post the notice: %(step)s") % {"step": step.name}, None
    notice = notices[-1]
    if unanswered := sum(1 for o in notice.objections.all() if not o.is_answered):
        return _("%(n)s objection(s) to verify and answer") % {"n": unanswered}, notice.ends_on
    if today <= notice.ends_on:
        return _("The notice runs until %(day)s; then complete the step") % {"day": notice.ends_on}, notice.ends_on
    return _("The notice period is over: complete “%(step)s”") % {"step": step.name}, None


def waiting_steps(user, today: dt.date) -> list[inbox.Item]:
    steps = [s.pk for s in Step.objects.only("pk", "actor_roles") if user.role in s.actor_roles]
    if not steps:
        return []
    notices = Notice.objects.order_by("id").prefetch_related("objections")
    batches = (
        access.visible_to(Batch.objects.filter(state=BatchState.OPEN, step__in=steps), user)
        .select_related("procedure", "step", "region")
        .annotate(arrived=Max("events__done_on"))  # the business day it reached the step (may be entered later)
        .prefetch_related(Prefetch("notices", queryset=notices, to_attr="step_notices"))
        .order_by("arrived")[:SHOWN]
    )
    items = []
    for batch in batches:
        title, due = _what_to_do(batch, today)
        items.append(
            inbox.Item(
                title=title,
                subject=f"#{batch.pk} {batch.year} {batch.procedure.name} · {batch.region.name}",
                url=batch.get_absolute_url(),
                since=batch.arrived or today,
                due=due,
            )
        )
    return items


def register_inbox() -> None:
    inbox.register(name="procedures", label=gettext_lazy("Procedures"), order=100, items=waiting_steps)

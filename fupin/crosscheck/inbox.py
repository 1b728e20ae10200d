"""The to-do items of findings: the township verifies or passes on what the comparison found in its
villages, the village verifies what it was passed, and overdue findings reach the county's list."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.lib import inbox
from fupin.permissions import Perm
from fupin.regions.models import Level

from .models import Finding

SHOWN = 100


def _item(finding: Finding, title: str) -> inbox.Item:
    return inbox.Item(
        title=title,
        subject=f"{finding.member.name}（{finding.household.household_no}）· {finding.rule.name}",
        url=finding.get_absolute_url(),
        since=timezone.localdate(finding.changed_at),
        due=finding.due_on,
    )


def waiting_findings(user, today: dt.date) -> list[inbox.Item]:
    if not user.has_perm(Perm.VERIFY_FINDINGS) or user.region is None:
        return []
    findings = access.visible_to(Finding.objects.exclude(state=Finding.State.VERIFIED), user).select_related(
        "member", "household", "rule"
    )
    level = user.region.level
    if level == Level.TOWNSHIP:
        chosen, title = findings.filter(state=Finding.State.TOWNSHIP), _("Verify the finding or pass it to the village")
    elif level == Level.VILLAGE:
        chosen, title = findings.filter(state=Finding.State.VILLAGE), _("Verify the finding on the spot")
    elif level == Level.COUNTY:
        chosen, title = findings.filter(due_on__lt=today), _("Overdue finding, not yet verified")
    else:
        return []
    items = []
    for finding in chosen.order_by("due_on", "id")[:SHOWN]:
        late = finding.due_on < today and level != Level.COUNTY
        items.append(_item(finding, _("Overdue: %(what)s") % {"what": title} if late else title))
    return items


def register_inbox() -> None:
    inbox.register(name="findings", label=gettext_lazy("Department data findings"), order=260, items=waiting_findings)

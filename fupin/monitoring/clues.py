"""Risk clues (风险线索): every write of a clue, from its report through any of the four channels to a
decision, each with its audit event.

A report about a household (or, for someone not in the register, an ID number) whose clue is still
open is added to that clue as a further report and changes nothing else: one clue per household at a
time, whoever reports it. Deadlines are counted in working days (policy and calendar) when the clue
arrives and kept on it: a self-report goes from the township to the village, then the home check,
then the decision.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Case, F, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.audit.actions import record_event, save_changes, snapshot
from fupin.audit.models import EventType
from fupin.codes.catalogue import code_list
from fupin.lib import uploads
from fupin.lib.masking import mask
from fupin.permissions import Perm
from fupin.policy import calendar
from fupin.policy.values import resolve
from fupin.regions.models import Level, Region
from fupin.registry import id_numbers
from fupin.registry.models import Household, Member

from . import policy_items
from .kinds import CATEGORY, MAX_RISKS, RISK_TYPE
from .models import OPEN_CLUE_STATES, Channel, Clue, ClueState

# The deadline of the stage each clue is at, in a query (Clue.due in Python).
DUE = Case(
    When(state=ClueState.RECEIVED, then=F("pass_due")),
    When(state=ClueState.CHECKING, then=F("check_due")),
    When(state=ClueState.IN_PROCEDURE, then=F("decide_due")),
)

# No 0/O, 1/I/L: a receipt is read aloud over the phone and typed from a slip.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 10
CHECKED_FIELDS = ("category", "risks")


@dataclass(frozen=True)
class Report:
    """What someone reported: who, about whom, what was said."""

    channel: str
    region_id: str  # the village
    name: str
    said: str
    id_number: str = ""
    phone: str = ""
    risks: Sequence[str] = ()
    household: Household | None = None
    rule: str = ""  # a warning's or screening's rule
    values: Mapping | None = None  # the values that fired it


def new_receipt() -> str:
    """Ten characters of the alphabet from one random number (31^10, about 8·10^14: not guessable)."""
    number, base = secrets.randbelow(len(RECEIPT_ALPHABET) ** RECEIPT_LENGTH), len(RECEIPT_ALPHABET)
    characters = []
    for _position in range(RECEIPT_LENGTH):
        number, digit = divmod(number, base)
        characters.append(RECEIPT_ALPHABET[digit])
    return "".join(characters)


def deadlines(channel: str, region_id: str, day: dt.date, days_off: dict | None = None) -> dict[str, dt.date | None]:
    days_off = calendar.load() if days_off is None else days_off

    def due(item: str) -> dt.date:
        return calendar.add_working_days(day, int(resolve(item, day.year, region_id).value), days_off)

    return {
        "pass_due": due(policy_items.FORWARD_DAYS) if channel == Channel.SELF_REPORT else None,
        "check_due": due(policy_items.CHECK_DAYS),
        "decide_due": due(policy_items.DECIDE_DAYS),
    }


def check_risks(risks: Sequence[str]) -> list[str]:
    known = code_list(RISK_TYPE)
    risks = list(dict.fromkeys(r for r in risks if r))
    if len(risks) > MAX_RISKS:
        raise ValidationError({"risks": _("Choose at most %(n)s risk types.") % {"n": MAX_RISKS}})
    if unknown := [r for r in risks if r not in known.labels]:
        raise ValidationError({"risks": _("Unknown risk type: %(codes)s.") % {"codes": "、".join(unknown)}})
    return risks


def _village(region_id: str) -> Region:
    region = Region.objects.filter(code=region_id, level=Level.VILLAGE).first()
    if region is None:
        raise ValidationError({"region_id": _("Choose a village.")})
    return region


def household_of(id_number: str, county: str) -> Household | None:
    """The registered household a current member with this ID number belongs to, within the county."""
    member = (
        Member.objects.filter(access.under("household__region", county), id_number=id_number, left_on__isnull=True)
        .select_related("household")
        .first()
    )
    return member.household if member else None


def open_clue_for(household: Household | None, id_number: str = "") -> Clue | None:
    clues = Clue.objects.select_for_update().filter(state__in=OPEN_CLUE_STATES)
    if household is not None:
        return clues.filter(household=household).first()
    if id_number:
        return clues.filter(id_number=id_number, household__isnull=True).first()
    return None


def _add_report(clue: Clue, report: Report, by, at: dt.datetime) -> Clue:
    entry = {"channel": report.channel, "at": at.isoformat(), "said": report.said[:1000]}
    if by is not None:
        entry["by"] = by.get_username()
    if report.rule:
        entry |= {"rule": report.rule, "values": dict(report.values or {})}
    clue.reports = [*clue.reports, entry]
    clue.save(update_fields=["reports"])
    record_event(
        actor=by,
        event_type=EventType.UPDATE,
        target=clue,
        region_code=clue.region_id,
        changes={"further_report": {k: v for k, v in entry.items() if k != "said"}},
    )
    return clue


@transaction.atomic
def report(report: Report, *, by=None, photo: UploadedFile | None = None) -> tuple[Clue, bool]:
    """Keep a report as a new clue, or add it to the household's open clue. Returns the clue and
    whether it was new. `by` is None for a self-report (no login)."""
    region = _village(report.region_id)
    if report.channel not in Channel.values or report.channel == Channel.NATIONAL_LIST:
        raise ValidationError(_("Unknown channel."))
    if by is not None:
        access.require(by, None, region.code)
    if not report.name.strip() or not report.said.strip():
        raise ValidationError(_("Give the name and what the difficulty is."))
    id_number = id_numbers.normalize(report.id_number)
    if id_number and (problems := id_numbers.check(id_number).errors):
        raise ValidationError({"id_number": problems})
    risks = check_risks(report.risks)
    household = report.household
    if household is None and id_number:
        household = household_of(id_number, region.code[:6])
    if household is not None:
        region = household.region  # the household's own village, wherever the reporter said
    now = timezone.now()
    if existing := open_clue_for(household, id_number):
        return _add_report(existing, report, by, now), False
    clue = Clue(
        receipt=new_receipt(),
        channel=report.channel,
        region_id=region.code,
        household=household,
        name=report.name.strip()[:50],
        id_number=id_number,
        phone=report.phone.strip()[:20],
        said=report.said.strip()[:1000],
        risks=risks,
        reported_at=now,
        reported_by=by,
        rule=report.rule[:100],
        values=dict(report.values or {}),
        state=ClueState.RECEIVED if report.channel == Channel.SELF_REPORT else ClueState.CHECKING,
        **deadlines(report.channel, region.code, timezone.localdate(now)),
    )
    if photo is not None:
        uploads.check(photo)
        clue.photo.save(photo.name, photo, save=False)
    try:
        with transaction.atomic():
            clue.save(force_insert=True)
    except IntegrityError:  # the same household reported at the same moment: add to that clue
        existing = open_clue_for(household, id_number)
        if existing is None:
            raise
        return _add_report(existing, report, by, now), False
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=clue,
        region_code=clue.region_id,
        changes={
            "channel": clue.channel,
            "household": household.household_no if household else "",
            "id_number": mask(id_number) if id_number else "",
            "risks": risks,
            **({"rule": clue.rule} if clue.rule else {}),
        },
    )
    return clue, True


def _open_clue(by, clue: Clue, perm: str = Perm.CHANGE_HOUSEHOLD) -> Clue:
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    access.require(by, perm, clue.region_id)
    if not clue.is_open:
        raise ValidationError(_("This clue has been decided; nothing more can be done on it."))
    return clue


def _change(by, clue: Clue, before: dict, fields: Sequence[str]) -> Clue:
    save_changes(by=by, instance=clue, before=before, fields=fields, region_code=clue.region_id, target_repr=str(clue))
    return clue


def may_pass(user) -> bool:
    """The township (or above) passes a self-report on; the village receives it."""
    return user.region is None or user.region.level < Level.VILLAGE


@transaction.atomic
def pass_to_village(*, by, clue: Clue) -> Clue:
    """The township passes a self-report to the village for the home check."""
    clue = _open_clue(by, clue)
    if clue.state != ClueState.RECEIVED:
        raise ValidationError(_("This clue is already with the village."))
    if not may_pass(by):
        raise PermissionDenied
    before = snapshot(clue, ("state", "passed_on"))
    clue.state, clue.passed_on = ClueState.CHECKING, timezone.localdate()
    return _change(by, clue, before, ("state", "passed_on"))


@transaction.atomic
def record_check(*, by, clue: Clue, category: str, risks: Sequence[str]) -> Clue:
    """What the home check found: the proposed category and risk types (up to five)."""
    clue = _open_clue(by, clue)
    if clue.state == ClueState.RECEIVED:
        raise ValidationError(_("The township passes the clue to the village first."))
    if category not in code_list(CATEGORY).labels:
        raise ValidationError({"category": _("Choose a category.")})
    risks = check_risks(risks)
    if not risks:
        raise ValidationError({"risks": _("Choose at least one risk type.")})
    before = snapshot(clue, CHECKED_FIELDS)
    clue.category, clue.risks = category, risks
    return _change(by, clue, before, CHECKED_FIELDS)


@transaction.atomic
def link_household(*, by, clue: Clue, household: Household) -> Clue:
    """The register's household the clue is about (a self-reporter not found by ID number, or one
    registered since as an ordinary household)."""
    clue = _open_clue(by, clue)
    access.require(by, Perm.CHANGE_HOUSEHOLD, household.region_id)
    if clue.state == ClueState.IN_PROCEDURE:
        raise ValidationError(_("The clue is in a procedure; its household cannot change."))
    if Clue.objects.filter(household=household, state__in=OPEN_CLUE_STATES).exclude(pk=clue.pk).exists():
        raise ValidationError(_("Household %(no)s already has an open clue.") % {"no": household.household_no})
    before = snapshot(clue, ("household_id", "region_id"))
    clue.household, clue.region_id = household, household.region_id
    return _change(by, clue, before, ("household_id", "region_id"))


@transaction.atomic
def close_unconfirmed(*, by, clue: Clue, reason: str) -> Clue:
    """The check found no risk that calls for monitoring: the clue closes with a reason the reporter
    reads by the receipt. A clue in a procedure is closed by dropping it there."""
    clue = _open_clue(by, clue)
    if clue.state == ClueState.IN_PROCEDURE:
        raise ValidationError(_("The clue is in a procedure: drop it from its batch with the reason."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the reporter will read.")})
    return _decide(by, clue, ClueState.NOT_CONFIRMED, reason.strip(), timezone.localdate())


def _decide(by, clue: Clue, state: str, outcome: str, day: dt.date, monitoring_case=None) -> Clue:
    """A clue's decision, with the monitoring case it opened (confirmed), in one audited change."""
    fields = ("state", "outcome", "decided_on", "checked_on", "monitoring_case_id")
    before = snapshot(clue, fields)
    clue.state, clue.outcome, clue.decided_on = state, outcome[:300], day
    clue.checked_on = clue.checked_on or day
    clue.monitoring_case = monitoring_case or clue.monitoring_case
    return _change(by, clue, before, fields)


OVERDUE, SOON, IN_TIME = "overdue", "soon", "in_time"
URGENCY_LABELS = {
    OVERDUE: gettext_lazy("overdue"),
    SOON: gettext_lazy("due within a working day"),
    IN_TIME: gettext_lazy("in time"),
}


def urgency(due: dt.date | None, today: dt.date, days_off: dict | None = None) -> str | None:
    """Red, orange or green: past its deadline, due today or on the next working day, or in time."""
    if due is None:
        return None
    if today > due:
        return OVERDUE
    return SOON if calendar.working_days_between(today, due, days_off) <= 1 else IN_TIME

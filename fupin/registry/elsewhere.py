"""A person already registered in another household.

Inside the user's jurisdiction the message names that household (number, village, head), so the clerk
can sort it out. Outside it the message says only that the person is registered elsewhere and that
the county moves people between townships: naming the household would make the member form an oracle
over the whole register (an ID number in, a family's address and head out). Such lookups outside the
jurisdiction are audited (who, which person, masked), and a user who makes more than LOOKUPS_PER_HOUR
of them in an hour may add or correct no one for the rest of that hour.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event
from fupin.audit.models import AuditEvent, EventType

from . import id_numbers
from .models import Member

LOOKUPS_PER_HOUR = 20  # a clerk meets a few in a year; more in an hour is someone probing
LOOKUP = "registered_elsewhere"  # the audit event's `changes["lookup"]`


def current_member_with(id_number: str, exclude_pk: int | None = None) -> Member | None:
    return (
        Member.objects.filter(id_number=id_number, left_on__isnull=True)
        .exclude(pk=exclude_pk)
        .select_related("household__region")
        .first()
    )


def outside_message() -> str:
    return _(
        "This person is registered in a household outside your jurisdiction. A person moves between "
        "townships through the county: ask the county office to transfer them."
    )


def registered_elsewhere(member: Member, by) -> ValidationError:
    household = member.household
    if not access.covers(by, household.region_id):
        return ValidationError({"id_number": outside_message()})
    return ValidationError(
        {
            "id_number": format_html(
                _('This person is already a member of household <a href="{}">{}</a> ({}, {}).'),
                household.get_absolute_url(),
                household.household_no,
                household.region.name,
                household.head_name,
            )
        }
    )


def _recent_lookups(by) -> int:
    since = timezone.now() - dt.timedelta(hours=1)
    return AuditEvent.objects.filter(
        actor=by, event_type=EventType.SENSITIVE_VIEW, at__gte=since, changes__lookup=LOOKUP
    ).count()


def refuse_if_registered(by, id_number: str, *, exclude_pk: int | None = None) -> None:
    """Raise the message above if the person is a current member of another household. Call it
    outside the action's transaction: the audit event of a lookup must outlive the refusal."""
    if _recent_lookups(by) >= LOOKUPS_PER_HOUR:
        raise ValidationError(
            _(
                "You have looked up more than %(n)s people registered outside your jurisdiction in the last "
                "hour. Adding and correcting members is paused for an hour; the county office can help."
            )
            % {"n": LOOKUPS_PER_HOUR}
        )
    other = current_member_with(id_number, exclude_pk)
    if other is None:
        return
    if not access.covers(by, other.household.region_id):
        record_event(
            actor=by,
            event_type=EventType.SENSITIVE_VIEW,
            target=other,
            target_repr=_("A person registered outside the jurisdiction"),
            region_code=by.region_code,
            changes={"lookup": LOOKUP, "id_number": id_numbers.mask(id_number)},
        )
    raise registered_elsewhere(other, by)

"""Append-only money ledgers (disbursements, loan entries): a wrong entry is never edited but
reversed, once, by a negative entry that names it (its `reverses`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _


def check_reversal(entry: Model, reason: str, on: dt.date) -> None:
    """Raise unless `entry` may be reversed on `on` for `reason`: it is not itself a reversal, has
    not been reversed, and the day lies from its payment to today."""
    if entry.reverses_id is not None:
        raise ValidationError(_("A reversing entry is not reversed; enter the payment again instead."))
    if type(entry).objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    if on > timezone.localdate() or on < entry.paid_on:
        raise ValidationError({"on": _("Date the correction from the payment's date to today.")})

"""Append-only money ledgers (disbursements, loan entries): a wrong entry is never edited but
reversed, once, by a negative entry that names it (its `reverses`). Every amount of money is a
`money_field`: yuan with fen, up to 999,999,999,999.99 (a province's ledger totals fit)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

MONEY_DIGITS = {"max_digits": 14, "decimal_places": 2}


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, **MONEY_DIGITS, **kwargs)


class AppendOnlyError(Exception):
    """An append-only record (an audit event, a procedure event) was to be changed or deleted."""


def reversible(entry: Model) -> bool:
    """Whether a page offers to reverse `entry`: it is not a reversal and has not been reversed (read
    from its `reversal`, prefetched by the page; `check_reversal` asks the database when it is done)."""
    if entry.reverses_id is not None:
        return False
    try:
        entry.reversal  # noqa: B018  (a one-to-one: present or DoesNotExist)
    except ObjectDoesNotExist:
        return True
    return False


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

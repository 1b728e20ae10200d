"""A project's money: what each fund source allocates to it, and the disbursement ledger.

- An allocation is per project and source; all of a project's allocations together may not exceed its
  total investment, and a source's allocation may not fall below what it has already paid.
- A disbursement is a positive entry with its date and voucher; a voucher is entered once per
  project (again only after its entry was reversed). Paying a source beyond what it allocated needs
  an explicit reason, kept with the entry.
- Entries are never edited or deleted: a wrong one is reversed by a negative entry that names it,
  once. The project's `allocated` and `disbursed` are re-summed in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.lib.ledger import check_reversal
from fupin.permissions import Perm

from .library import amount_error
from .models import Allocation, Disbursement, FundSource, Project

ZERO = Decimal(0)


def _locked(project: Project, by) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    access.require(by, Perm.MANAGE_PROJECTS, project.region_id)
    return project


def _active_source(source_id) -> FundSource | None:
    return FundSource.objects.filter(pk=source_id, is_active=True).first()


def _unknown_source() -> str:
    return _("Choose a fund source from the list.")


def paid_from(project: Project, source: FundSource) -> Decimal:
    return project.disbursements.filter(source=source).aggregate(s=Sum("amount"))["s"] or ZERO


def _resum(project: Project) -> None:
    project.allocated = project.allocations.aggregate(s=Sum("amount"))["s"] or ZERO
    project.disbursed = project.disbursements.aggregate(s=Sum("amount"))["s"] or ZERO
    project.save(update_fields=["allocated", "disbursed", "updated_at"])


@transaction.atomic
def allocate(*, by, project: Project, source_id: int, amount: Decimal) -> Allocation:
    """Set what `source` allocates to the project (0 withdraws the allocation)."""
    project = _locked(project, by)
    if (source := _active_source(source_id)) is None:
        raise ValidationError({"source": _unknown_source()})
    if message := amount_error(amount):
        raise ValidationError({"amount": message})
    others = project.allocations.exclude(source=source).aggregate(s=Sum("amount"))["s"] or ZERO
    if others + amount > project.total_investment:
        raise ValidationError(
            {
                "amount": _("Allocations would total %(total)s yuan, more than the total investment of %(investment)s.")
                % {"total": f"{others + amount:,}", "investment": f"{project.total_investment:,}"}
            }
        )
    paid = paid_from(project, source)
    if amount < paid:
        raise ValidationError(
            {"amount": _("%(source)s has already paid %(paid)s yuan.") % {"source": source.name, "paid": f"{paid:,}"}}
        )
    allocation, created = Allocation.objects.get_or_create(project=project, source=source, defaults={"amount": amount})
    before = None if created else allocation.amount
    if before != amount:
        allocation.amount = amount
        allocation.save(update_fields=["amount"])
        record_event(
            actor=by,
            event_type=EventType.CREATE if created else EventType.UPDATE,
            target=allocation,
            target_repr=f"{project.name} {source.name}",
            region_code=project.region_id,
            changes={"amount": [before, amount]},
        )
        _resum(project)
    return allocation


@transaction.atomic
def disburse(
    *,
    by,
    project: Project,
    source_id: int,
    amount: Decimal,
    paid_on: dt.date,
    voucher_no: str,
    over_allocation_reason: str = "",
    note: str = "",
) -> Disbursement:
    project = _locked(project, by)
    errors = {}
    if (source := _active_source(source_id)) is None:
        errors["source"] = _unknown_source()
    if message := amount_error(amount):
        errors["amount"] = message
    elif amount == 0:
        errors["amount"] = _("Enter an amount above zero; a correction reverses the wrong entry.")
    if paid_on > timezone.localdate():
        errors["paid_on"] = _("The date is in the future.")
    elif paid_on.year < 2014:
        errors["paid_on"] = _("Enter a date from 2014 on.")
    voucher_no = voucher_no.strip()
    if not voucher_no:
        errors["voucher_no"] = _("Enter the voucher number.")
    elif project.disbursements.filter(voucher_no=voucher_no, reverses__isnull=True, reversal__isnull=True).exists():
        errors["voucher_no"] = _("Voucher %(no)s is already entered for this project.") % {"no": voucher_no}
    if errors:
        raise ValidationError(errors)
    allocated = project.allocations.filter(source=source).values_list("amount", flat=True).first() or ZERO
    after = paid_from(project, source) + amount
    reason = over_allocation_reason.strip()
    if after > allocated and not reason:
        raise ValidationError(
            {
                "over_allocation_reason": _(
                    "%(source)s allocated %(allocated)s yuan; this brings its payments to %(after)s. "
                    "Give the reason for paying more than allocated."
                )
                % {"source": source.name, "allocated": f"{allocated:,}", "after": f"{after:,}"}
            }
        )
    entry = Disbursement.objects.create(
        project=project,
        source=source,
        amount=amount,
        paid_on=paid_on,
        voucher_no=voucher_no,
        over_allocation_reason=reason[:200] if after > allocated else "",
        note=note.strip()[:200],
        recorded_by=by,
    )
    _record(by, project, entry)
    _resum(project)
    return entry


@transaction.atomic
def reverse(*, by, entry: Disbursement, reason: str, on: dt.date | None = None) -> Disbursement:
    """Cancel a wrong entry with a negative one that names it."""
    project = _locked(entry.project, by)
    entry = Disbursement.objects.select_for_update().get(pk=entry.pk)
    on = on or timezone.localdate()
    check_reversal(entry, reason, on)
    reversal = Disbursement.objects.create(
        project=project,
        source=entry.source,
        amount=-entry.amount,
        paid_on=on,
        voucher_no=entry.voucher_no,
        reverses=entry,
        note=reason.strip()[:200],
        recorded_by=by,
    )
    _record(by, project, reversal)
    _resum(project)
    return reversal


def _record(by, project: Project, entry: Disbursement) -> None:
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=entry,
        target_repr=f"{project.name} {entry.voucher_no}",
        region_code=project.region_id,
        changes={
            "source": entry.source.name,
            "amount": entry.amount,
            "paid_on": entry.paid_on.isoformat(),
            "reverses": entry.reverses_id,
            "over_allocation_reason": entry.over_allocation_reason,
        },
    )

"""Issuing a microcredit loan and keeping its ledger (domain.md §7.4).

- Only a registered household (not exited, exited or relapsed) borrows; the borrower is a current
  member whose age on the day of issue lies within the policy's range (18–65).
- What the household owes on microcredit, this loan included, stays within the policy's maximum
  (50,000 yuan); the term within the policy's longest (36 months). The values applied are stored
  with the loan.
- A loan is due `term_months` after its issue, on the same day of the month or the month's last day.
- Repayments never exceed the balance. Interest subsidy is paid only on a subsidised loan that is not
  overdue, and in total at most the interest the contract could bear over its term.
- An extension (展期) moves the due date once, before it passes, by at most the policy's longest
  extension. A renewal (续贷) settles the old loan's balance into a new loan, checked as a new loan.
- Entries are never edited: a wrong one is reversed once by a negative entry that names it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_event
from fupin.audit.models import EventType
from fupin.lib import ledger
from fupin.lib.dates import add_months
from fupin.lib.ledger import check_reversal
from fupin.permissions import Perm
from fupin.policy.items import Name
from fupin.policy.values import Applied, resolve
from fupin.registry.id_numbers import age_on
from fupin.registry.models import Household, PovertyStatus

from .models import PRINCIPAL_KINDS, EntryKind, Extension, Loan, LoanEntry

ZERO = Decimal(0)
ELIGIBLE = (PovertyStatus.NOT_EXITED, PovertyStatus.EXITED, PovertyStatus.RELAPSED)
MAX_RATE = Decimal(24)
FIRST_YEAR = 2014


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def rules(on: dt.date, region_code: str) -> dict[str, Applied]:
    """The policy values a new loan is checked against (PolicyMissing, a ValidationError, if unset)."""
    names = (Name.LOAN_MAX_AMOUNT, Name.LOAN_MAX_TERM, Name.BORROWER_MIN_AGE, Name.BORROWER_MAX_AGE)
    return {name: resolve(name, on.year, region_code) for name in names}


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _day_errors(day: dt.date | None, since: dt.date | None, field: str, errors: dict) -> None:
    if day is None:
        errors[field] = _("Enter the date.")
    elif day > timezone.localdate():
        errors[field] = _("The date is in the future.")
    elif day.year < FIRST_YEAR:
        errors[field] = _("Enter a date from 2014 on.")
    elif since is not None and day < since:
        errors[field] = _("The date is before %(day)s.") % {"day": since.isoformat()}


def owed_by(household: Household, *, besides: Loan | None = None) -> Decimal:
    """What the household still owes on its other loans."""
    loans = Loan.objects.filter(household=household, repaid__lt=F("amount"))
    if besides is not None:
        loans = loans.exclude(pk=besides.pk)
    return loans.aggregate(s=Sum(F("amount") - F("repaid")))["s"] or ZERO


def loan_errors(
    household: Household, values: dict, renews: Loan | None, pending: Decimal = ZERO
) -> tuple[dict, list[Applied]]:
    """What is wrong with a new loan, field by field, and the policy values it was checked against.
    `pending`: what earlier rows of the same file lend the household."""
    errors: dict[str, str] = {}
    on: dt.date | None = values.get("issued_on")
    _day_errors(on, renews.issued_on if renews else None, "issued_on", errors)
    if household.poverty_status not in ELIGIBLE:
        errors["household"] = _(
            "Only a registered poor or exited household borrows poverty microcredit; this one is “%(status)s”."
        ) % {"status": household.get_poverty_status_display()}
    if not (values.get("bank") or "").strip():
        errors["bank"] = _("Enter the lending bank.")
    if not (values.get("contract_no") or "").strip():
        errors["contract_no"] = _("Enter the contract number.")
    elif Loan.objects.filter(bank=values["bank"].strip(), contract_no=values["contract_no"].strip()).exists():
        errors["contract_no"] = _("This bank's contract %(no)s is already entered.") % {"no": values["contract_no"]}
    rate, subsidy_rate = values.get("rate"), values.get("subsidy_rate")
    if rate is None or not ZERO <= rate <= MAX_RATE:
        errors["rate"] = _("Enter the annual rate in percent, from 0 to 24.")
    if subsidy_rate is None or not ZERO <= subsidy_rate <= 100:
        errors["subsidy_rate"] = _("Enter the share of interest subsidised, from 0 to 100 percent.")
    if on is None or "issued_on" in errors:
        return errors, []
    policy = rules(on, household.region_id)
    member = household.members.filter(pk=values.get("borrower_id"), left_on__isnull=True).first()
    if member is None:
        errors["borrower"] = _("Choose the borrower from the household's current members.")
    else:
        age = age_on(member.birth_date, on)
        youngest, oldest = policy[Name.BORROWER_MIN_AGE].value, policy[Name.BORROWER_MAX_AGE].value
        if not youngest <= age <= oldest:
            errors["borrower"] = _(
                "%(name)s is %(age)s on the day of issue; a borrower is from %(min)s to %(max)s years old."
            ) % {"name": member.name, "age": age, "min": int(youngest), "max": int(oldest)}
    amount, term = values.get("amount"), values.get("term_months")
    ceiling = policy[Name.LOAN_MAX_AMOUNT].value
    if amount is None or amount <= 0:
        errors["amount"] = _("Enter an amount above zero.")
    elif (owed := owed_by(household, besides=renews) + pending) + amount > ceiling:
        errors["amount"] = _(
            "The household would owe %(total)s yuan on microcredit (%(owed)s on other loans); at most %(max)s."
        ) % {"total": _yuan(owed + amount), "owed": _yuan(owed), "max": _yuan(ceiling)}
    longest = int(policy[Name.LOAN_MAX_TERM].value)
    if term is None or not 1 <= term <= longest:
        errors["term_months"] = _("The term is from 1 to %(max)s months.") % {"max": longest}
    return errors, list(policy.values())


@transaction.atomic
def issue(*, by, household: Household, values: dict, renews: Loan | None = None) -> Loan:
    """A new loan (`values`: borrower_id, bank, contract_no, amount, issued_on, term_months, rate,
    subsidy_rate, purpose, purpose_note). With `renews`, the old loan's balance is settled into it."""
    access.require(by, Perm.MANAGE_LOANS, household.region_id)
    household = Household.objects.select_for_update().get(pk=household.pk)  # one loan at a time per household
    if renews is not None:
        renews = Loan.objects.select_for_update().get(pk=renews.pk)
        if renews.household_id != household.pk or renews.balance <= 0 or hasattr(renews, "renewal"):
            raise ValidationError(_("Only a loan of this household with a balance, not yet renewed, is renewed."))
    errors, applied = loan_errors(household, values, renews)
    if errors:
        raise ValidationError(errors)
    loan = Loan.objects.create(
        household=household,
        borrower_id=values["borrower_id"],
        region_id=household.region_id,
        bank=values["bank"].strip(),
        contract_no=values["contract_no"].strip(),
        amount=values["amount"],
        issued_on=values["issued_on"],
        term_months=values["term_months"],
        due_on=add_months(values["issued_on"], values["term_months"]),
        rate=values["rate"],
        subsidy_rate=values["subsidy_rate"],
        purpose=values["purpose"],
        purpose_note=(values.get("purpose_note") or "").strip()[:200],
        renews=renews,
        policy=[a.record() for a in applied],
        created_by=by,
    )
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=loan,
        target_repr=str(loan),
        region_code=loan.region_id,
        changes={
            "household": household.household_no,
            "amount": loan.amount,
            "issued_on": loan.issued_on.isoformat(),
            "due_on": loan.due_on.isoformat(),
            "renews": renews.pk if renews else None,
        },
    )
    if renews is not None:
        note = _("settled by renewal %(contract)s") % {"contract": loan.contract_no}
        _append(by, renews, EntryKind.RENEWAL, renews.balance, loan.issued_on, note)
    return loan


def _locked(loan: Loan, by) -> Loan:
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    access.require(by, Perm.MANAGE_LOANS, loan.region_id)
    return loan


def _entry_errors(loan: Loan, amount: Decimal | None, paid_on: dt.date | None) -> dict:
    errors: dict[str, str] = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("Enter an amount above zero; a correction reverses the wrong entry.")
    _day_errors(paid_on, loan.issued_on, "paid_on", errors)
    return errors


@transaction.atomic
def repay(*, by, loan: Loan, amount: Decimal, paid_on: dt.date, note: str = "") -> LoanEntry:
    loan = _locked(loan, by)
    errors = _entry_errors(loan, amount, paid_on)
    if "amount" not in errors and amount > loan.balance:
        errors["amount"] = _("The repayment of %(amount)s yuan is more than the balance of %(balance)s.") % {
            "amount": _yuan(amount),
            "balance": _yuan(loan.balance),
        }
    if errors:
        raise ValidationError(errors)
    return _append(by, loan, EntryKind.REPAYMENT, amount, paid_on, note)


def subsidy_ceiling(loan: Loan) -> Decimal:
    """The most interest subsidy the loan can earn: its subsidised share of the interest on the whole
    amount from issue to the due date (an extension included), at the banks' daily rate (annual ÷ 360)."""
    days = (loan.due_on - loan.issued_on).days
    interest = loan.amount * loan.rate / 100 * days / 360
    return (interest * loan.subsidy_rate / 100).quantize(Decimal("0.01"))


def is_overdue(loan: Loan, day: dt.date) -> bool:
    """Past its due date with a balance left (from the day after the due date)."""
    return loan.balance > 0 and loan.due_on < day


@transaction.atomic
def pay_subsidy(*, by, loan: Loan, amount: Decimal, paid_on: dt.date, note: str = "") -> LoanEntry:
    loan = _locked(loan, by)
    errors = _entry_errors(loan, amount, paid_on)
    if loan.subsidy_rate == 0:
        errors = {"amount": _("This loan has no interest subsidy.")}
    elif "paid_on" not in errors and is_overdue(loan, paid_on):
        errors["paid_on"] = _("The loan is overdue; an overdue loan loses its interest subsidy.")
    elif "amount" not in errors and loan.subsidy_paid + amount > (ceiling := subsidy_ceiling(loan)):
        errors["amount"] = _(
            "Subsidy would total %(total)s yuan, more than the %(max)s the contract's interest allows."
        ) % {"total": _yuan(loan.subsidy_paid + amount), "max": _yuan(ceiling)}
    if errors:
        raise ValidationError(errors)
    return _append(by, loan, EntryKind.SUBSIDY, amount, paid_on, note)


def reversible(entry: LoanEntry) -> bool:
    """Whether the page offers to reverse `entry` (`reverse` refuses the rest)."""
    return entry.kind != EntryKind.RENEWAL and ledger.reversible(entry)


def open_to(loan: Loan, renewal: Loan | None) -> frozenset[str]:
    """What may be recorded on the loan now, as `issue`, `repay`, `pay_subsidy` and `extend` check it:
    "renew", "repay", "subsidy", "extend"."""
    if loan.balance <= 0:
        return frozenset()
    actions = {"repay"}
    if renewal is None:
        actions.add("renew")
    if loan.subsidy_rate > 0:
        actions.add("subsidy")
    if not hasattr(loan, "extension"):
        actions.add("extend")
    return frozenset(actions)


@transaction.atomic
def reverse(*, by, entry: LoanEntry, reason: str, on: dt.date | None = None) -> LoanEntry:
    loan = _locked(entry.loan, by)
    entry = LoanEntry.objects.select_for_update().get(pk=entry.pk)
    on = on or timezone.localdate()
    if entry.kind == EntryKind.RENEWAL:
        raise ValidationError(_("A settlement by renewal stands with the loan that renewed it."))
    check_reversal(entry, reason, on)
    return _append(by, loan, entry.kind, -entry.amount, on, reason, reverses=entry)


@transaction.atomic
def extend(*, by, loan: Loan, to_due_on: dt.date, reason: str, on: dt.date) -> Extension:
    loan = _locked(loan, by)
    errors: dict[str, str] = {}
    if Extension.objects.filter(loan=loan).exists():
        raise ValidationError(_("This loan has already been extended once."))
    if loan.balance <= 0:
        raise ValidationError(_("The loan is repaid."))
    _day_errors(on, loan.issued_on, "on", errors)
    if "on" not in errors and on > loan.due_on:
        errors["on"] = _("An extension is agreed before the loan falls due (%(due)s).") % {"due": loan.due_on}
    longest = int(resolve(Name.LOAN_EXTENSION_MAX, on.year, loan.region_id).value)
    latest = add_months(loan.due_on, longest)
    if to_due_on <= loan.due_on or to_due_on > latest:
        errors["to_due_on"] = _("The new due date is after %(due)s and at the latest %(latest)s.") % {
            "due": loan.due_on,
            "latest": latest,
        }
    if not reason.strip():
        errors["reason"] = _("Give the reason for the extension.")
    if errors:
        raise ValidationError(errors)
    extension = Extension.objects.create(
        loan=loan,
        from_due_on=loan.due_on,
        to_due_on=to_due_on,
        reason=reason.strip()[:200],
        recorded_on=on,
        recorded_by=by,
    )
    loan.due_on = to_due_on
    loan.save(update_fields=["due_on"])
    record_event(
        actor=by,
        event_type=EventType.UPDATE,
        target=loan,
        target_repr=str(loan),
        region_code=loan.region_id,
        changes={"due_on": [extension.from_due_on.isoformat(), to_due_on.isoformat()], "reason": extension.reason},
    )
    return extension


def _append(by, loan: Loan, kind: str, amount: Decimal, paid_on: dt.date, note: str, reverses=None) -> LoanEntry:
    entry = LoanEntry.objects.create(
        loan=loan, kind=kind, amount=amount, paid_on=paid_on, reverses=reverses, note=note.strip()[:200], recorded_by=by
    )
    sums = loan.entries.values("kind").annotate(s=Sum("amount"))
    by_kind = {row["kind"]: row["s"] for row in sums}
    loan.repaid = sum((by_kind.get(k, ZERO) for k in PRINCIPAL_KINDS), ZERO)
    loan.subsidy_paid = by_kind.get(EntryKind.SUBSIDY, ZERO)
    loan.save(update_fields=["repaid", "subsidy_paid"])
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=entry,
        target_repr=f"{loan} {entry.get_kind_display()}",
        region_code=loan.region_id,
        changes={"kind": kind, "amount": amount, "paid_on": paid_on.isoformat(), "reverses": entry.reverses_id},
    )
    return entry

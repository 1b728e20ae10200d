"""Microcredit for the demo county: loans to eligible households of cadre1's township, issued over
the last four years, some repaid, some due this month, some overdue, one extended. A second run
changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fupin import access
from fupin.accounts.models import User
from fupin.registry.models import Household

from . import loans
from .models import Loan

BANKS = ("平舆县农村信用合作联社", "中国邮政储蓄银行平舆县支行", "中国农业银行平舆县支行")
PURPOSES = (("breeding", "养牛"), ("planting", "种植花生"), ("processing", "粮食加工"), ("trade", "农资经营"))


def _issue(admin, household, rng: random.Random, number: int, issued: dt.date, term: int) -> Loan | None:
    purpose, note = rng.choice(PURPOSES)
    members = list(household.members.filter(left_on__isnull=True).order_by("relation_to_head"))
    for member in members:
        try:
            return loans.issue(
                by=admin,
                household=household,
                values={
                    "borrower_id": member.pk,
                    "bank": BANKS[number % len(BANKS)],
                    "contract_no": f"FPXD{issued:%Y}{number:05d}",
                    "amount": Decimal(rng.choice((10000, 20000, 30000, 50000))),
                    "issued_on": issued,
                    "term_months": term,
                    "rate": Decimal("4.75") if term > 12 else Decimal("4.35"),
                    "subsidy_rate": Decimal(100) if issued.year < 2024 else Decimal(70),
                    "purpose": purpose,
                    "purpose_note": note,
                },
            )
        except ValidationError:
            continue  # this member is too young or too old: try the next
    return None


@transaction.atomic
def seed(households: int = 60) -> str:
    if Loan.objects.exists():
        return "loans already seeded"
    admin = User.objects.get(username="county_operator")
    township = User.objects.get(username="cadre1").region_id[:9]
    today = timezone.localdate()
    rng = random.Random(20141)  # noqa: S311 (synthetic data, not secrets)
    found = Household.objects.filter(access.under("region_id", township), poverty_status__in=loans.ELIGIBLE)
    made = 0
    for number, household in enumerate(found.order_by("household_no")[:households]):
        kind = number % 6
        if kind == 0:  # falls due this month
            issued, term = loans.add_months(today.replace(day=min(today.day, 28)), -12), 12
        elif kind == 1:  # overdue since last month
            issued, term = loans.add_months(today.replace(day=1), -13), 12
        else:
            issued, term = today - dt.timedelta(days=rng.randint(60, 1400)), rng.choice((12, 24, 36))
        loan = _issue(admin, household, rng, number, issued, term)
        if loan is None:
            continue
        made += 1
        if kind == 2 and loan.due_on < today:  # repaid on time
            loans.repay(by=admin, loan=loan, amount=loan.amount, paid_on=loan.due_on)
        elif kind in (3, 4):  # part repaid, subsidy paid for the first year
            loans.repay(
                by=admin, loan=loan, amount=loan.amount / 4, paid_on=min(today, loan.issued_on + dt.timedelta(days=200))
            )
            if loan.due_on >= today:
                first_year = (loan.amount * loan.rate / 100 * loan.subsidy_rate / 100).quantize(Decimal("0.01"))
                paid_on = min(today, loan.issued_on + dt.timedelta(days=360))
                loans.pay_subsidy(
                    by=admin, loan=loan, amount=min(first_year, loans.subsidy_ceiling(loan)), paid_on=paid_on
                )
        elif kind == 5 and today <= loan.due_on:
            loans.extend(
                by=admin,
                loan=loan,
                to_due_on=loans.add_months(loan.due_on, 6),
                reason="受灾减产，经银行同意展期",
                on=today,
            )
    return f"{made} loans"

"""Microcredit figures per region as of a day (domain.md §7.4): balance, borrowers, what falls due
this month, what is overdue and the overdue rate, and the share of eligible households that have
borrowed.

Every loan figure is a condition on the loan row (STATUSES), so the table counts with one GROUP BY
and each number links to the loan list filtered by the same condition. A loan is due in the month
of its due date and overdue from the day after it while a balance remains.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from fupin.regions import tables
from fupin.registry.models import Household

from .loans import ELIGIBLE, is_overdue, month_bounds
from .models import Loan

ZERO = Decimal(0)


def _due_this_month(day: dt.date) -> Q:
    first, last = month_bounds(day)
    return Q(repaid__lt=F("amount"), due_on__gte=first, due_on__lte=last)


STATUSES: dict[str, Callable[[dt.date], Q]] = {
    "outstanding": lambda day: Q(repaid__lt=F("amount")),
    "due_this_month": _due_this_month,
    "overdue": lambda day: Q(repaid__lt=F("amount"), due_on__lt=day),
    "settled": lambda day: Q(repaid=F("amount")),
}
STATUS_LABELS = {
    "outstanding": _("outstanding"),
    "due_this_month": _("due this month"),
    "overdue": _("overdue"),
    "settled": _("repaid"),
}


def status_of(loan: Loan, day: dt.date) -> str:
    """One loan's status on `day`, as STATUSES would place it (the most pressing of them)."""
    if loan.balance <= 0:
        return "settled"
    if is_overdue(loan, day):
        return "overdue"
    first, last = month_bounds(day)
    return "due_this_month" if first <= loan.due_on <= last else "outstanding"


def with_status(loans: QuerySet[Loan], status: str, day: dt.date) -> QuerySet[Loan]:
    return loans.filter(STATUSES[status](day))


def _loan_figures(day: dt.date) -> dict:
    money = {"output_field": Loan._meta.get_field("amount")}
    balance = F("amount") - F("repaid")

    def owed(status: str):
        return Coalesce(Sum(balance, filter=STATUSES[status](day)), Value(ZERO), **money)

    return {
        "loans": Count("pk", filter=STATUSES["outstanding"](day)),
        "borrowers": Count("household", filter=STATUSES["outstanding"](day), distinct=True),
        "balance": owed("outstanding"),
        "due_this_month": Count("pk", filter=STATUSES["due_this_month"](day)),
        "due_amount": owed("due_this_month"),
        "overdue": Count("pk", filter=STATUSES["overdue"](day)),
        "overdue_amount": owed("overdue"),
        "issued_this_year": Coalesce(Sum("amount", filter=Q(issued_on__year=day.year)), Value(ZERO), **money),
    }


def _household_figures() -> dict:
    has_loan = Exists(Loan.objects.filter(household=OuterRef("pk")))
    return {"eligible": Count("pk"), "borrowed": Count("pk", filter=has_loan)}


HOUSEHOLD_FIGURES = ("eligible", "borrowed")


class LoanRow(tables.TableRow):
    @property
    def overdue_rate(self) -> Decimal | None:
        return self.rate("overdue_amount", "balance")

    @property
    def borrowed_share(self) -> Decimal | None:
        return self.rate("borrowed", "eligible")


LOAN_COUNTS = ("loans", "borrowers", "due_this_month", "overdue")
LOAN_MONEY = ("balance", "due_amount", "overdue_amount", "issued_this_year")
# Every figure of a row before any loan or household is counted.
ZEROS = dict.fromkeys(LOAN_COUNTS + HOUSEHOLD_FIGURES, 0) | dict.fromkeys(LOAN_MONEY, ZERO)


def figures(loans: QuerySet[Loan], households: QuerySet[Household], day: dt.date) -> list[tables.Figures]:
    """What the loan figures count: the loans, and the households eligible to borrow."""
    return [
        tables.Figures(loans, _loan_figures(day)),
        tables.Figures(households.filter(poverty_status__in=ELIGIBLE), _household_figures()),
    ]


def totals(loans: QuerySet[Loan], households: QuerySet[Household], day: dt.date) -> LoanRow:
    figures = loans.aggregate(**_loan_figures(day))
    figures |= households.filter(poverty_status__in=ELIGIBLE).aggregate(**_household_figures())
    return LoanRow("", figures)

"""The loan ledger as a sheet: one row per loan, ID numbers masked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.regions.models import full_name_of
from fupin.registry.id_numbers import mask

from .models import Loan

HEADER = [
    gettext_lazy("village"),
    gettext_lazy("household number"),
    gettext_lazy("borrower"),
    gettext_lazy("ID number"),
    gettext_lazy("lending bank"),
    gettext_lazy("contract number"),
    gettext_lazy("amount (yuan)"),
    gettext_lazy("issued on"),
    gettext_lazy("term (months)"),
    gettext_lazy("due on"),
    gettext_lazy("annual interest rate (%)"),
    gettext_lazy("interest subsidised (%)"),
    gettext_lazy("purpose"),
    gettext_lazy("principal repaid (yuan)"),
    gettext_lazy("balance (yuan)"),
    gettext_lazy("interest subsidy paid (yuan)"),
    gettext_lazy("state"),
]


def state(loan: Loan, day: dt.date) -> str:
    if loan.balance <= 0:
        return _("repaid")
    if loan.due_on < day:
        return _("overdue")
    if (loan.due_on.year, loan.due_on.month) == (day.year, day.month):
        return _("due this month")
    return _("outstanding")


def rows(loans: QuerySet[Loan], day: dt.date) -> Iterator[list]:
    names: dict[str, str] = {}
    for loan in loans.iterator(chunk_size=2000):
        if loan.region_id not in names:
            names[loan.region_id] = full_name_of(loan.region_id)
        yield [
            names[loan.region_id],
            loan.household.household_no,
            loan.borrower.name,
            mask(loan.borrower.id_number),
            loan.bank,
            loan.contract_no,
            loan.amount,
            loan.issued_on,
            loan.term_months,
            loan.due_on,
            loan.rate,
            loan.subsidy_rate,
            loan.get_purpose_display(),
            loan.repaid,
            loan.balance,
            loan.subsidy_paid,
            state(loan, day),
        ]

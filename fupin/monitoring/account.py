"""The income-and-expenditure account (收支核算, 2026 No.1 document): a year's net income less the compliant
out-of-pocket spending, per person, against that year's line. Compared exactly; shown rounded."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fupin.policy.values import Applied, PolicyMissing, income_line
from fupin.registry import income
from fupin.registry.models import Household, IncomeRecord

from .models import RigidExpenditure


@dataclass(frozen=True)
class Account:
    year: int
    size: int
    net_income: Decimal | None  # None: no income recorded for the year
    spending: Decimal | None  # None: no spending recorded
    line: Applied | None  # None: no line set for the year

    @property
    def remaining(self) -> Decimal | None:
        if self.net_income is None:
            return None
        return self.net_income - (self.spending or Decimal(0))

    @property
    def remaining_per_capita(self) -> Decimal | None:
        return None if self.remaining is None else income.per_person(self.remaining, self.size)

    @property
    def below_line(self) -> bool | None:
        """Whether the income left after the spending is below the line: exactly, on the totals."""
        if self.remaining is None or self.line is None or not self.size:
            return None
        return income.compared(self.remaining, self.size, self.line.value) == -1


def _account(household: Household, year: int, record: IncomeRecord | None) -> Account:
    spent = RigidExpenditure.objects.filter(household=household, year=year).first()
    try:
        line = income_line(year, household.region_id, household.identification_standard)
    except PolicyMissing:
        line = None
    size = record.household_size if record else household.size
    return Account(
        year=year,
        size=size or 0,
        net_income=Decimal(record.net_income) if record else None,
        spending=spent.total if spent else None,
        line=line,
    )


def account(household: Household, year: int) -> Account:
    return _account(household, year, IncomeRecord.objects.filter(household=household, year=year).first())


def latest_account(household: Household, up_to: int) -> Account:
    """The account of the latest year up to `up_to` with an income record (of the year before, without one)."""
    record = household.incomes.filter(year__lte=up_to).order_by("-year").first()
    return _account(household, record.year if record else up_to - 1, record)

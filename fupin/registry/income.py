"""Household income (../shared/domain.md §2.5). Computed from its items, never typed in:

    net income            = wages + business + property + transfers − business costs
    per-capita net income = net income ÷ household size

Property and transfer income are sums of their itemised parts. Amounts are yuan with two decimals;
the per-capita figure is rounded half up to the fen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")

PROPERTY_ITEMS = ("dividend_income", "other_property_income")
TRANSFER_ITEMS = (
    "family_planning_subsidy",
    "dibao_benefit",
    "tekun_benefit",
    "pension_benefit",
    "eco_compensation",
    "other_transfer_income",
)
# Every amount a user enters, in the order of the national form.
ITEMS = ("wage_income", "business_income", *PROPERTY_ITEMS, *TRANSFER_ITEMS, "business_expense")
# The items money can be paid into (every item but the costs), e.g. by an assistance measure.
EARNED_ITEMS = ITEMS[:-1]
# Recorded for monitoring (合规自付支出); not part of the 建档立卡 net-income formula.
RECORDED_ONLY = ("compliant_out_of_pocket",)


@dataclass(frozen=True)
class IncomeComputation:
    wage_income: Decimal
    business_income: Decimal
    property_income: Decimal
    transfer_income: Decimal
    business_expense: Decimal
    net_income: Decimal
    household_size: int
    net_income_per_capita: Decimal | None  # None for a household with no members

    @property
    def gross_income(self) -> Decimal:
        return self.wage_income + self.business_income + self.property_income + self.transfer_income

    def stored(self) -> dict[str, Decimal | int | None]:
        """The computed columns an income record keeps, by name (see STORED)."""
        return {name: getattr(self, name) for name in STORED}


# The columns of an income record that are computed, never typed.
STORED = ("property_income", "transfer_income", "net_income", "household_size", "net_income_per_capita")


def _amount(items: Mapping[str, Decimal | int | None], key: str) -> Decimal:
    return Decimal(items.get(key) or 0)


def compute(items: Mapping[str, Decimal | int | None], household_size: int) -> IncomeComputation:
    wages = _amount(items, "wage_income")
    business = _amount(items, "business_income")
    property_income = sum((_amount(items, k) for k in PROPERTY_ITEMS), Decimal(0))
    transfers = sum((_amount(items, k) for k in TRANSFER_ITEMS), Decimal(0))
    costs = _amount(items, "business_expense")
    net = wages + business + property_income + transfers - costs
    per_capita = per_person(net, household_size)
    return IncomeComputation(
        wage_income=wages,
        business_income=business,
        property_income=property_income,
        transfer_income=transfers,
        business_expense=costs,
        net_income=net,
        household_size=household_size,
        net_income_per_capita=per_capita,
    )


def per_person(amount: Decimal, household_size: int) -> Decimal | None:
    """An amount per person, rounded to the fen: for reading, never for a comparison (`compared`)."""
    return (amount / household_size).quantize(FEN, rounding=ROUND_HALF_UP) if household_size > 0 else None


def compared(amount: Decimal, household_size: int, line: Decimal) -> int | None:
    """How `amount` per person compares with `line`, exactly, on the totals: -1 below, 0 equal, 1 above
    (None with no members). 16,000.01 yuan for 4 people is above a 4,000 line though it shows as 4,000.00."""
    if not household_size:
        return None
    amount, total = Decimal(amount), Decimal(line) * household_size
    return (amount > total) - (amount < total)


def per_capita_compared(record, line: Decimal) -> int | None:
    """How a record's per-capita net income compares with `line`, exactly (`compared`); None with no
    income or no members. The stored per-capita figure is rounded to the fen and is for reading only."""
    return None if record is None else compared(record.net_income, record.household_size, line)


def measure_parts(stored: Mapping[str, str] | None) -> dict[str, Decimal]:
    """The part of each item that assistance measures paid, from an income record's `from_measures`."""
    return {item: Decimal(amount) for item, amount in (stored or {}).items() if Decimal(amount)}

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fupin.registry import income

amounts = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False)
items = st.fixed_dictionaries(dict.fromkeys(income.ITEMS, amounts))


@given(values=items, size=st.integers(min_value=1, max_value=20))
def test_net_income_is_the_four_groups_minus_costs_and_per_capita_divides_it(values, size):
    result = income.compute(values, size)
    property_income = sum(values[k] for k in income.PROPERTY_ITEMS)
    transfers = sum(values[k] for k in income.TRANSFER_ITEMS)
    expected = (
        values["wage_income"] + values["business_income"] + property_income + transfers - values["business_expense"]
    )
    assert result.net_income == expected
    assert result.gross_income - result.business_expense == result.net_income
    assert abs(result.net_income_per_capita * size - expected) <= Decimal("0.005") * size


def test_rounding_is_half_up_to_the_fen():
    result = income.compute({"wage_income": Decimal("10.01")}, 2)
    assert result.net_income_per_capita == Decimal("5.01")  # 5.005 rounds up


def test_missing_items_count_as_zero_and_an_empty_household_has_no_per_capita_figure():
    result = income.compute({"wage_income": 1000, "business_expense": None}, 0)
    assert result.net_income == 1000
    assert result.net_income_per_capita is None


def test_costs_can_make_net_income_negative():
    result = income.compute({"business_income": 1000, "business_expense": 1500}, 1)
    assert result.net_income == -500

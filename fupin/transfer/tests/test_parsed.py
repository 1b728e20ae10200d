import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupin.transfer import parsed

COLUMNS = {
    "name": st.text(),
    "size": st.none() | st.integers(-(2**40), 2**40),
    "area": st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=2),
    "born": st.none() | st.dates(),
    "flag": st.none() | st.booleans(),
    "health": st.lists(st.sampled_from(["1", "2", "31"]), max_size=3),
}


@given(st.lists(st.fixed_dictionaries(COLUMNS), max_size=30))
def test_rows_come_back_as_they_were_kept(rows):
    kept = io.BytesIO()
    parsed.dump(rows, kept)
    kept.seek(0)
    back = parsed.load(kept)
    assert back == rows
    assert all(type(a[k]) is type(b[k]) for a, b in zip(back, rows, strict=True) for k in a)


def test_a_column_of_mixed_types_is_refused():
    with pytest.raises(TypeError, match="several types"):
        parsed.dump([{"x": Decimal("1")}, {"x": dt.date(2020, 1, 1)}], io.BytesIO())

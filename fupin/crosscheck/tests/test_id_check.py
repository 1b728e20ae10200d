"""The check of a list's ID numbers, in SQL over the whole list, gives the verdict of the national
standard's check (python-stdnum) on whatever a department writes in the cell: valid numbers ending in a
digit or X, a wrong check character, lower-case x, 15-digit numbers, spaces around, other characters
(Chinese, backslashes, full-width digits, letters), too short or too long. Run on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import types

from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from stdnum.cn import ric

from fupin.crosscheck import loading
from fupin.crosscheck.models import DatasetLoad

KIND = types.SimpleNamespace(
    required_keys=["name"], columns=[{"key": "id_number", "header": "身份证号"}, {"key": "name", "header": "姓名"}]
)


def valid_numbers():
    """Valid 18-character numbers, about one in eleven ending in X."""
    born = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 12, 31))
    area = st.integers(min_value=110000, max_value=659999)
    order = st.integers(min_value=0, max_value=999)
    return st.builds(
        lambda a, d, o: (body := f"{a}{d:%Y%m%d}{o:03d}") + ric.calc_check_digit(body + "0"), area, born, order
    )


def spoilt(number: str, position: int, character: str) -> str:
    return number[:position] + character + number[position + 1 :]


def cells():
    junk = st.sampled_from(["X", "x", "张", "\\", "１", "a", " ", "-", "0", "9", "é"])
    number = valid_numbers()
    return st.one_of(
        number,
        number.map(str.lower),
        st.builds(spoilt, number, st.integers(min_value=0, max_value=17), junk),
        number.map(lambda n: n[:6] + n[8:17]),  # the first-generation form, when born in the 1900s
        st.builds(lambda n, around: around[0] + n + around[1], number, st.sampled_from([("", ""), (" ", "  ")])),
        st.text(alphabet="0123456789Xx \\张", max_size=20),
        st.just(""),
    )


def expected(cell: str) -> str:
    """The number a row is matched by, "" when it is set aside: the register's form of a number that
    is 15 digits, or 18 characters whose check character is right (spaces around and x allowed)."""
    raw = cell.strip(" ").upper()
    if len(raw) == 15 and raw.isascii() and raw.isdigit():
        body = raw[:6] + "19" + raw[6:]
        return body + ric.calc_check_digit(body + "0")
    body = raw[:17]
    if len(raw) == 18 and body.isascii() and body.isdigit() and ric.calc_check_digit(body + "0") == raw[17]:
        return raw
    return ""


class IdCheckTestCase(HypothesisTestCase):
    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(numbers=st.lists(cells(), min_size=1, max_size=12))
    def test_the_sql_check_agrees_with_the_standard(self, numbers):
        load = DatasetLoad(pk=990_001, positions={"id_number": 0, "name": 1}, width=2, first_row=2)
        loading._create_table(load)
        with connection.cursor() as cursor:
            for n, number in enumerate(numbers, start=1):
                cursor.execute(f"INSERT INTO {loading.table_of(load)} (n, c0, c1) VALUES (%s, %s, '张三')", [n, number])  # noqa: S608
            cursor.execute(loading._suspects_sql(load, KIND.required_keys))
            suspects = [n for n, *_cells in cursor.fetchall()]
            set_aside, _listed = loading._check_numbers(load, KIND)
            cursor.execute(f"SELECT {loading.key_sql(load)} FROM {loading.table_of(load)} r ORDER BY n")  # noqa: S608
            matched = [key for (key,) in cursor.fetchall()]
        loading.drop(load)
        self.assertEqual(matched, [expected(number) for number in numbers])
        # the pass over every row lets through exactly the numbers that are right as written
        right_as_written = [bool(number) and expected(number) == number for number in numbers]
        self.assertEqual(sorted(suspects), [n for n, right in enumerate(right_as_written, 1) if not right])
        self.assertEqual(set_aside, sum(1 for number in numbers if not expected(number)))

    def test_the_largest_numbers_do_not_overflow(self):
        load = DatasetLoad(pk=990_002, positions={"id_number": 0, "name": 1}, width=2, first_row=2)
        loading._create_table(load)
        largest = "99999999999999999" + ric.calc_check_digit("99999999999999999" + "0")
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {loading.table_of(load)} (n, c0, c1) VALUES (1, %s, '张三')", [largest])  # noqa: S608
            set_aside, _listed = loading._check_numbers(load, KIND)
        loading.drop(load)
        self.assertEqual(set_aside, 0)

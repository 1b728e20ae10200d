"""A rule's condition as SQL gives the verdict the Python rule gives, on whatever a department writes
in a cell (numbers with commas and signs, dates, words, blanks, spaces around), for every operator:
the comparison runs the SQL, the tests and the explanations the Python. Run on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from fupin.crosscheck import rules

WORDS = ["小型轿车", "摩托车", "住宅", "商业", "死亡", "辍学", "C级", "不详", "X", "轿"]


def numbers():
    decimals = st.decimals(min_value=-99999, max_value=99999, places=2, allow_nan=False, allow_infinity=False)
    return st.one_of(
        st.integers(min_value=-100000, max_value=100000).map(str),
        decimals.map(str),
        st.integers(min_value=1000, max_value=9999999).map(lambda n: f"{n:,}"),
    )


def dates():
    return st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)).map(dt.date.isoformat)


def texts():
    plain = st.one_of(numbers(), dates(), st.sampled_from(WORDS), st.just(""))
    return st.tuples(plain, st.sampled_from(["", " ", "  "]), st.sampled_from(["", " "])).map(
        lambda t: t[1] + t[0] + t[2]
    )


def clauses():
    single = st.one_of(numbers(), dates(), st.sampled_from(WORDS))
    listed = st.lists(st.one_of(st.sampled_from(WORDS), numbers()), min_size=1, max_size=4)
    return st.one_of(
        st.builds(lambda op: {"column": "v", "op": op}, st.just("present")),
        st.builds(
            lambda op, value: {"column": "v", "op": op, "value": value},
            st.sampled_from(["eq", "ne", "contains", "gt", "ge", "lt", "le"]),
            single,
        ),
        st.builds(
            lambda op, value: {"column": "v", "op": op, "value": value}, st.sampled_from(["in", "not_in"]), listed
        ),
    )


def no_threshold(name: str) -> Decimal:
    raise AssertionError(name)


def sql_holds(clause: dict, text: str) -> bool:
    sql, params = rules.clause_sql(clause, "trim(coalesce(r.v, ''))", no_threshold, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CASE WHEN ({sql}) THEN 1 ELSE 0 END FROM (SELECT %s AS v) r", [*params, text])  # noqa: S608
        return cursor.fetchone()[0] == 1


class SqlRulesTestCase(HypothesisTestCase):
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(clause=clauses(), text=texts())
    def test_sql_and_python_agree(self, clause, text):
        self.assertEqual(sql_holds(clause, text), rules.clause_holds(clause, {"v": text}, no_threshold), (clause, text))

    def test_the_edges_that_matter(self):
        above = {"column": "v", "op": "gt", "value": "20000"}
        self.assertFalse(sql_holds(above, "20000"))  # equal is not above
        self.assertFalse(sql_holds(above, "20,000.00"))
        self.assertTrue(sql_holds(above, " 20,000.01 "))
        self.assertFalse(sql_holds(above, "不详"))  # not a number: no finding
        self.assertFalse(sql_holds({"column": "v", "op": "not_in", "value": ["摩托车"]}, ""))  # nothing on missing data
        self.assertTrue(sql_holds({"column": "v", "op": "lt", "value": "2026-01-01"}, "2025-12-31"))

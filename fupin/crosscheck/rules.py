"""Evaluating a rule's condition on one dataset row, and checking a rule before it is saved.

A condition is `{"all": [clause, …]}`; a clause names a column of its kind, an operator and either a
value or a policy item (a threshold that is data by year and place). Comparisons are exact: numbers as
Decimal, dates as dates; "gt" is strictly above (高于), equal is not above. A value the row does not have
(empty, or not a number where one is compared) makes the clause false: no finding on missing data.

`condition_sql` says the same in SQL, so that a comparison of 10^7 rows runs in the database; a
property test holds the two to the same verdicts. A number is digits with an optional sign and decimal
part (thousands commas ignored), a date starts with YYYY-MM-DD; anything else is no number or date. On
PostgreSQL numbers compare as numeric (exact); SQLite has no decimal type, so there they compare as
doubles, exact for the figures a list holds (fewer than 15 significant digits).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fupin.policy.items import ITEMS
from fupin.policy.values import resolve

ORDERED = {"gt", "ge", "lt", "le"}
OPERATORS = ORDERED | {"present", "eq", "ne", "in", "not_in", "contains"}


NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def as_number(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    text = str(value).replace(",", "").strip()
    return Decimal(text) if NUMBER.fullmatch(text) else None


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()[:10]
    if not DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _ordered(op: str, left, right) -> bool:
    return {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[op]


def clause_holds(clause: Mapping, row: Mapping[str, Any], threshold: Callable[[str], Decimal]) -> bool:
    op, raw = clause["op"], row.get(clause["column"])
    text = "" if raw is None else str(raw).strip()
    if op == "present":
        return text != ""
    if text == "":
        return False
    expected = threshold(clause["policy"]) if "policy" in clause else clause.get("value")
    if op in ORDERED:
        left, right = as_number(text), as_number(expected)
        if left is None or right is None:  # dates compare as dates
            left, right = as_date(text), as_date(expected)
        return left is not None and right is not None and _ordered(op, left, right)
    if op == "eq":
        return text == str(expected)
    if op == "ne":
        return text != str(expected)
    if op == "in":
        return text in {str(v) for v in expected}
    if op == "not_in":
        return text not in {str(v) for v in expected}
    return str(expected) in text  # contains


def holds(condition: Mapping, row: Mapping[str, Any], threshold: Callable[[str], Decimal]) -> bool:
    return all(clause_holds(clause, row, threshold) for clause in condition["all"])


def thresholds(year: int, region_code: str) -> Callable[[str], Decimal]:
    """The policy value of a threshold item for a year and place, read once per item."""
    found: dict[str, Decimal] = {}

    def value(name: str) -> Decimal:
        if name not in found:
            found[name] = resolve(name, year, region_code).value
        return found[name]

    return value


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def explain(template: str, row: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> str:
    """The rule's explanation with the row's values in its {column} places ("—" for one it lacks)."""
    values = _Blank({k: ("—" if v in (None, "") else v) for k, v in {**row, **(extra or {})}.items()})
    return string.Formatter().vformat(template, (), values)


def check(condition: Any, columns: list[str], explanation: str) -> None:
    """Refuse a rule that names a column its kind does not have, an unknown operator or policy item, or a
    clause without what its operator needs; with Chinese messages naming the fault."""
    clauses = condition.get("all") if isinstance(condition, Mapping) else None
    if not clauses or not isinstance(clauses, list):
        raise ValidationError({"condition": _('A condition is {"all": [clauses]} with at least one clause.')})
    errors = []
    for n, clause in enumerate(clauses, start=1):
        column, op = clause.get("column"), clause.get("op")
        if column not in columns:
            errors.append(_("Clause %(n)s: the kind has no column “%(column)s”.") % {"n": n, "column": column})
        if op not in OPERATORS:
            errors.append(_("Clause %(n)s: unknown operator “%(op)s”.") % {"n": n, "op": op})
        elif op != "present" and "value" not in clause and "policy" not in clause:
            errors.append(_("Clause %(n)s: give a value or a policy item to compare with.") % {"n": n})
        if "policy" in clause and clause["policy"] not in ITEMS:
            errors.append(_("Clause %(n)s: unknown policy item “%(item)s”.") % {"n": n, "item": clause["policy"]})
    try:
        named = {field for _text, field, _spec, _conv in string.Formatter().parse(explanation) if field}
    except ValueError:
        named = set()
        errors.append(_("The explanation has an unmatched brace: write a column as {column}."))
    if unknown := named - set(columns):
        errors.append(
            _("The explanation names columns the kind does not have: %(names)s.")
            % {"names": "、".join(sorted(unknown))}
        )
    if errors:
        raise ValidationError({"condition": errors})


SQL_ORDER = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}


def number_sql(column: str, vendor: str) -> str:
    """A row's text as a number in SQL (NULL when it is not one, as `as_number` says None)."""
    text = f"replace({column}, ',', '')"
    if vendor == "postgresql":
        return f"(CASE WHEN {text} ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN CAST({text} AS numeric) END)"
    return f"(CASE WHEN {text} REGEXP '^-?[0-9]+(\\.[0-9]+)?$' THEN CAST({text} AS REAL) END)"


def _sql_date(column: str, vendor: str) -> str:
    day = f"substr({column}, 1, 10)"
    match = "~" if vendor == "postgresql" else "REGEXP"
    return f"(CASE WHEN {day} {match} '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$' THEN {day} END)"


def clause_sql(clause: Mapping, column: str, threshold: Callable[[str], Decimal], vendor: str) -> tuple[str, list]:
    """One clause over `column` (a row's text, trimmed, "" when empty) as SQL with its parameters."""
    op = clause["op"]
    filled = f"{column} <> ''"
    if op == "present":
        return filled, []
    expected = threshold(clause["policy"]) if "policy" in clause else clause.get("value")
    if op in ORDERED:
        number = as_number(expected)
        if number is not None:
            bound = number if vendor == "postgresql" else float(number)
            return f"{number_sql(column, vendor)} {SQL_ORDER[op]} %s", [bound]
        day = as_date(expected)
        if day is None:
            return "1 = 0", []  # nothing compares with a value that is neither number nor date
        return f"{_sql_date(column, vendor)} {SQL_ORDER[op]} %s", [day.isoformat()]
    if op in ("eq", "ne"):
        return f"{filled} AND {column} {'=' if op == 'eq' else '<>'} %s", [str(expected)]
    if op in ("in", "not_in"):
        values = [str(v) for v in expected]
        if not values:
            return (filled if op == "not_in" else "1 = 0"), []
        marks = ", ".join(["%s"] * len(values))
        return f"{filled} AND {column} {'IN' if op == 'in' else 'NOT IN'} ({marks})", values
    find = "strpos" if vendor == "postgresql" else "instr"  # contains
    return f"{filled} AND {find}({column}, %s) > 0", [str(expected)]


def condition_sql(
    condition: Mapping, columns: Mapping[str, str], threshold: Callable[[str], Decimal], vendor: str
) -> tuple[str, list]:
    """A rule's condition as SQL (every clause holds) over the SQL `columns` of its kind's keys."""
    parts, params = [], []
    for clause in condition["all"]:
        sql, values = clause_sql(clause, columns[clause["column"]], threshold, vendor)
        parts.append(f"({sql})")
        params += values
    return " AND ".join(parts), params

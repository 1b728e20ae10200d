"""The department-data channel (部门筛查预警) and what the entry procedure's 信息比对 step shows.

The comparison of other departments' lists is a capability above this one: it raises a clue for a
household by calling `raise_warning` with the rule that fired and its values, and registers a source
of findings (`register_findings`) that the entry procedure shows for each household it checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fupin.registry.models import Household

from .clues import Report, report
from .models import Channel, Clue

FindingsSource = Callable[[Household], list[str]]  # a household -> what the departments' data says of it
_SOURCES: list[FindingsSource] = []


def register_findings(source: FindingsSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def findings_for(household: Household) -> list[str]:
    return [finding for source in _SOURCES for finding in source(household)]


def raise_warning(
    *, household: Household, rule: str, values: Mapping, said: str, risks=(), by=None
) -> tuple[Clue, bool]:
    """A clue from a department-data rule; added to the household's open clue if it has one."""
    return report(
        Report(
            channel=Channel.DEPARTMENT,
            region_id=household.region_id,
            name=household.head_name,
            said=said,
            risks=risks,
            household=household,
            rule=rule,
            values=values,
        ),
        by=by,
    )

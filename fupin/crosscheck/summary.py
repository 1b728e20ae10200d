"""Findings counted by department, by rule and by region (the one region-table module), each count a
link into the list of those findings."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fupin.regions import tables

from .models import Finding, Result

OPEN = ~Q(state=Finding.State.VERIFIED)


def aggregates(today: dt.date) -> dict:
    return {
        "found": Count("pk"),
        "open": Count("pk", filter=OPEN),
        "overdue": Count("pk", filter=OPEN & Q(due_on__lt=today)),
        "confirmed": Count("pk", filter=Q(result=Result.CONFIRMED)),
        "refuted": Count("pk", filter=Q(result=Result.REFUTED)),
        "corrected": Count("pk", filter=Q(result=Result.CORRECTED)),
    }


def zeros() -> dict:
    return dict.fromkeys(aggregates(timezone.localdate()), 0)


def by_rule(findings: QuerySet, today: dt.date) -> list[dict]:
    """A line per rule that found anything, in the kinds' order, with its department."""
    return list(
        findings.values("rule__kind__department", "rule__kind__code", "rule__code", "rule__name", "rule__yields")
        .annotate(**aggregates(today))
        .order_by("rule__kind__position", "rule__code")
    )


def by_department(lines: list[dict]) -> list[dict]:
    """The rule lines added up per department (a kind can feed several rules)."""
    found: dict[str, dict] = {}
    for line in lines:
        total = found.setdefault(
            line["rule__kind__code"], {"department": line["rule__kind__department"], "kind": line["rule__kind__code"]}
        )
        for name in zeros():
            total[name] = total.get(name, 0) + line[name]
    return list(found.values())


def by_region(request, findings: QuerySet, today: dt.date) -> tables.Table:
    return tables.table(request, [tables.Figures(findings, aggregates(today))], zeros())

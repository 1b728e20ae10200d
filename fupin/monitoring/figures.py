"""Monitoring by region (through the one region-table module): monitored households by category,
eliminations by route, clues by channel and state with the overdue ones, and how fast clues are
decided (the share decided within the deadline of 15 working days, the median days); and the
monitored households of the chosen region by risk type."""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from fupin.codes.catalogue import code_list
from fupin.regions import tables

from .clues import DUE
from .kinds import CATEGORY, RISK_TYPE
from .models import OPEN_CLUE_STATES, CaseStatus, Channel, ClueState, EliminationRoute, has_risk, with_risk_text

CHANNELS = (Channel.SELF_REPORT, Channel.CADRE, Channel.DEPARTMENT, Channel.SYSTEM)
DECIDED = (ClueState.CONFIRMED, ClueState.NOT_CONFIRMED)


class MonitoringRow(tables.TableRow):
    @property
    def by_category(self) -> list[tuple[str, int]]:
        """(category code, monitored households), in the code list's order."""
        return [(name.removeprefix("category_"), n) for name, n in self.figures.items() if name.startswith("category_")]

    @property
    def by_route(self) -> list[tuple[str, int]]:
        return [(name.removeprefix("route_"), n) for name, n in self.figures.items() if name.startswith("route_")]

    @property
    def by_channel(self) -> list[tuple[str, int]]:
        return [(name.removeprefix("channel_"), n) for name, n in self.figures.items() if name.startswith("channel_")]

    @property
    def in_time_share(self) -> Decimal | None:
        return self.rate("decided_in_time", "decided")


def _case_figures() -> dict:
    monitoring = Q(status=CaseStatus.MONITORING)
    figures = {"monitoring": Count("pk", filter=monitoring)}
    for code in code_list(CATEGORY).labels:
        figures[f"category_{code}"] = Count("pk", filter=monitoring & Q(category=code))
    figures["eliminated"] = Count("pk", filter=Q(status=CaseStatus.ELIMINATED))
    for route in EliminationRoute.values:
        figures[f"route_{route}"] = Count("pk", filter=Q(status=CaseStatus.ELIMINATED, elimination_route=route))
    return figures


def _clue_figures(today: dt.date) -> dict:
    open_ = Q(state__in=OPEN_CLUE_STATES)
    figures = {
        "open_clues": Count("pk", filter=open_),
        "overdue": Count("pk", filter=open_ & Q(due_on__lt=today)),
        "decided": Count("pk", filter=Q(state__in=DECIDED)),
        "decided_in_time": Count("pk", filter=Q(state__in=DECIDED, decided_on__lte=F("decide_due"))),
        "confirmed": Count("pk", filter=Q(state=ClueState.CONFIRMED)),
    }
    for channel in CHANNELS:
        figures[f"channel_{channel}"] = Count("pk", filter=Q(channel=channel))
    return figures


def zeros() -> dict:
    names = list(_case_figures()) + list(_clue_figures(timezone.localdate()))
    return dict.fromkeys(names, 0)


def sources(cases: QuerySet, clues: QuerySet, today: dt.date) -> list[tables.Figures]:
    return [
        tables.Figures(cases, _case_figures()),
        tables.Figures(clues.annotate(due_on=DUE), _clue_figures(today)),
    ]


def by_risk(cases: QuerySet) -> list[tuple[str, str, int]]:
    """(code, label, monitored households) for each risk type, in the chosen region."""
    risks = code_list(RISK_TYPE)
    open_cases = with_risk_text(cases.filter(status=CaseStatus.MONITORING))
    counts = open_cases.aggregate(**{f"r{code}": Count("pk", filter=has_risk(code)) for code in risks.labels})
    return [(code, label, counts[f"r{code}"]) for code, label in risks.labels.items()]


def decision_days(clues: QuerySet) -> float | None:
    """The median calendar days from a clue's report to its decision, over the decided clues."""
    days = [
        (decided - timezone.localdate(reported)).days
        for reported, decided in clues.filter(state__in=DECIDED).values_list("reported_at", "decided_on").iterator()
    ]
    return statistics.median(days) if days else None

"""The household list's monitoring filters: monitored now, ever, or with the risk eliminated; by
category; by risk type."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from fupin.codes.catalogue import code_list
from fupin.registry.search import ListFilter, register_filter

from .kinds import CATEGORY, RISK_TYPE
from .models import OPEN_CLUE_STATES, CaseStatus, Channel, Clue, ClueState, MonitoringCase, has_risk, with_risk_text

STATES = {
    "monitoring": (_("being monitored"), {"status": CaseStatus.MONITORING}),
    "eliminated": (_("risk has been eliminated"), {"status": CaseStatus.ELIMINATED}),
    "ever": (_("ever monitored"), {}),
}


def _with_case(queryset: QuerySet, cases: QuerySet) -> QuerySet:
    return queryset.filter(Exists(cases.filter(household=OuterRef("pk"))))


def _by_state(queryset: QuerySet, value: str) -> QuerySet:
    if value not in STATES:
        return queryset
    return _with_case(queryset, MonitoringCase.objects.filter(**STATES[value][1]))


def _by_category(queryset: QuerySet, value: str) -> QuerySet:
    return _with_case(queryset, MonitoringCase.objects.filter(status=CaseStatus.MONITORING, category=value))


def _by_risk(queryset: QuerySet, value: str) -> QuerySet:
    open_cases = with_risk_text(MonitoringCase.objects.filter(status=CaseStatus.MONITORING))
    return _with_case(queryset, open_cases.filter(has_risk(value)))


def _by_channel(queryset: QuerySet, value: str) -> QuerySet:
    if value not in Channel.values:
        return queryset
    return queryset.filter(Exists(Clue.objects.filter(household=OuterRef("pk"), channel=value)))


def _by_clue_state(queryset: QuerySet, value: str) -> QuerySet:
    wanted = {"open": {"state__in": OPEN_CLUE_STATES}} | {state: {"state": state} for state in ClueState.values}
    if value not in wanted:
        return queryset
    return queryset.filter(Exists(Clue.objects.filter(household=OuterRef("pk"), **wanted[value])))


def register_filters() -> None:
    register_filter(
        ListFilter(
            "monitoring", _("monitoring"), lambda: [(k, str(label)) for k, (label, _q) in STATES.items()], _by_state
        )
    )
    register_filter(
        ListFilter("monitoring_category", _("monitored category"), lambda: code_list(CATEGORY).active, _by_category)
    )
    register_filter(ListFilter("risk", _("risk type"), lambda: code_list(RISK_TYPE).active, _by_risk))
    register_filter(ListFilter("clue_channel", _("clue found through"), lambda: Channel.choices[:4], _by_channel))
    register_filter(
        ListFilter(
            "clue_state",
            _("clue state"),
            lambda: [("open", str(_("open clues"))), *ClueState.choices],
            _by_clue_state,
        )
    )

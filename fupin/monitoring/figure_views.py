"""Monitoring by region: the table that drills down, its export, and the households by risk type."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import record_export
from fupin.codes.catalogue import code_list
from fupin.lib.xlsx import xlsx_response
from fupin.regions import tables

from . import figures
from .kinds import CATEGORY
from .models import Channel, Clue, EliminationRoute, MonitoringCase


def _figures_context(request):
    today = timezone.localdate()
    cases = access.visible_to(MonitoringCase.objects.all(), request.user)
    clues_seen = access.visible_to(Clue.objects.all(), request.user)
    table = tables.table(request, figures.sources(cases, clues_seen, today), figures.zeros(), figures.MonitoringRow)
    chosen_cases = access.narrow(cases, "region_id", table.code)
    chosen_clues = access.narrow(clues_seen, "region_id", table.code)
    return {
        "table": table,
        "today": today,
        "categories": list(code_list(CATEGORY).labels.items()),
        "channels": [(c, Channel(c).label) for c in figures.CHANNELS],
        "routes": list(EliminationRoute.choices),
        "risks": figures.by_risk(chosen_cases),
        "median_days": figures.decision_days(chosen_clues),
        "up_query": urlencode({"region": table.up or ""}),
    }


@access.scoped
def region_figures(request):
    """Monitoring per region below the chosen one, each count leading to its households or clues."""
    return render(request, "monitoring/figures.html", _figures_context(request))


@access.scoped
def region_figures_export(request):
    context = _figures_context(request)
    table = context["table"]
    header = ["地区", "监测对象（户）"]
    header += [label for _code, label in context["categories"]]
    header += ["风险已消除（户）"] + [str(label) for _v, label in context["routes"]]
    header += ["未办结线索", "超期线索"] + [str(label) for _c, label in context["channels"]]
    header += ["已办结线索", "按期办结", "按期办结率"]
    rows = []
    for name, row in [(line.name, line.row) for line in table.lines] + [("合计", table.total)]:
        f = row.figures
        values = [name, f["monitoring"]] + [f[f"category_{code}"] for code, _l in context["categories"]]
        values += [f["eliminated"]] + [f[f"route_{v}"] for v, _l in context["routes"]]
        values += [f["open_clues"], f["overdue"]] + [f[f"channel_{c}"] for c, _l in context["channels"]]
        share = row.in_time_share
        values += [f["decided"], f["decided_in_time"], "" if share is None else f"{share}%"]
        rows.append(values)
    record_export(by=request.user, what=_("Monitoring by region"), filters=dict(request.GET.items()), format="xlsx")
    return xlsx_response("防返贫监测分区统计.xlsx", header, rows)

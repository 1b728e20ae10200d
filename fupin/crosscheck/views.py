"""The dataset kinds and their rules, as a county reads them before loading a department's list."""

from __future__ import annotations

from django.shortcuts import render

from fupin import access
from fupin.codes.catalogue import code_list
from fupin.monitoring.kinds import RISK_TYPE
from fupin.policy.items import ITEMS

from .models import DatasetKind, Rule

OPERATOR_WORDS = {
    "present": "有值",
    "eq": "等于",
    "ne": "不等于",
    "in": "为以下之一",
    "not_in": "不为以下任何一项",
    "contains": "包含",
    "gt": "高于",
    "ge": "不低于",
    "lt": "低于",
    "le": "不高于",
}


def describe(rule: Rule, headers: dict[str, str]) -> list[str]:
    """Each clause of a rule as a person reads it: "车辆类型 不为以下任何一项：农用车、摩托车"."""
    lines = []
    for clause in rule.condition["all"]:
        words = f"{headers.get(clause['column'], clause['column'])} {OPERATOR_WORDS.get(clause['op'], clause['op'])}"
        if "policy" in clause:
            item = ITEMS.get(clause["policy"])
            words += f"：{item.label if item else clause['policy']}"
        elif "value" in clause:
            value = clause["value"]
            words += "：" + ("、".join(map(str, value)) if isinstance(value, list) else str(value))
        lines.append(words)
    return lines


@access.scoped
def kind_list(request):
    kinds = list(DatasetKind.objects.filter(is_active=True).prefetch_related("rules"))
    risks = code_list(RISK_TYPE)
    for kind in kinds:
        headers = {c["key"]: c["header"] for c in kind.columns}
        kind.active_rules = [r for r in kind.rules.all() if r.is_active]
        for rule in kind.active_rules:
            rule.clauses = describe(rule, headers)
            rule.risk_label = risks.label(rule.risk_type) if rule.risk_type else ""
    return render(request, "crosscheck/kind_list.html", {"kinds": kinds})

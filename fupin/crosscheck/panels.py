"""What the departments' data says of a household: its findings on the household page, and the lines
the monitoring entry's 信息比对 step reads (registered with monitoring.warnings)."""

from __future__ import annotations

import datetime as dt

from fupin.monitoring.warnings import register_findings
from fupin.registry import panels
from fupin.registry.models import Household

from .models import Finding


def findings_of(household: Household):
    return Finding.objects.filter(household=household).select_related("rule__kind", "member").order_by("-found_at")


def _context(household: Household, day: dt.date) -> dict:
    return {"findings": list(findings_of(household)[:20]), "today": day}


def said_of(household: Household) -> list[str]:
    """Each finding not refuted, as the entry's 信息比对 step lists it: the department, the rule, the
    member and how far its verification has got. The department's values stay on the finding's own
    page, where each showing is recorded."""
    lines = []
    for finding in findings_of(household).exclude(result="refuted"):
        state = finding.get_result_display() if finding.result else finding.get_state_display()
        lines.append(f"{finding.rule.kind.department}·{finding.rule.name}：{finding.member.name}（{state}）")
    return lines


def register() -> None:
    panels.register(name="crosscheck", order=70, template="crosscheck/_household_panel.html", context=_context)
    register_findings(said_of)

"""Help within the deadline (帮扶措施落实): within a policy number of days of its identification a monitored
household has a monitoring contact and, in the year's plan (一户一策), at least one measure matching
each of its risk types (the matching is data: RiskMeasureRule). The report lists the households that
are late, with what is missing, and those still within their days. A fixed number of queries for any
number of households."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from fupin.assistance.models import Measure, MeasureCategory
from fupin.codes.catalogue import code_list
from fupin.policy.values import resolve

from . import policy_items
from .kinds import RISK_TYPE
from .models import CaseStatus, MonitoringCase, RiskMeasureRule

# National defaults (domain.md §4.2: measures matched to the risk; those with labour get a development measure).
DEFAULTS = (
    ("01", ["health", "social_security"], "因病：健康帮扶或医疗救助等保障措施"),
    ("0201", ["housing", "social_security", "industry"], "因灾：住房修缮、临时救助或恢复生产"),
    ("0202", ["housing", "social_security", "relocation"], "因灾：住房修缮、救助或搬迁"),
    ("0203", ["industry", "social_security", "infrastructure"], "因灾：恢复生产、救助或水利设施"),
    ("0204", ["industry", "social_security"], "因灾：恢复生产或救助"),
    ("0205", ["industry", "social_security", "housing"], "因灾：恢复生产、救助或住房修缮"),
    ("0206", ["housing", "social_security", "relocation"], "因灾：住房修缮、救助或搬迁"),
    ("0299", [], "因灾（其他）：任一措施"),
    ("03", ["social_security", "health"], "因残：残疾人补贴、低保等保障或康复"),
    ("04", ["social_security", "welfare_post"], "缺劳动力：兜底保障或公益岗位"),
    ("05", ["social_security", "health"], "因意外事故：临时救助、医疗或保障"),
    ("06", ["industry", "finance", "training"], "因产业失败：产业、金融或技术帮扶"),
    ("07", ["employment", "training", "welfare_post"], "因务工就业不稳：就业、培训或公益岗位"),
    ("09", ["education"], "因学：教育帮扶（含雨露计划）"),
    ("10", ["housing", "relocation"], "住房安全：危房改造或搬迁"),
    ("11", ["infrastructure"], "饮水安全：饮水工程"),
    ("99", [], "其他：任一措施"),
)


@transaction.atomic
def install_defaults(**kwargs) -> int:
    added = 0
    for risk, categories, explanation in DEFAULTS:
        _rule, created = RiskMeasureRule.objects.get_or_create(
            risk=risk, defaults={"categories": categories, "explanation": explanation}
        )
        added += created
    return added


@dataclass
class Help:
    case: MonitoringCase
    due: dt.date
    today: dt.date
    missing: list[str] = field(default_factory=list)

    @property
    def late(self) -> bool:
        """Past its days with something missing."""
        return bool(self.missing) and self.today > self.due

    @property
    def pending(self) -> bool:
        """Something missing, still within its days."""
        return bool(self.missing) and self.today <= self.due


def review(cases: QuerySet[MonitoringCase], today: dt.date) -> list[Help]:
    """Each monitored household with its help deadline and what it lacks (empty: helped)."""
    cases = list(cases.filter(status=CaseStatus.MONITORING).select_related("household", "contact"))
    rules = {r.risk: r for r in RiskMeasureRule.objects.filter(is_active=True)}
    have: dict[tuple[int, int], set[str]] = defaultdict(set)
    measures = Measure.objects.filter(plan__household_id__in=[c.household_id for c in cases])
    for household, year, category in measures.values_list("plan__household_id", "plan__year", "measure_type__category"):
        have[(household, year)].add(category)
    risks = code_list(RISK_TYPE)
    days: dict[str, int] = {}
    found = []
    for case in cases:
        county = case.region_id[:6]
        if county not in days:
            days[county] = int(resolve(policy_items.HELP_DAYS, today.year, county).value)
        item = Help(case, case.identified_on + dt.timedelta(days=days[county]), today)
        if case.contact_id is None:
            item.missing.append(_("no monitoring contact"))
        categories = have[(case.household_id, today.year)] | have[(case.household_id, case.identified_on.year)]
        if not categories:
            item.missing.append(_("no plan with measures for %(year)s") % {"year": today.year})
        else:
            for risk in case.risks:
                rule = rules.get(risk)
                if rule and rule.categories and not categories & set(rule.categories):
                    wanted = "、".join(str(MeasureCategory(c).label) for c in rule.categories)
                    item.missing.append(
                        _("%(risk)s: no measure of %(categories)s") % {"risk": risks.label(risk), "categories": wanted}
                    )
        found.append(item)
    return found

"""Household exit (脱贫退出): the assessment against the year's standard, and the exit procedure's kind.

A household may exit when its per-capita net income of the year is above that year's poverty line
(the line of its identification standard; "稳定超过" — above, not equal) and compulsory education,
basic medical care and safe housing are secured, and from the year the policy says, safe drinking
water. Food and clothing (不愁吃穿) have no field of their own in the record; the income stands for
them. Each criterion keeps its value, its threshold and its verdict; an unrecorded item does not pass.
Exited households stay in the register (四个不摘).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.policy.items import Name
from fupin.policy.values import income_line, resolve
from fupin.registry import basic_needs, income, national
from fupin.registry.models import Household, PovertyStatus

from . import defaults
from .households import HouseholdProcedure

EXIT = "exit"


@dataclass
class Criterion:
    key: str
    name: str
    value: str
    threshold: str
    passed: bool


@dataclass
class Assessment:
    year: int
    criteria: list[Criterion] = field(default_factory=list)
    policy: list[dict] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.criteria)

    def as_json(self) -> dict:
        return {
            "year": self.year,
            "passed": self.passed,
            "criteria": [asdict(c) for c in self.criteria],
            "policy": self.policy,
        }


def _income_criterion(household: Household, year: int, assessment: Assessment):
    line = income_line(year, household.region_id, household.identification_standard)
    assessment.policy.append(line.record())
    record = household.incomes.filter(year=year).first()
    per_capita = record.net_income_per_capita if record else None
    name = _("Per-capita net income of %(year)s") % {"year": year}
    threshold = _("above %(line)s") % {"line": line.describe()}
    reported = national.reported_income(household, year) if per_capita is None else None
    if reported is not None:  # a migrated household whose year's income items nobody has recorded yet
        value = _("%(amount)s yuan, as reported by the national system (data of %(day)s, file %(file)s)") % {
            "amount": f"{reported.reported_income_per_capita:,.2f}",
            "day": reported.data_date.isoformat(),
            "file": reported.source_file or "—",
        }
        passed = national.compared(reported, line.value) == 1
    else:
        value = _("%(amount)s yuan") % {"amount": f"{per_capita:,.2f}"} if per_capita is not None else _("not recorded")
        passed = income.per_capita_compared(record, line.value) == 1
    assessment.criteria.append(Criterion("income", name, value, threshold, passed))
    return record


def assess(household: Household, year: int, on: dt.date | None = None) -> Assessment:
    """Raises PolicyMissing (in Chinese) when the year's line is not set: no decision without it."""
    on = on or timezone.localdate()
    assessment = Assessment(year)
    record = _income_criterion(household, year, assessment)
    water = resolve(Name.EXIT_CHECKS_WATER, year, household.region_id)
    assessment.policy.append(water.record())
    members = list(household.members.filter(left_on__isnull=True))
    keys = {"education", "medical", "housing"} | ({"water"} if water.flag else set())
    for item in basic_needs.check(household, members, record, on):
        if item.key in keys:
            assessment.criteria.append(
                Criterion(
                    item.key,
                    str(item.title),
                    "；".join(item.evidence),
                    _("secured"),
                    item.status == basic_needs.OK,
                )
            )
    return assessment


def findings(household: Household, batch) -> dict:
    return {"exit": assess(household, batch.year).as_json()}


def _must_pass(household: Household, batch, findings: dict) -> None:
    if not findings["exit"]["passed"]:
        failed = "、".join(c["name"] for c in findings["exit"]["criteria"] if not c["passed"])
        raise ValidationError(
            _("Household %(no)s does not meet the exit standard of %(year)s: %(failed)s.")
            % {"no": household.household_no, "year": batch.year, "failed": failed}
        )


def income_note(household: Household) -> str:
    income = household.net_income_per_capita
    return _("per-capita net income %(amount)s yuan") % {"amount": f"{income:,.0f}"} if income is not None else ""


HouseholdProcedure(
    name=EXIT,
    label=gettext_lazy("household exit"),
    title="贫困户脱贫退出",
    steps=defaults.EXIT_STEPS,
    may_enter=(PovertyStatus.NOT_EXITED, PovertyStatus.RELAPSED),
    findings=findings,
    entry_check=_must_pass,
    approved=lambda batch, day, reason: {"poverty_status": PovertyStatus.EXITED, "exit_year": batch.year},
    approved_note=gettext_lazy("Exited (batch %(batch)s)"),
    notice_reason=income_note,
    register_change=lambda year: {"poverty_status": PovertyStatus.EXITED, "exit_year": year},
    position=20,
).register()

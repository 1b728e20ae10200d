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
from fupin.policy.values import poverty_line, resolve
from fupin.regions.models import Level
from fupin.registry import basic_needs
from fupin.registry.actions import change_status
from fupin.registry.models import Household, PovertyStatus

from .identification import label, notice_row
from .kinds import Kind, register

EXIT = "exit"
MAY_EXIT = (PovertyStatus.NOT_EXITED, PovertyStatus.RELAPSED)


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


def _income(household: Household, year: int, assessment: Assessment):
    line = poverty_line(year, household.region_id, household.identification_standard)
    assessment.policy.append(line.record())
    record = household.incomes.filter(year=year).first()
    per_capita = record.net_income_per_capita if record else None
    assessment.criteria.append(
        Criterion(
            "income",
            _("Per-capita net income of %(year)s") % {"year": year},
            _("%(amount)s yuan") % {"amount": f"{per_capita:,.2f}"} if per_capita is not None else _("not recorded"),
            _("above %(line)s yuan") % {"line": f"{line.value:,.0f}"},
            per_capita is not None and per_capita > line.value,
        )
    )
    return record


def assess(household: Household, year: int, on: dt.date | None = None) -> Assessment:
    """Raises PolicyMissing (in Chinese) when the year's line is not set: no decision without it."""
    on = on or timezone.localdate()
    assessment = Assessment(year)
    record = _income(household, year, assessment)
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


def _candidates(batch):
    return Household.objects.filter(region_id=batch.region_id, poverty_status__in=MAY_EXIT)


def _findings(household: Household, batch) -> dict:
    return {"exit": assess(household, batch.year).as_json()}


def _admit(household: Household, batch, *, override: bool = False) -> dict:
    if household.poverty_status not in MAY_EXIT:
        raise ValidationError(
            _("Household %(no)s is not a poor household (%(status)s); only poor households can exit.")
            % {"no": household.household_no, "status": household.get_poverty_status_display()}
        )
    findings = _findings(household, batch)
    if not findings["exit"]["passed"] and not override:
        failed = "、".join(c["name"] for c in findings["exit"]["criteria"] if not c["passed"])
        raise ValidationError(
            _("Household %(no)s does not meet the exit standard of %(year)s: %(failed)s.")
            % {"no": household.household_no, "year": batch.year, "failed": failed}
        )
    return findings


def _approve(household: Household, batch, *, by, day) -> None:
    change_status(
        by=by,
        household=household,
        values={"poverty_status": PovertyStatus.EXITED, "exit_year": batch.year},
        reason=_("Exited (batch %(batch)s)") % {"batch": batch.pk},
    )


def _drop(household: Household, batch, *, by, day, reason: str) -> None:
    """Dropped from an exit batch, the household simply stays poor."""


def _notice_row(household: Household) -> dict:
    income = household.net_income_per_capita
    reason = _("per-capita net income %(amount)s yuan; basic needs secured") % {"amount": f"{income:,.0f}"}
    return notice_row(household, reason if income is not None else "")


register(
    Kind(
        name=EXIT,
        label=gettext_lazy("household exit"),
        region_level=Level.VILLAGE,
        candidates=_candidates,
        admit=_admit,
        findings=_findings,
        approve=_approve,
        drop=_drop,
        subject_label=label,
        notice_row=_notice_row,
    )
)

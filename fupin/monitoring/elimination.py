"""Risk elimination (风险消除), a kind of the one procedure engine: a monitored household whose risk is
gone is proposed, checked at home, reviewed and noticed in the village, checked by the township,
decided and announced by the county, and marked eliminated (domain.md §4.2). The base record stays.

The conditions are shown with their values and thresholds: monitored long enough for the income to
have been seen stable (a policy number of months), the latest year's income left after rigid spending
above that year's line (strictly), rigid spending no longer large against income, 三保障 and safe water
secured, no open clue. A household with no labour capacity living on guaranteed support is not marked
eliminated (a policy flag); any other failed condition needs the county's override with a reason.
The route is read from the record: 帮扶消除 when measures were delivered while it was monitored,
自然消除 otherwise. Microcredit still running, public-welfare posts and education support continue and
are listed on the case.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from fupin.assistance.models import Measure, MeasureCategory
from fupin.audit.actions import save_changes, snapshot
from fupin.lib.dates import add_months
from fupin.microcredit.models import Loan
from fupin.policy.values import resolve
from fupin.procedures import households
from fupin.procedures.defaults import COUNTY, COUNTY_DECISION, NOTICE_PHOTO, TOWNSHIP_REVIEW, VILLAGE
from fupin.procedures.kinds import ProcedureKind, StepDefault, register
from fupin.regions.models import Level
from fupin.registry import basic_needs, income

from . import policy_items
from .account import latest_account
from .entry import not_in_a_procedure
from .models import OPEN_CLUE_STATES, CaseStatus, Clue, EliminationRoute, MonitoringCase

ELIMINATION = "risk_elimination"
STEPS = (
    StepDefault("proposal", "风险消除提出", VILLAGE),
    StepDefault("home_verification", "入户核实", VILLAGE, ("入户核实表",)),
    StepDefault("democratic_review", "民主评议", VILLAGE, ("评议会议记录",)),
    StepDefault("village_notice", "村级公示", VILLAGE, (NOTICE_PHOTO,), is_notice=True),
    StepDefault("township_review", "乡镇审核", TOWNSHIP_REVIEW, ("审核意见",), can_send_back=True),
    StepDefault("county_decision", "县级审定", COUNTY_DECISION, ("审定意见",), can_send_back=True),
    StepDefault("announcement", "公告", COUNTY, ("公告照片",)),
    StepDefault("mark_eliminated", "标注风险消除", COUNTY),
)
CONTINUING = (MeasureCategory.PUBLIC_WELFARE_POST, MeasureCategory.EDUCATION)
SECURED = ("education", "medical", "housing", "water")


def _criterion(key: str, name: str, value: str, threshold: str, passed: bool) -> dict:
    return {"key": key, "name": name, "value": value, "threshold": threshold, "passed": passed}


def _months(case: MonitoringCase, on: dt.date) -> dict:
    months = int(resolve(policy_items.STABLE_MONTHS, on.year, case.region_id).value)
    since = add_months(case.identified_on, months)
    return _criterion(
        "months",
        _("monitored long enough to see the income stable"),
        _("identified on %(day)s") % {"day": case.identified_on},
        _("at least %(n)s months (from %(day)s)") % {"n": months, "day": since},
        on >= since,
    )


def _income(account) -> dict:
    name = _("income left after rigid spending, per person")
    if account.net_income is None or account.line is None:
        value = _("No income recorded.") if account.net_income is None else _("No line is set for the year.")
        return _criterion("income", name, value, "—", False)
    value = _("%(year)s: %(amount)s yuan") % {"year": account.year, "amount": f"{account.remaining_per_capita:,.2f}"}
    threshold = _("above %(line)s") % {"line": account.line.describe()}
    # 稳定超过: strictly above; equal to the line is not above it. Exact, on the totals.
    above = income.compared(account.remaining, account.size, account.line.value) == 1
    return _criterion("income", name, value, threshold, above)


def _spending(account, case: MonitoringCase, on: dt.date) -> dict:
    share = resolve(policy_items.SCREEN_SPENDING_SHARE, on.year, case.region_id).value
    spent, net = account.spending or Decimal(0), account.net_income or Decimal(0)
    passed = spent * 100 <= net * share
    value = _("%(spent)s yuan of rigid spending against %(net)s yuan of net income") % {
        "spent": f"{spent:,.2f}",
        "net": f"{net:,.2f}",
    }
    return _criterion(
        "spending",
        _("large rigid spending settled"),
        value,
        _("at most %(share)s%%") % {"share": share.normalize()},
        passed,
    )


def _needs(case: MonitoringCase, account, on: dt.date) -> list[dict]:
    household = case.household
    members = list(household.members.filter(left_on__isnull=True))
    record = household.incomes.filter(year=account.year).first()
    return [
        _criterion(item.key, str(item.title), "；".join(item.evidence), _("secured"), item.status == basic_needs.OK)
        for item in basic_needs.check(household, members, record, on)
        if item.key in SECURED
    ]


def _no_open_clue(case: MonitoringCase) -> dict:
    open_clue = Clue.objects.filter(household_id=case.household_id, state__in=OPEN_CLUE_STATES).first()
    value = _("open clue %(receipt)s") % {"receipt": open_clue.receipt} if open_clue else _("none")
    return _criterion("no_open_risk", _("no new risk reported"), value, _("none open"), open_clue is None)


def _labour(case: MonitoringCase) -> dict:
    value = _("whole household without labour, on guaranteed support") if case.no_labour_support else _("no")
    return _criterion(
        "labour", _("not a household living on guaranteed support"), value, _("no"), not case.no_labour_support
    )


def route(case: MonitoringCase) -> str:
    helped = Measure.objects.filter(plan__household_id=case.household_id, delivered_on__gte=case.identified_on).exists()
    return EliminationRoute.ASSISTED if helped else EliminationRoute.NATURAL


def assess(case: MonitoringCase, on: dt.date | None = None) -> list[dict]:
    on = on or timezone.localdate()
    account = latest_account(case.household, on.year)
    return [
        _months(case, on),
        _income(account),
        _spending(account, case, on),
        *_needs(case, account, on),
        _no_open_clue(case),
        _labour(case),
    ]


def findings(case: MonitoringCase, batch) -> dict:
    criteria = assess(case)
    checks = [
        {"name": c["name"], "value": f"{c['value']}（{_('threshold')}：{c['threshold']}）", "passed": c["passed"]}
        for c in criteria
    ]
    way = route(case)
    checks.append({"name": _("how the risk went"), "value": str(EliminationRoute(way).label), "passed": True})
    return {"checks": checks, "elimination": {"passed": all(c["passed"] for c in criteria), "route": way}}


def admit(case: MonitoringCase, batch, *, by, override: bool = False) -> dict:
    case = MonitoringCase.objects.select_related("household").get(pk=case.pk)
    if case.status != CaseStatus.MONITORING:
        raise ValidationError(
            _("The risk of household %(no)s is already eliminated.") % {"no": case.household.household_no}
        )
    criteria = assess(case)
    if case.no_labour_support:  # policy: not marked eliminated while on guaranteed support, whoever asks
        raise ValidationError(
            _(
                "Household %(no)s has no labour capacity and lives on guaranteed support: "
                "its risk is not marked eliminated."
            )
            % {"no": case.household.household_no}
        )
    failed = [c["name"] for c in criteria if not c["passed"]]
    if failed and not override:
        raise ValidationError(
            _("Household %(no)s does not meet the conditions for elimination: %(failed)s.")
            % {"no": case.household.household_no, "failed": "、".join(failed)}
        )
    return findings(case, batch)


def _continuing(case: MonitoringCase, day: dt.date) -> list[str]:
    items = [
        _("microcredit %(contract)s until %(due)s") % {"contract": loan.contract_no, "due": loan.due_on}
        for loan in Loan.objects.filter(household_id=case.household_id, due_on__gt=day)
        if loan.balance > 0
    ]
    measures = Measure.objects.filter(
        plan__household_id=case.household_id, plan__year=day.year, measure_type__category__in=CONTINUING
    ).select_related("measure_type")
    items += [
        _("%(measure)s until the end of its agreement or school stage") % {"measure": m.measure_type.name}
        for m in measures
    ]
    return items


@transaction.atomic
def approve(case: MonitoringCase, batch, *, by, day, reason: str) -> None:
    case = MonitoringCase.objects.select_for_update().get(pk=case.pk)
    fields = ("status", "eliminated_on", "elimination_route", "continuing")
    before = snapshot(case, fields)
    case.status, case.eliminated_on, case.elimination_route = CaseStatus.ELIMINATED, day, route(case)
    case.continuing = _continuing(case, day)
    save_changes(by=by, instance=case, before=before, fields=fields, region_code=case.region_id, target_repr=str(case))


def drop(case: MonitoringCase, batch, *, by, day, reason: str) -> None:
    """A household dropped from the batch stays monitored: nothing changes on its case."""


def label(case: MonitoringCase) -> str:
    return households.label(case.household)


def candidates(batch):
    cases = MonitoringCase.objects.filter(region_id=batch.region_id, status=CaseStatus.MONITORING)
    return not_in_a_procedure(cases).select_related("household")


def notice_row(case: MonitoringCase) -> dict:
    return households.notice_row(case.household, str(EliminationRoute(route(case)).label))


def register_kind() -> None:
    register(
        ProcedureKind(
            name=ELIMINATION,
            label=gettext_lazy("risk elimination"),
            title="防止返贫监测对象风险消除",
            steps=STEPS,
            region_level=Level.VILLAGE,
            nouns=pgettext_lazy("procedure subjects", "households"),
            candidates=candidates,
            admit=admit,
            findings=findings,
            approve=approve,
            drop=drop,
            subject_label=label,
            notice_columns=households.NOTICE_COLUMNS[:3] + (("reason", "消除方式"),),
            notice_row=notice_row,
            notice_days=policy_items.NOTICE_DAYS,
        )
    )

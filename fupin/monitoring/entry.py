"""The identification of a monitored household (监测对象识别), a kind of the one procedure engine: a clue the
village has checked enters a village's batch and goes 入户核实 (with the household's signed 承诺授权书) →
信息比对 → 民主评议 → 村级公示 → 乡镇审核 → 县级审定 → 信息录入; approval opens the monitoring case, a
dropped clue closes with the reason its reporter reads by the receipt (domain.md §4.2–4.3)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from fupin.audit.actions import snapshot
from fupin.codes.catalogue import code_list
from fupin.procedures import households
from fupin.procedures.defaults import COUNTY, COUNTY_DECISION, NOTICE_PHOTO, TOWNSHIP_REVIEW, VILLAGE
from fupin.procedures.kinds import ProcedureKind, StepDefault, register
from fupin.procedures.models import Case as ProcedureCase
from fupin.procedures.models import CaseState
from fupin.regions.models import Level

from . import policy_items, warnings
from .account import latest_account
from .actions import open_case
from .clues import _change, _decide
from .kinds import CATEGORY, RISK_TYPE
from .models import Clue, ClueState, MonitoringCase

ENTRY = "monitoring_entry"
ENTERED = ("state", "checked_on")  # what entering a batch changes on a clue
STEPS = (
    StepDefault("home_check", "入户核实", VILLAGE, ("承诺授权书", "入户核实表")),
    StepDefault("data_comparison", "信息比对", VILLAGE),
    StepDefault("democratic_review", "民主评议", VILLAGE, ("评议会议记录",)),
    StepDefault("village_notice", "村级公示", VILLAGE, (NOTICE_PHOTO,), is_notice=True),
    StepDefault("township_review", "乡镇审核", TOWNSHIP_REVIEW, ("审核意见",), can_send_back=True),
    StepDefault("county_decision", "县级审定", COUNTY_DECISION, ("审定意见",), can_send_back=True),
    StepDefault("registration", "信息录入", COUNTY),
)


def label(clue: Clue) -> str:
    return households.label(clue.household) if clue.household else f"{clue.name}（{clue.receipt}）"


def not_in_a_procedure(subjects):
    """Subjects less those already in an open procedure (the engine refuses them; the picker leaves them out)."""
    busy = ProcedureCase.objects.filter(
        subject_type=ContentType.objects.get_for_model(subjects.model), state=CaseState.ACTIVE
    ).values("subject_id")
    return subjects.exclude(pk__in=busy)


def candidates(batch):
    """The village's clues the home check has made ready: a household of the register, a category and
    at least one risk type."""
    clues = Clue.objects.filter(region_id=batch.region_id, state=ClueState.CHECKING, household__isnull=False)
    return not_in_a_procedure(clues.exclude(category="").exclude(risks=[])).select_related("household")


def findings(clue: Clue, batch) -> dict:
    """What the batch shows of each household: the income account against the line, and what other
    departments' data says (信息比对)."""
    household = clue.household
    account = latest_account(household, timezone.localdate().year)
    if account.net_income is None:
        income = _("No income recorded.")
    else:
        income = _("%(year)s: %(left)s yuan per person after %(spent)s yuan of rigid spending") % {
            "year": account.year,
            "left": f"{account.remaining_per_capita:,.2f}",
            "spent": f"{account.spending or 0:,.2f}",
        }
        if account.line is not None:
            income += "；" + account.line.describe()
    found = warnings.findings_for(household)
    risks = code_list(RISK_TYPE)
    return {
        "checks": [
            {"name": _("category"), "value": code_list(CATEGORY).label(clue.category), "passed": True},
            {"name": _("risk types"), "value": "、".join(risks.label(r) for r in clue.risks), "passed": True},
            {"name": _("income account"), "value": income, "passed": bool(account.below_line)},
            {
                "name": _("department data (信息比对)"),
                "value": "\n".join(found) or _("No department finding."),
                "passed": not found,
            },
        ]
    }


def admit(clue: Clue, batch, *, by, override: bool = False) -> dict:
    clue = Clue.objects.select_for_update(of=("self",)).select_related("household").get(pk=clue.pk)
    if clue.state != ClueState.CHECKING:
        raise ValidationError(
            _("Clue %(receipt)s cannot enter: it is “%(state)s”.")
            % {"receipt": clue.receipt, "state": clue.get_state_display()}
        )
    if clue.household is None:
        raise ValidationError(
            _("Clue %(receipt)s is not linked to a household of the register.") % {"receipt": clue.receipt}
        )
    if not clue.category or not clue.risks:
        raise ValidationError(_("Record the category and risk types the home check found first."))
    if MonitoringCase.objects.filter(household=clue.household, status="monitoring").exists():
        raise ValidationError(_("Household %(no)s is already monitored.") % {"no": clue.household.household_no})
    before = snapshot(clue, ENTERED)
    clue.state, clue.checked_on = ClueState.IN_PROCEDURE, timezone.localdate()
    _change(by, clue, before, ENTERED)  # the clue's history and the audit trail, in the engine's transaction
    return findings(clue, batch)


def approve(clue: Clue, batch, *, by, day, reason: str) -> None:
    case = open_case(
        by=by,
        household=clue.household,
        category=clue.category,
        risks=clue.risks,
        identified_on=day,
        channel=clue.channel,
        note=_("Identified in batch %(batch)s") % {"batch": batch.pk},
    )
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    outcome = _("Confirmed: the household is monitored and will be helped.")
    _decide(by, clue, ClueState.CONFIRMED, outcome, day, monitoring_case=case)


def drop(clue: Clue, batch, *, by, day, reason: str) -> None:
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    _decide(by, clue, ClueState.NOT_CONFIRMED, reason, day)


def notice_row(clue: Clue) -> dict:
    """Names, size, group and category: never the ID number, phone, bank account or the risks (health)."""
    return households.notice_row(clue.household, code_list(CATEGORY).label(clue.category))


def register_kind() -> None:
    register(
        ProcedureKind(
            name=ENTRY,
            label=gettext_lazy("monitoring identification"),
            title="防止返贫监测对象识别",
            steps=STEPS,
            region_level=Level.VILLAGE,
            nouns=pgettext_lazy("procedure subjects", "households"),
            candidates=candidates,
            admit=admit,
            findings=findings,
            approve=approve,
            drop=drop,
            subject_label=label,
            notice_columns=households.NOTICE_COLUMNS[:3] + (("reason", "监测类型"),),
            notice_row=notice_row,
            notice_days=policy_items.NOTICE_DAYS,
            override_levels=frozenset(),
        )
    )

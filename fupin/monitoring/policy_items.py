"""Monitoring's policy parameters (deadlines, screening margins, the elimination rule), registered into
the one policy table: each a national default with its source, which a province may change."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from fupin.policy import items
from fupin.policy.items import ABOVE_TOWNSHIP, Default, Item, Unit

FORWARD_DAYS = "clue_pass_days"
CHECK_DAYS = "clue_check_days"
DECIDE_DAYS = "clue_decide_days"
NOTICE_DAYS = "monitoring_notice_days"
HELP_DAYS = "monitoring_help_days"
SCREEN_INCOME_MARGIN = "screening_income_margin"
SCREEN_INCOME_DROP = "screening_income_drop"
SCREEN_SPENDING_SHARE = "screening_spending_share"
STABLE_MONTHS = "elimination_stable_months"

ANHUI = "安徽“一码申报”（2022，未核实）：乡镇收到申报后2个工作日内转村，见 domain.md §4.3"
GANSU = "甘肃“一键报贫”（人民日报2023-02-21）：5个工作日内入户核实，15个工作日内完成认定，见 domain.md §4.3"
QINAN = "秦安县：村内公示不少于5天，见 domain.md §4.3"
LOCAL = "各地常用口径，非全国统一规定（未核实）"


def _item(name, label, unit, value, source, help="", verified=True) -> Item:
    default = Default(2021, Decimal(value), source, verified=verified)
    return Item(name, label, unit, per_year=False, levels=ABOVE_TOWNSHIP, defaults=(default,), help=help)


def register() -> None:
    items.register(
        _item(
            FORWARD_DAYS,
            _("clues: working days for the township to pass a self-report to the village"),
            Unit.DAYS,
            "2",
            ANHUI,
            verified=False,
        ),
        _item(CHECK_DAYS, _("clues: working days to the home check"), Unit.DAYS, "5", GANSU),
        _item(
            DECIDE_DAYS,
            _("clues: working days from the report to the decision"),
            Unit.DAYS,
            "15",
            GANSU,
            help=_("A clue still open after this many working days is overdue and goes to the county's to-do list."),
        ),
        _item(NOTICE_DAYS, _("days a monitoring notice stays posted (village only)"), Unit.DAYS, "5", QINAN),
        _item(
            HELP_DAYS,
            _("days after confirmation by which a monitored household has its plan and measures"),
            Unit.DAYS,
            "15",
            GANSU,
        ),
        _item(
            SCREEN_INCOME_MARGIN,
            _("screening: per-capita income below this share of the line (%)"),
            Unit.PERCENT,
            "110",
            LOCAL,
            help=_("Also lists households a little above the line (the monitoring line itself stands for the range)."),
            verified=False,
        ),
        _item(
            SCREEN_INCOME_DROP, _("screening: income fell by more than (%)"), Unit.PERCENT, "30", LOCAL, verified=False
        ),
        _item(
            SCREEN_SPENDING_SHARE,
            _("screening: rigid spending above this share of net income (%)"),
            Unit.PERCENT,
            "50",
            LOCAL,
            verified=False,
        ),
        _item(
            STABLE_MONTHS,
            _("risk elimination: months the income must have stayed above the line"),
            Unit.MONTHS,
            "6",
            "风险消除须收入持续稳定超过监测线半年以上，见 domain.md §4.2",
        ),
    )

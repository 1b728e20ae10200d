"""The policy parameters: what each one is, its unit, and its national defaults with their sources.

A parameter either holds for one year only (a poverty line: a year without its line is an error, not
last year's line) or holds from a year until changed (a threshold). A province — or a city, for a city
line — may set its own value; the value of the nearest region wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fupin.regions.models import Level

DOMAIN = "../shared/domain.md"
LINE_SOURCE = "《云南调查年鉴2017》表4-2（国家扶贫标准说明），见 domain.md §4.1"


class Unit(StrEnum):
    YUAN = "yuan"
    PERCENT = "percent"
    FLAG = "flag"  # 1 yes, 0 no
    DAYS = "days"
    HOUSEHOLDS = "households"
    AMOUNT = "amount"  # yuan, not per person
    MONTHS = "months"
    AGE = "age"
    TIMES = "times"
    AREA = "m2"
    TEN_THOUSAND_YUAN = "10k_yuan"


UNIT_LABELS = {
    Unit.YUAN: _("yuan per person per year"),
    Unit.PERCENT: "%",
    Unit.FLAG: _("yes (1) / no (0)"),
    Unit.DAYS: _("days"),
    Unit.HOUSEHOLDS: _("households"),
    Unit.AMOUNT: _("yuan"),
    Unit.MONTHS: _("months"),
    Unit.AGE: _("years of age"),
    Unit.TIMES: _("times"),
    Unit.AREA: _("square metres"),
    Unit.TEN_THOUSAND_YUAN: _("10,000 yuan"),
}


@dataclass(frozen=True)
class Default:
    year: int
    value: Decimal
    source: str
    verified: bool = True
    region_code: str = ""


@dataclass(frozen=True)
class Item:
    name: str
    label: Promise
    unit: Unit
    per_year: bool  # True: each year needs its own value; False: a value holds from its year on
    levels: frozenset[int]  # where a value other than the national one may be set
    defaults: tuple[Default, ...] = field(default=())
    help: Promise | str = ""


def _lines(rows: list[tuple[int, str, bool, str]]) -> tuple[Default, ...]:
    return tuple(Default(year, Decimal(value), source, verified) for year, value, verified, source in rows)


WESTERN_SOURCE = "西部大开发政策范围：内蒙古、广西、重庆、四川、贵州、云南、西藏、陕西、甘肃、青海、宁夏、新疆"
WESTERN_PROVINCES = ("15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65")
EXIT_SOURCE = "《关于建立贫困退出机制的意见》(2016)、《贫困县退出专项评估检查实施办法》(2017)，见 domain.md §3"


class Name(StrEnum):
    POVERTY_LINE = "poverty_line"
    PROVINCIAL_POVERTY_LINE = "provincial_poverty_line"
    CITY_POVERTY_LINE = "city_poverty_line"
    INCIDENCE_MAX = "incidence_max"
    INCIDENCE_MAX_WESTERN = "incidence_max_western"
    WRONG_EXIT_RATE_MAX = "wrong_exit_rate_max"
    MISSED_RATE_MAX = "missed_rate_max"
    RECOGNITION_MIN = "recognition_min"
    WESTERN_REGION = "western_region"
    EXIT_CHECKS_WATER = "exit_checks_water"
    NOTICE_DAYS = "notice_days"
    NOTICE_COUNTS_WEEKENDS = "notice_counts_weekends"
    CADRE_MAX_HOUSEHOLDS = "cadre_max_households"
    VISIT_OVERDUE_DAYS = "visit_overdue_days"
    WORK_TEAM_MIN_DAYS = "work_team_min_days"
    PROJECT_NOTICE_DAYS = "project_notice_days"
    BACK_ENTRY_DAYS = "back_entry_days"
    INCOME_ITEM_MAX = "income_item_max"
    PER_CAPITA_CONFIRM_MULTIPLE = "per_capita_confirm_multiple"
    DISBURSEMENT_DUE_SHARE = "disbursement_due_share"
    LOAN_MAX_AMOUNT = "loan_max_amount"
    LOAN_MAX_TERM = "loan_max_term"
    LOAN_EXTENSION_MAX = "loan_extension_max"
    BORROWER_MIN_AGE = "borrower_min_age"
    BORROWER_MAX_AGE = "borrower_max_age"
    MONITORING_LINE = "monitoring_line"
    MONITORING_LINE_DIBAO_MULTIPLE = "monitoring_line_dibao_multiple"
    DIBAO_STANDARD = "dibao_standard"


# The poverty lines measure incomes up to 2020; from 2021 a household is measured against the year's
# monitoring line (防止返贫监测线, domain.md §4.2–4.3).
LAST_POVERTY_LINE_YEAR = 2020
MONITORING_SOURCE = (
    "2021年全国基线6000元（约为脱贫攻坚期标准的1.5倍，靖边县政策解读，见 domain.md §4.3）；此后由各省每年确定"
)


PROVINCE = frozenset({Level.PROVINCE})
ABOVE_TOWNSHIP = frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY})
CREDIT_SOURCE = "国开办发〔2014〕78号及县级实施办法：“5万元以下、3年期以内”，借款人年龄18至65周岁，见 domain.md §7.4"


def _credit_rule(name: str, label: Promise, unit: Unit, value: str, help: Promise | str = "") -> Item:
    """A microcredit rule: national from 2014, a province, city or county may set its own."""
    default = Default(2014, Decimal(value), CREDIT_SOURCE)
    return Item(name, label, unit, per_year=False, levels=ABOVE_TOWNSHIP, defaults=(default,), help=help)


def _exit_threshold(name: str, label: Promise, year: int, value: str, help: Promise | str = "") -> Item:
    """A percentage of the exit standards: national from `year`, a province may set its own."""
    default = Default(year, Decimal(value), EXIT_SOURCE)
    return Item(name, label, Unit.PERCENT, per_year=False, levels=PROVINCE, defaults=(default,), help=help)


ITEMS: dict[str, Item] = {
    item.name: item
    for item in (
        Item(
            Name.MONITORING_LINE,
            _("monitoring line (防止返贫监测线)"),
            Unit.YUAN,
            per_year=True,
            levels=ABOVE_TOWNSHIP,
            defaults=(Default(2021, Decimal("6000"), MONITORING_SOURCE, verified=False),),
            help=_(
                "Per-capita income per year, set each year by the province (or a city or county) with its document "
                "number; or set a multiple of the rural 低保 standard instead."
            ),
        ),
        Item(
            Name.MONITORING_LINE_DIBAO_MULTIPLE,
            _("monitoring line as a multiple of the rural 低保 standard"),
            Unit.TIMES,
            per_year=True,
            levels=ABOVE_TOWNSHIP,
            help=_(
                "Instead of an amount: the line is this many times the local rural 低保 standard of the same year "
                "(德化县 2024: 2 × 低保 = 19,560 yuan)."
            ),
        ),
        Item(
            Name.DIBAO_STANDARD,
            _("rural 低保 standard"),
            Unit.YUAN,
            per_year=True,
            levels=ABOVE_TOWNSHIP,
            help=_("Yuan per person per year, as the county (or city, province) sets it."),
        ),
        Item(
            Name.POVERTY_LINE,
            _("poverty line (national standard)"),
            Unit.YUAN,
            per_year=True,
            levels=frozenset(),
            defaults=_lines(
                [
                    (2010, "2300", True, "2010年不变价基数，见 domain.md §4.1"),
                    (2011, "2536", True, LINE_SOURCE),
                    (2012, "2625", True, LINE_SOURCE),
                    (2013, "2736", True, LINE_SOURCE),
                    (2014, "2800", True, LINE_SOURCE),
                    (2015, "2855", True, LINE_SOURCE),
                    (2016, "2952", True, LINE_SOURCE),
                    (2017, "2952", False, "未核实：常见引用的国家统计局数值"),
                    (2018, "2995", False, "未核实：常见引用的国家统计局数值"),
                    (2019, "3218", False, "未核实：仅有转引国家统计局的来源"),
                    (2020, "4000", False, "未核实：2020年退出评估收入“4000元左右”（刘永富），非统计局公布的标准"),
                ]
            ),
            help=_("Nominal yuan per person per year. Unverified years are marked; check them before relying on them."),
        ),
        Item(
            Name.PROVINCIAL_POVERTY_LINE,
            _("poverty line (provincial standard)"),
            Unit.YUAN,
            per_year=True,
            levels=PROVINCE,
            help=_("Set by a province that identifies households by its own higher line."),
        ),
        Item(
            Name.CITY_POVERTY_LINE,
            _("poverty line (city standard)"),
            Unit.YUAN,
            per_year=True,
            levels=frozenset({Level.CITY}),
            help=_("Set by a city that identifies households by its own line."),
        ),
        _exit_threshold(
            Name.INCIDENCE_MAX,
            _("exit: poverty incidence below (%)"),
            2016,
            "2",
            _("A village or county may exit when its poverty incidence is below this."),
        ),
        _exit_threshold(Name.INCIDENCE_MAX_WESTERN, _("exit: poverty incidence below, western region (%)"), 2016, "3"),
        _exit_threshold(Name.WRONG_EXIT_RATE_MAX, _("county exit: wrong-exit rate below (%)"), 2017, "2"),
        _exit_threshold(Name.MISSED_RATE_MAX, _("county exit: missed rate below (%)"), 2017, "2"),
        _exit_threshold(Name.RECOGNITION_MIN, _("county exit: recognition above (%)"), 2017, "90"),
        Item(
            Name.WESTERN_REGION,
            _("counts as western region"),
            Unit.FLAG,
            per_year=False,
            levels=ABOVE_TOWNSHIP,
            defaults=(
                Default(2000, Decimal("0"), WESTERN_SOURCE),
                *(Default(2000, Decimal("1"), WESTERN_SOURCE, region_code=code) for code in WESTERN_PROVINCES),
            ),
            help=_(
                "Set 1 for a province, or for a prefecture treated as western, whose thresholds are the western ones."
            ),
        ),
        Item(
            Name.EXIT_CHECKS_WATER,
            _("household exit: safe drinking water is checked"),
            Unit.FLAG,
            per_year=False,
            levels=PROVINCE,
            defaults=(
                Default(2014, Decimal("0"), EXIT_SOURCE),
                Default(2019, Decimal("1"), "2019年起饮水安全纳入“两不愁三保障”核查，见 domain.md §3"),
            ),
        ),
        Item(
            Name.NOTICE_DAYS,
            _("public notice period"),
            Unit.DAYS,
            per_year=False,
            levels=ABOVE_TOWNSHIP,
            defaults=(Default(2014, Decimal("7"), "公示期各地为5至7天，退出公示不少于7天，见 domain.md §3、§5.1"),),
            help=_("How long each public notice of a procedure runs (identification, exit)."),
        ),
        Item(
            Name.INCOME_ITEM_MAX,
            _("largest amount of one income item of a household"),
            Unit.AMOUNT,
            per_year=False,
            levels=ABOVE_TOWNSHIP,
            defaults=(
                Default(2014, Decimal("5000000"), "合理性校验：单项收入超过即视为录入错误，非政策规定", verified=False),
            ),
            help=_("An income item above this is refused as a typing error."),
        ),
        Item(
            Name.PER_CAPITA_CONFIRM_MULTIPLE,
            _("per-capita income needing a confirmation, as a multiple of the year's line"),
            Unit.TIMES,
            per_year=False,
            levels=ABOVE_TOWNSHIP,
            defaults=(
                Default(
                    2014, Decimal("10"), "合理性校验：人均纯收入超过当年贫困线的倍数须确认，非政策规定", verified=False
                ),
            ),
            help=_("A per-capita income above this many times the year's poverty line is saved only with a reason."),
        ),
        Item(
            Name.BACK_ENTRY_DAYS,
            _("a procedure step is back-entered (补录) when entered more than"),
            Unit.DAYS,
            per_year=False,
            levels=ABOVE_TOWNSHIP,
            defaults=(
                Default(2014, Decimal("3"), "各地常见“程序环节办理后三日内录入系统”，非全国统一规定", verified=False),
            ),
            help=_("Days after the date a step claims: entered later, it is marked 补录 and needs a reason."),
        ),
        Item(
            Name.NOTICE_COUNTS_WEEKENDS,
            _("public notices count weekends"),
            Unit.FLAG,
            per_year=False,
            levels=PROVINCE,
            defaults=(Default(2014, Decimal("1"), "公示期按自然日计算"),),
            help=_("1: a notice of N days runs N calendar days. 0: only working days count."),
        ),
        Item(
            Name.CADRE_MAX_HOUSEHOLDS,
            _("households one assisting cadre may carry"),
            Unit.HOUSEHOLDS,
            per_year=False,
            levels=ABOVE_TOWNSHIP,
            defaults=(
                Default(2014, Decimal("5"), "各地常见“每名帮扶责任人结对不超过5户”，非全国统一规定", verified=False),
            ),
            help=_("Pairing a cadre beyond this warns; it does not refuse."),
        ),
        Item(
            Name.VISIT_OVERDUE_DAYS,
            _("a household is overdue for a visit after"),
            Unit.DAYS,
            per_year=False,
            levels=ABOVE_TOWNSHIP,
            defaults=(Default(2014, Decimal("30"), "各地常见“每月至少走访一次”，非全国统一规定", verified=False),),
            help=_("Days since the cadre's last visit after which the household is listed as overdue."),
        ),
        Item(
            Name.WORK_TEAM_MIN_DAYS,
            _("days a work team member stays in the village each month"),
            Unit.DAYS,
            per_year=False,
            levels=ABOVE_TOWNSHIP,
            defaults=(
                Default(
                    2014,
                    Decimal("20"),
                    "广西：第一书记和驻村工作队员每个月驻村不得少于20天（http://www.zpol.cn/tzgg/content_42342），"
                    "各省规定不一，非全国统一规定",
                    verified=False,
                ),
            ),
            help=_("A month with fewer recorded days is listed as short in the attendance report."),
        ),
        Item(
            Name.PROJECT_NOTICE_DAYS,
            _("days a project notice stays posted"),
            Unit.DAYS,
            per_year=False,
            levels=ABOVE_TOWNSHIP,
            defaults=(
                Default(
                    2018,
                    Decimal("10"),
                    "国开办发〔2018〕11号：乡村和项目实施地公告公示期不少于10天，见 domain.md §7.2",
                ),
            ),
            help=_("A project notice posted for fewer days is flagged on the project's page."),
        ),
        Item(
            Name.DISBURSEMENT_DUE_SHARE,
            _("share of the investment paid by the planned completion"),
            Unit.PERCENT,
            per_year=False,
            levels=ABOVE_TOWNSHIP,
            defaults=(
                Default(
                    2014,
                    Decimal("90"),
                    "各地调度常用口径，非全国统一规定（domain.md §7.3：月度比例未核实）",
                    verified=False,
                ),
            ),
            help=_(
                "A project is behind on payments when, halfway through its planned period, less than half "
                "its investment is paid, or, past its planned completion, less than this share."
            ),
        ),
        _credit_rule(
            Name.LOAN_MAX_AMOUNT,
            _("microcredit: most a household may owe"),
            Unit.AMOUNT,
            "50000",
            _("A loan that would take the household's outstanding microcredit above this is refused."),
        ),
        _credit_rule(Name.LOAN_MAX_TERM, _("microcredit: longest term"), Unit.MONTHS, "36"),
        _credit_rule(Name.BORROWER_MIN_AGE, _("microcredit: youngest borrower"), Unit.AGE, "18"),
        _credit_rule(Name.BORROWER_MAX_AGE, _("microcredit: oldest borrower"), Unit.AGE, "65"),
        Item(
            Name.LOAN_EXTENSION_MAX,
            _("microcredit: longest extension"),
            Unit.MONTHS,
            per_year=False,
            levels=ABOVE_TOWNSHIP,
            defaults=(
                Default(
                    2014,
                    Decimal("12"),
                    "各地常见“展期只能办理一次，期限不超过1年”，非全国统一规定",
                    verified=False,
                ),
            ),
            help=_("A loan may be extended once, by at most this many months past its due date."),
        ),
    )
}


def register(*items: Item) -> None:
    """A capability above adds its own parameters (monitoring's deadlines and margins) in its
    `AppConfig.ready`; their national defaults are installed after migrate like these."""
    for item in items:
        ITEMS[item.name] = item

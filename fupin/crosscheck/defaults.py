"""The national default dataset kinds (domain.md §1.3: 公安, 车辆, 不动产, 市场监管, 财政供养, 民政, 医保, 教育,
残联, 人社, 住建) and the rules they feed, added after migrate when missing, never overwriting an edit."""

from __future__ import annotations

from django.db import transaction

from . import policy_items

BASE = [
    {"key": "id_number", "header": "身份证号", "required": True},
    {"key": "name", "header": "姓名", "required": True},
]


def _columns(*extra: tuple[str, str, bool]) -> list[dict]:
    return BASE + [{"key": key, "header": header, "required": required} for key, header, required in extra]


KINDS = (
    (
        "population",
        "公安",
        "户籍人口变动",
        "一人一次户籍变动（迁入、迁出、死亡）",
        _columns(("change_type", "变动类型", True), ("change_date", "变动日期", True)),
    ),
    (
        "vehicles",
        "公安交管",
        "机动车登记",
        "一辆登记在本人名下的机动车",
        _columns(
            ("vehicle_type", "车辆类型", True), ("plate", "号牌号码", False), ("registered_on", "登记日期", False)
        ),
    ),
    (
        "property",
        "不动产登记",
        "不动产权属",
        "一处登记在本人名下的房产",
        _columns(("use", "房屋用途", True), ("area", "建筑面积", True), ("location", "坐落", False)),
    ),
    (
        "businesses",
        "市场监管",
        "市场主体登记",
        "本人在一个市场主体中的身份",
        _columns(
            ("role", "人员身份", True),
            ("capital", "注册资本（万元）", False),
            ("business", "企业名称", False),
            ("status", "登记状态", False),
        ),
    ),
    (
        "public_payroll",
        "财政",
        "财政供养人员",
        "一名由财政发放工资的人员",
        _columns(("unit", "工作单位", True), ("since", "入编时间", False)),
    ),
    (
        "civil_affairs",
        "民政",
        "社会救助对象",
        "一人享受的一项社会救助",
        _columns(("assistance", "救助类别", True), ("since", "纳入时间", True)),
    ),
    (
        "medical_insurance",
        "医保",
        "医疗费用结算",
        "一人一段时期的医疗费用",
        _columns(("period", "结算期间", True), ("total", "医疗总费用", False), ("self_paid", "个人自付费用", True)),
    ),
    (
        "education",
        "教育",
        "学籍状态",
        "一名学生的学籍状态",
        _columns(("school_status", "学籍状态", True), ("school", "学校", False), ("since", "变动日期", False)),
    ),
    (
        "disability",
        "残联",
        "残疾人证",
        "一张残疾人证",
        _columns(("card_no", "残疾人证号", True), ("grade", "残疾等级", False), ("issued_on", "发证日期", False)),
    ),
    (
        "employment",
        "人社",
        "就业与社保",
        "一人的就业状态或社保参保",
        _columns(("employment_status", "就业状态", True), ("since", "变动日期", False)),
    ),
    (
        "housing_safety",
        "住建",
        "农房安全鉴定",
        "一处农房的安全鉴定",
        _columns(("grade", "鉴定等级", True), ("assessed_on", "鉴定日期", False), ("location", "坐落", False)),
    ),
)

# Rules that sum a column over the person's rows of the list: the 医保 list has a row per settlement
# period, and the rule reads out-of-pocket costs over the list's twelve months.
SUMMED = {"medical_costs": "self_paid"}

# Deaths and payroll are matched against members who left within a year as well (issue: "members who
# left recently"); a year is the register's yearly adjustment cycle.
LEFT_RECENTLY = {"population": 365, "public_payroll": 365}

SOURCE = "贵州扶贫云比对口径（domain.md §1.3）与各地“六不评”"
RULES = (
    (
        "death",
        "population",
        "户籍登记死亡",
        {"all": [{"column": "change_type", "op": "eq", "value": "死亡"}]},
        "correction",
        "",
        "",
        "high",
        "公安户籍：{name} 于 {change_date} 登记死亡，应办理减员。",
    ),
    (
        "vehicle",
        "vehicles",
        "名下有非农用机动车",
        {
            "all": [
                {
                    "column": "vehicle_type",
                    "op": "not_in",
                    "value": ["农用车", "拖拉机", "三轮汽车", "低速货车", "摩托车", "电动自行车"],
                }
            ]
        },
        "suspect",
        "owns_vehicle",
        "",
        "medium",
        "车辆登记：{name} 名下有{vehicle_type}（{plate}），登记于 {registered_on}。",
    ),
    (
        "town_property",
        "property",
        "名下有城镇住宅或商业房产",
        {
            "all": [
                {"column": "use", "op": "in", "value": ["住宅", "商业", "商住", "商服", "办公"]},
                {"column": "area", "op": "gt", "policy": policy_items.PROPERTY_AREA},
            ]
        },
        "suspect",
        "town_property",
        "",
        "medium",
        "不动产：{name} 名下有{use}房产 {area} 平方米，坐落 {location}。",
    ),
    (
        "business",
        "businesses",
        "经营工商注册企业",
        {
            "all": [
                {"column": "role", "op": "in", "value": ["法定代表人", "股东", "经营者", "负责人"]},
                {"column": "capital", "op": "gt", "policy": policy_items.BUSINESS_CAPITAL},
                {"column": "status", "op": "ne", "value": "注销"},
            ]
        },
        "suspect",
        "registered_business",
        "",
        "medium",
        "市场监管：{name} 为{business}的{role}，注册资本 {capital} 万元。",
    ),
    (
        "payroll",
        "public_payroll",
        "财政供养人员",
        {"all": [{"column": "unit", "op": "present"}]},
        "suspect",
        "public_servant",
        "",
        "high",
        "财政供养：{name} 在 {unit} 领取财政工资，入编 {since}。",
    ),
    (
        "new_dibao",
        "civil_affairs",
        "新纳入低保或特困",
        {"all": [{"column": "assistance", "op": "in", "value": ["低保", "农村低保", "特困", "特困供养"]}]},
        "warning",
        "",
        "99",
        "medium",
        "民政：{name} 于 {since} 纳入{assistance}。",
    ),
    (
        "medical_costs",
        "medical_insurance",
        "医疗自付费用较高",
        {"all": [{"column": "self_paid", "op": "gt", "policy": policy_items.MEDICAL_SELF_PAID}]},
        "warning",
        "",
        "01",
        "high",
        "医保：{name} 名单所列期间（{period} 起）个人自付医疗费用合计 {self_paid} 元。",
    ),
    (
        "dropout",
        "education",
        "疑似辍学",
        {"all": [{"column": "school_status", "op": "in", "value": ["辍学", "失学", "休学"]}]},
        "warning",
        "",
        "09",
        "high",
        "教育：{name} 学籍状态为{school_status}（{school}，{since}）。",
    ),
    (
        "new_disability",
        "disability",
        "新办残疾人证",
        {"all": [{"column": "card_no", "op": "present"}]},
        "warning",
        "",
        "03",
        "medium",
        "残联：{name} 持残疾人证 {card_no}，等级 {grade}，发证 {issued_on}。",
    ),
    (
        "lost_job",
        "employment",
        "失业或解除劳动合同",
        {"all": [{"column": "employment_status", "op": "in", "value": ["失业", "解除劳动合同", "终止劳动合同"]}]},
        "warning",
        "",
        "07",
        "medium",
        "人社：{name} 于 {since} {employment_status}。",
    ),
    (
        "unsafe_house",
        "housing_safety",
        "农房鉴定为危房",
        {"all": [{"column": "grade", "op": "in", "value": ["C", "D", "C级", "D级"]}]},
        "warning",
        "",
        "10",
        "high",
        "住建：{name} 的农房（{location}）鉴定为 {grade}，鉴定于 {assessed_on}。",
    ),
)


@transaction.atomic
def install_defaults(**kwargs) -> int:
    from .models import DatasetKind, Rule

    added = 0
    kinds = {}
    for position, (code, department, name, meaning, columns) in enumerate(KINDS, start=1):
        kind, created = DatasetKind.objects.get_or_create(
            code=code,
            defaults={
                "department": department,
                "name": name,
                "row_meaning": meaning,
                "columns": columns,
                "position": position,
                "match_left_days": LEFT_RECENTLY.get(code, 0),
            },
        )
        kinds[code], added = kind, added + created
    for code, kind, name, condition, yields, exclusion, risk, severity, explanation in RULES:
        _rule, created = Rule.objects.get_or_create(
            code=code,
            defaults={
                "kind": kinds[kind],
                "name": name,
                "condition": condition,
                "yields": yields,
                "exclusion_rule": exclusion,
                "risk_type": risk,
                "severity": severity,
                "explanation": explanation,
                "source": SOURCE,
                "sum_column": SUMMED.get(code, ""),
            },
        )
        added += created
    return added

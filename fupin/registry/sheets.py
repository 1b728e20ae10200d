"""The columns of the two household import formats: our own template (every field of the record)
and the national system's person-list export (../shared/domain.md §2.7). One row per person; a
household is the rows that share a household number, and its own fields are read from the head's row.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind
from fupin.transfer.spec import Column, optional, parse_date, parse_decimal, parse_int, parse_year, parse_yes_no

from . import id_numbers
from .fields import MASKED
from .models import PovertyStatus


def code(kind: str) -> Callable[[str], str]:
    return optional(lambda text: code_list(kind).parse(text), "")


def parse_health(text: str) -> list[str]:
    codes = code_list(Kind.HEALTH_STATUS)
    parts = [p for p in text.replace("，", "、").replace(",", "、").replace("/", "、").split("、") if p.strip()]
    return [codes.parse(p) for p in parts]


STATUS_BY_LABEL = {str(label): value for value, label in PovertyStatus.choices} | {
    "未脱贫": PovertyStatus.NOT_EXITED,
    "已脱贫": PovertyStatus.EXITED,
    "返贫": PovertyStatus.RELAPSED,
    "清退": PovertyStatus.REMOVED,
}


def parse_status(text: str) -> str:
    if text in STATUS_BY_LABEL:
        return STATUS_BY_LABEL[text]
    raise ValidationError(_("Enter 未脱贫, 已脱贫, 返贫 or 清退."))


def parse_id_number(text: str) -> str:
    return id_numbers.normalize(text)


YES_NO = optional(parse_yes_no)
DECIMAL = optional(parse_decimal)
INTEGER = optional(parse_int)
DATE = optional(parse_date)
YEAR = optional(parse_year)
TEXT = optional(str, "")
FLAG = optional(parse_yes_no, False)

# Household fields: (key, header, parser). Keys are the model's field names, so that a rule's error
# lands on its column.
HOUSEHOLD_COLUMNS: list[tuple[str, str, Callable]] = [
    ("region_id", "行政村代码", TEXT),
    ("group_name", "村民小组", TEXT),
    ("address", "家庭住址", TEXT),
    ("phone", "户联系电话", TEXT),
    ("bank_name", "开户银行", TEXT),
    ("bank_account", "银行账号", TEXT),
    ("identification_standard", "识别标准", code(Kind.IDENTIFICATION_STANDARD)),
    ("household_attribute", "贫困户属性", code(Kind.HOUSEHOLD_ATTRIBUTE)),
    ("main_cause", "主要致贫原因", code(Kind.POVERTY_CAUSE)),
    ("other_cause_1", "其他致贫原因1", code(Kind.POVERTY_CAUSE)),
    ("other_cause_2", "其他致贫原因2", code(Kind.POVERTY_CAUSE)),
    ("cause_note", "致贫原因说明", TEXT),
    ("poverty_status", "脱贫状态", optional(parse_status, "")),
    ("first_identified_on", "首次识别时间", DATE),
    ("planned_exit_year", "计划脱贫年度", YEAR),
    ("exit_year", "脱贫年度", YEAR),
    ("relapsed_on", "返贫时间", DATE),
    ("removed_on", "清退时间", DATE),
    ("removal_reason", "清退原因", TEXT),
    ("is_relocated", "是否易地扶贫搬迁", FLAG),
    ("relocation_mode", "搬迁方式", code(Kind.RELOCATION_MODE)),
    ("resettlement_type", "安置方式", code(Kind.RESETTLEMENT_TYPE)),
    ("resettlement_site", "安置地点", TEXT),
    ("lives_in_resettlement_site", "是否居住在集中安置区", YES_NO),
    ("cultivated_land_mu", "耕地面积（亩）", DECIMAL),
    ("irrigated_land_mu", "有效灌溉面积（亩）", DECIMAL),
    ("forest_land_mu", "林地面积（亩）", DECIMAL),
    ("returned_farmland_mu", "退耕还林面积（亩）", DECIMAL),
    ("orchard_mu", "林果面积（亩）", DECIMAL),
    ("pasture_mu", "牧草地面积（亩）", DECIMAL),
    ("water_surface_mu", "水面面积（亩）", DECIMAL),
    ("in_cooperative", "是否加入农民专业合作社", YES_NO),
    ("led_by_enterprise", "是否有龙头企业带动", YES_NO),
    ("led_by_entrepreneur", "是否有创业致富带头人带动", YES_NO),
    ("has_production_power", "是否通生产用电", YES_NO),
    ("has_household_power", "是否通生活用电", YES_NO),
    ("has_broadcast_tv", "是否通广播电视", YES_NO),
    ("has_drinking_water_difficulty", "饮水是否困难", YES_NO),
    ("has_safe_drinking_water", "是否解决安全饮用水", YES_NO),
    ("distance_to_main_road_km", "与村主干路距离（公里）", DECIMAL),
    ("access_road_type", "入户路类型", code(Kind.ACCESS_ROAD_TYPE)),
    ("housing_area_m2", "住房面积（平方米）", DECIMAL),
    ("is_unsafe_housing", "是否危房户", YES_NO),
    ("housing_grade", "危房等级", code(Kind.HOUSING_GRADE)),
    ("has_sanitary_toilet", "是否有卫生厕所", YES_NO),
    ("main_fuel", "主要燃料类型", code(Kind.FUEL_TYPE)),
]
INCOME_COLUMNS: list[tuple[str, str, Callable]] = [
    ("income_year", "收入年度", YEAR),
    ("wage_income", "工资性收入", DECIMAL),
    ("business_income", "生产经营性收入", DECIMAL),
    ("dividend_income", "资产收益扶贫分红收入", DECIMAL),
    ("other_property_income", "其他财产性收入", DECIMAL),
    ("family_planning_subsidy", "计划生育金", DECIMAL),
    ("dibao_benefit", "低保金", DECIMAL),
    ("tekun_benefit", "特困供养金", DECIMAL),
    ("pension_benefit", "养老保险金", DECIMAL),
    ("eco_compensation", "生态补偿金", DECIMAL),
    ("other_transfer_income", "其他转移性收入", DECIMAL),
    ("business_expense", "生产经营性支出", DECIMAL),
    ("compliant_out_of_pocket", "合规自付支出", DECIMAL),
]
MEMBER_COLUMNS: list[tuple[str, str, Callable]] = [
    ("member_no", "人编号", optional(str)),
    ("name", "姓名", str),
    ("document_type", "证件类型", code(Kind.DOCUMENT_TYPE)),
    ("id_number", "证件号码", parse_id_number),
    ("relation_to_head", "与户主关系", code(Kind.RELATION_TO_HEAD)),
    ("ethnicity", "民族", code(Kind.ETHNICITY)),
    ("political_status", "政治面貌", code(Kind.POLITICAL_STATUS)),
    ("member_phone", "本人联系电话", TEXT),
    ("education", "文化程度", code(Kind.EDUCATION)),
    ("school_status", "在校生状况", code(Kind.SCHOOL_STATUS)),
    ("dropout_reason", "失学或辍学原因", TEXT),
    ("health_status", "健康状况", optional(parse_health, [])),
    ("speaks_mandarin", "是否会讲普通话", YES_NO),
    ("labour_skill", "劳动技能", code(Kind.LABOUR_SKILL)),
    ("work_status", "务工状况", code(Kind.WORK_STATUS)),
    ("work_place", "务工所在地", TEXT),
    ("work_months", "务工时间（月）", INTEGER),
    ("public_welfare_post", "公益岗位", TEXT),
    ("public_welfare_post_months", "公益岗位聘用月数", INTEGER),
    ("has_medical_insurance", "是否参加城乡居民基本医疗保险", YES_NO),
    ("has_serious_illness_insurance", "是否参加大病保险", YES_NO),
    ("has_pension_insurance", "是否参加城乡居民基本养老保险", YES_NO),
    ("has_commercial_insurance", "是否参加商业补充医疗保险", YES_NO),
    ("has_accident_insurance_subsidy", "是否享受人身意外保险补贴", YES_NO),
    ("receives_medical_assistance", "是否接受医疗救助", YES_NO),
    ("receives_dibao", "是否享受农村低保", FLAG),
    ("receives_tekun", "是否特困供养人员", FLAG),
    ("is_serving_soldier", "是否现役军人", FLAG),
    ("is_relocated_person", "是否易地搬迁人口", FLAG),
    ("joined_on", "入户时间", DATE),
    ("left_on", "离户时间", DATE),
    ("leave_reason", "离户原因", code(Kind.LEAVE_REASON)),
]
REQUIRED_MEMBER = {"name", "id_number", "relation_to_head"}
HOUSEHOLD_KEYS = [key for key, _h, _p in HOUSEHOLD_COLUMNS]
INCOME_KEYS = [key for key, _h, _p in INCOME_COLUMNS]


def _examples() -> dict[str, str]:
    return {
        "household_no": "411723101200001",
        "region_id": "411723101200",
        "household_attribute": "一般贫困户",
        "main_cause": "因病",
        "poverty_status": "未脱贫",
        "name": "张三",
        "id_number": "411723197001010016",  # a valid check digit: the example imports as it is
        "relation_to_head": "户主",
        "health_status": "长期慢性病、残疾",
        "has_medical_insurance": "是",
        "income_year": "2024",
        "wage_income": "12000",
    }


def template_columns() -> list[Column]:
    examples = _examples()
    columns = [Column("household_no", "户编号", example=examples["household_no"])]
    for key, header, parse in HOUSEHOLD_COLUMNS + INCOME_COLUMNS:
        columns.append(
            Column(key, header, required=False, parse=parse, example=examples.get(key, ""), sensitive=key in MASKED)
        )
    for key, header, parse in MEMBER_COLUMNS:
        required = key in REQUIRED_MEMBER
        example = examples.get(key, "")
        columns.append(Column(key, header, required=required, parse=parse, example=example, sensitive=key in MASKED))
    return columns


# The national person list: only these columns are read; other columns in the file are ignored.
NATIONAL_COLUMNS: list[Column] = [
    Column("county", "县", aliases=("县（市、区）", "县（市、区、旗）", "县名称")),  # NFKC: ( ) match （ ）
    Column("township", "乡", aliases=("乡（镇）", "乡镇", "乡(镇)", "乡镇名称")),
    Column("village", "行政村", aliases=("村", "行政村名称")),
    Column("group_name", "自然村", required=False, parse=TEXT, aliases=("自然村（组）", "村民小组")),
    Column("household_no", "户编号"),
    Column("member_no", "人编号", required=False, parse=optional(str)),
    Column("name", "姓名"),
    Column(
        "id_number",
        "证件号码",
        parse=parse_id_number,
        aliases=("身份证号码", "身份证号", "公民身份号码"),
        sensitive=True,
    ),
    Column("size", "人数", required=False, parse=INTEGER, aliases=("家庭人口数",)),
    Column("relation_to_head", "与户主关系", parse=code(Kind.RELATION_TO_HEAD)),
    Column("ethnicity", "民族", required=False, parse=code(Kind.ETHNICITY)),
    Column("education", "文化程度", required=False, parse=code(Kind.EDUCATION)),
    Column("school_status", "在校生状况", required=False, parse=code(Kind.SCHOOL_STATUS)),
    Column("health_status", "健康状况", required=False, parse=optional(parse_health, [])),
    Column("labour_skill", "劳动技能", required=False, parse=code(Kind.LABOUR_SKILL)),
    Column("work_months", "务工时间", required=False, parse=INTEGER, aliases=("务工时间（月）", "务工时长（月）")),
    # 城乡居民大病保险 is open only to members of basic medical insurance: "是" also records basic
    # insurance (registry.imports._insured_from_serious_illness); "否" says nothing of it.
    Column("has_serious_illness_insurance", "是否参加大病保险", required=False, parse=YES_NO),
    Column("main_cause", "致贫原因1", parse=code(Kind.POVERTY_CAUSE), aliases=("主要致贫原因", "致贫原因")),
    # 危房户 "是": the household lives in a house assessed unsafe (grade C or D) and not yet renovated; the
    # list gives no grade, so only the flag is kept and the housing check reads it (Household.unsafe_housing).
    Column("is_unsafe_housing", "危房户", required=False, parse=YES_NO, aliases=("是否危房户",)),
    Column("has_safe_drinking_water", "是否解决安全饮用水", required=False, parse=YES_NO, aliases=("饮水是否安全",)),
    # The register computes income from its items; the list's figure is kept as reported (NationalRecord).
    Column("reported_income", "人均纯收入", required=False, parse=DECIMAL),
    Column("phone", "户联系电话", required=False, parse=TEXT, aliases=("户/人联系电话", "联系电话"), sensitive=True),
    Column("member_phone", "人联系电话", required=False, parse=TEXT, sensitive=True),
    Column("first_identified_on", "首次识别时间", required=False, parse=DATE),
    Column("joined_on", "人员识别时间", required=False, parse=DATE),
    Column("household_attribute", "户类型", parse=code(Kind.HOUSEHOLD_ATTRIBUTE), aliases=("贫困户属性",)),
    Column("exit_year", "脱贫年度", required=False, parse=YEAR, aliases=("脱贫年份",)),
    # The monitoring columns, kept as listed (NationalRecord) until the household is monitored here.
    Column(
        "monitoring_category",
        "易返贫致贫户(监测对象)类型",
        required=False,
        parse=TEXT,
        aliases=("监测对象类型", "监测对象类别", "易返贫致贫户类型"),
    ),
    Column("risk_eliminated", "风险是否消除", required=False, parse=YES_NO),
    Column("risk_identified_on", "风险识别时间", required=False, parse=DATE),
    Column("risk_eliminated_on", "风险消除时间", required=False, parse=DATE),
]

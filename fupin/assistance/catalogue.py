"""The national measure catalogue (domain.md §2.6–2.7, glossary's categories), added when missing.
Types whose money is household income name the income item it belongs to; measures that lower
spending (medical assistance), build assets (housing) or lend (microcredit) add to no item."""

from __future__ import annotations

from django.db import transaction

MEASURE_TYPES = (
    ("industry_support", "产业发展奖补", "industry", "other_transfer_income"),
    ("industry_cooperative", "带动发展特色种养", "industry", ""),
    ("employment_job", "转移就业（务工）", "employment", ""),
    ("employment_subsidy", "就业交通补贴", "employment", "other_transfer_income"),
    ("welfare_post", "公益岗位", "welfare_post", "wage_income"),
    ("forest_ranger", "生态护林员", "ecology", "wage_income"),
    ("eco_compensation", "生态补偿", "ecology", "eco_compensation"),
    ("education_grant", "教育资助（雨露计划等）", "education", "other_transfer_income"),
    ("education_enrolment", "控辍保学", "education", ""),
    ("health_insurance", "代缴医疗保险", "health", ""),
    ("health_assistance", "医疗救助、大病保险", "health", ""),
    ("health_contract", "家庭医生签约服务", "health", ""),
    ("housing_renovation", "危房改造", "housing", ""),
    ("relocation", "易地扶贫搬迁", "relocation", ""),
    ("dibao", "纳入低保", "social_security", "dibao_benefit"),
    ("tekun", "特困供养", "social_security", "tekun_benefit"),
    ("disability_subsidy", "残疾人两项补贴", "social_security", "other_transfer_income"),
    ("microcredit", "扶贫小额信贷", "finance", ""),
    ("dividend", "资产收益分红", "asset_income", "dividend_income"),
    ("skills_training", "技能培训", "training", ""),
    ("infrastructure", "基础设施（道路、饮水等）", "infrastructure", ""),
    ("other", "其他", "other", ""),
)


INCOME_CATEGORIES = ["industry", "employment"]  # besides the types whose money is income
COVERAGE_RULES = (
    (
        "labour_two_income",
        "有劳动能力的户至少两项增收措施",
        "家中有普通或技能劳动力的户，当年至少落实两项能带来收入的措施（产业、就业，或计入收入的公益岗位、分红等）。",
        "labour_income",
        {"skills": ["01", "02"], "min": 2, "categories": INCOME_CATEGORIES},
    ),
    (
        "cause_illness",
        "因病致贫有健康措施",
        "主要致贫原因为因病的户，当年至少有一项健康帮扶措施。",
        "cause",
        {"cause": "1", "categories": ["health"]},
    ),
    (
        "cause_disability",
        "因残致贫有保障措施",
        "主要致贫原因为因残的户，当年至少有一项社会保障（含残疾人补贴）措施。",
        "cause",
        {"cause": "2", "categories": ["social_security"]},
    ),
    (
        "cause_schooling",
        "因学致贫有教育措施",
        "主要致贫原因为因学的户，当年至少有一项教育帮扶措施。",
        "cause",
        {"cause": "3", "categories": ["education"]},
    ),
    (
        "cause_skills",
        "缺技术有培训措施",
        "主要致贫原因为缺技术的户，当年至少有一项技能培训措施。",
        "cause",
        {"cause": "7", "categories": ["training"]},
    ),
    (
        "cause_funds",
        "缺资金有金融措施",
        "主要致贫原因为缺资金的户，当年至少有一项金融（含小额信贷）措施。",
        "cause",
        {"cause": "9", "categories": ["finance"]},
    ),
    (
        "unsafe_housing",
        "危房有住房措施",
        "住房为C、D级危房的户，当年至少有一项危房改造或易地搬迁措施。",
        "unsafe_housing",
        {"categories": ["housing", "relocation"]},
    ),
    (
        "exited_keeps_measure",
        "脱贫户保留帮扶措施",
        "已脱贫户“四个不摘”，当年至少保留一项帮扶措施。",
        "exited_active",
        {"min": 1},
    ),
)


@transaction.atomic
def install_defaults(**kwargs) -> int:
    from .models import CoverageRule, MeasureType

    for position, (code, name, explanation, kind, parameters) in enumerate(COVERAGE_RULES, start=1):
        CoverageRule.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "explanation": explanation,
                "kind": kind,
                "parameters": parameters,
                "position": position,
            },
        )

    added = 0
    for position, (code, name, category, income_item) in enumerate(MEASURE_TYPES, start=1):
        _type, created = MeasureType.objects.get_or_create(
            code=code,
            defaults={"name": name, "category": category, "income_item": income_item, "position": position},
        )
        added += created
    return added

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


@transaction.atomic
def install_defaults(**kwargs) -> int:
    from .models import MeasureType

    added = 0
    for position, (code, name, category, income_item) in enumerate(MEASURE_TYPES, start=1):
        _type, created = MeasureType.objects.get_or_create(
            code=code,
            defaults={"name": name, "category": category, "income_item": income_item, "position": position},
        )
        added += created
    return added

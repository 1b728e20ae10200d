"""The household procedures' national default steps (domain.md §3, §5.1) and the exclusion rules
(§5.2); every registered kind's steps and the rules are added when missing.

A province that runs a procedure differently has its own `Procedure` row for the kind (region_code
= the province), with its own steps; batches of its villages use it.
"""

from __future__ import annotations

from django.db import transaction

from fupin.accounts.roles import Role

from .kinds import KINDS, StepDefault

VILLAGE = [Role.VILLAGE_OPERATOR, Role.TOWNSHIP_OPERATOR]  # township staff often enter for the village
TOWNSHIP = [Role.TOWNSHIP_OPERATOR]
TOWNSHIP_REVIEW = [Role.TOWNSHIP_REVIEWER]
COUNTY = [Role.COUNTY_OPERATOR]
COUNTY_DECISION = [Role.COUNTY_REVIEWER]
NOTICE_PHOTO = "公示照片"


IDENTIFICATION_STEPS = (
    StepDefault("application", "农户申请", VILLAGE, ("申请书",)),
    StepDefault("home_survey", "入户调查", VILLAGE, ("入户调查表",)),
    StepDefault("democratic_review", "民主评议", VILLAGE, ("评议会议记录",)),
    StepDefault("village_notice", "村公示", VILLAGE, (NOTICE_PHOTO,), is_notice=True),
    StepDefault("township_review", "乡镇审核", TOWNSHIP_REVIEW, ("审核意见",), can_send_back=True),
    StepDefault("township_notice", "乡镇公示", TOWNSHIP, (NOTICE_PHOTO,), is_notice=True),
    StepDefault("county_decision", "县审定", COUNTY_DECISION, ("审定意见",), can_send_back=True),
    StepDefault("county_announcement", "县公告", COUNTY, ("公告照片",)),
    StepDefault("registration", "建档立卡", COUNTY),
)
EXIT_STEPS = (
    StepDefault("proposal", "预退出提出", VILLAGE),
    StepDefault("home_verification", "入户核实", VILLAGE, ("入户核实表",)),
    StepDefault("democratic_review", "民主评议", VILLAGE, ("评议会议记录",)),
    StepDefault("household_consent", "户签字认可", VILLAGE, ("脱贫户签字确认书",)),
    StepDefault("village_notice", "村公示", VILLAGE, (NOTICE_PHOTO,), is_notice=True),
    StepDefault("township_verification", "乡镇核实", TOWNSHIP_REVIEW, ("核实意见",), can_send_back=True),
    StepDefault("county_decision", "县审定", COUNTY_DECISION, ("审定意见",), can_send_back=True),
    StepDefault("announcement", "公告", COUNTY, ("公告照片",)),
    StepDefault("mark_exited", "标注脱贫", COUNTY),
)
RELAPSE_STEPS = (
    StepDefault("proposal", "返贫申请或发现", VILLAGE),
    StepDefault("home_verification", "入户核实", VILLAGE, ("入户核实表",)),
    StepDefault("democratic_review", "民主评议", VILLAGE, ("评议会议记录",)),
    StepDefault("village_notice", "村公示", VILLAGE, (NOTICE_PHOTO,), is_notice=True),
    StepDefault("township_review", "乡镇审核", TOWNSHIP_REVIEW, ("审核意见",), can_send_back=True),
    StepDefault("county_decision", "县审定", COUNTY_DECISION, ("审定意见",), can_send_back=True),
    StepDefault("mark_relapsed", "标注返贫", COUNTY),
)
REMOVAL_STEPS = (
    StepDefault("proposal", "清退提出", VILLAGE),
    StepDefault("home_verification", "入户核实", VILLAGE, ("入户核实表",)),
    StepDefault("democratic_review", "民主评议", VILLAGE, ("评议会议记录",)),
    StepDefault("village_notice", "村公示", VILLAGE, (NOTICE_PHOTO,), is_notice=True),
    StepDefault("township_review", "乡镇审核", TOWNSHIP_REVIEW, ("审核意见",), can_send_back=True),
    StepDefault("county_decision", "县审定", COUNTY_DECISION, ("审定意见",), can_send_back=True),
    StepDefault("announcement", "公告", COUNTY, ("公告照片",)),
    StepDefault("mark_removed", "标注清退", COUNTY),
)
RULE_SOURCE = "各地“六不评”等规定，见 domain.md §5.2"
EXCLUSION_RULES = (
    (
        "public_servant",
        "家庭成员为公职人员或财政供养人员",
        "家庭成员中有国家公职人员、事业单位或国有企业在编人员等财政供养、收入稳定的人员。",
    ),
    (
        "village_cadre",
        "家庭成员为村“两委”干部",
        "家庭成员中有现任村党支部、村委会成员。",
    ),
    (
        "owns_vehicle",
        "拥有小汽车或大型机械",
        "家庭拥有价格3万元以上的机动车、大型农机具或工程机械（营运、生产用途须核实）。",
    ),
    (
        "town_property",
        "在城镇购买商品房或商铺",
        "家庭在县城、集镇购买商品房、门面房，或近年新建、装修豪华住房。",
    ),
    (
        "registered_business",
        "经营工商注册企业或个体工商户",
        "家庭成员注册并实际经营公司、个体工商户，或为合作社负责人。",
    ),
    (
        "large_operator",
        "规模经营或长期雇工",
        "家庭为种养大户，或长期雇用他人从事生产经营。",
    ),
    (
        "split_household",
        "分户、空挂户或人户分离",
        "为享受政策而拆户、并户，户籍在而人不在（空挂户），或全家长期在外居住。",
    ),
    (
        "misconduct",
        "违法违规或拒不改正",
        "有赌博、吸毒等违法行为且拒不改正，或对举报、质询不能作出合理说明。",
    ),
)


@transaction.atomic
def install_defaults(**kwargs) -> int:
    """Add the national definitions of the registered kinds and the rules that are missing; returns how
    many rows were added."""
    from .models import ExclusionRule, Procedure, Step

    added = 0
    for kind in KINDS.values():
        procedure, created = Procedure.objects.get_or_create(
            kind=kind.name, region_code="", defaults={"name": kind.title}
        )
        if not created:
            continue
        added += 1
        for position, step in enumerate(kind.steps, start=1):
            Step.objects.create(
                procedure=procedure,
                position=position,
                code=step.code,
                name=step.name,
                actor_roles=[str(r) for r in step.actors],
                is_notice=step.is_notice,
                evidence_required=list(step.evidence),
                can_send_back=step.can_send_back,
            )
            added += 1
    for position, (code, name, description) in enumerate(EXCLUSION_RULES, start=1):
        _rule, created = ExclusionRule.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "source": RULE_SOURCE, "position": position}
        )
        added += created
    return added

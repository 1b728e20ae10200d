"""The demo county: 平舆县 (411723), two of its townships and some of their villages, a user of every role."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from fupin.regions.models import Level, Region

from . import actions
from .models import User
from .roles import Role

DEMO_COUNTY = "411723"
DEMO_TOWNSHIPS = ("411723101", "411723102")  # 杨埠镇, 东和店镇
VILLAGES_PER_TOWNSHIP = 2
DEMO_PASSWORD = "Fupin-Demo-2026"  # noqa: S105 — printed for the demo; every demo user must change it


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    region_code: str | None


class DemoDataError(Exception):
    pass


def demo_users() -> list[DemoUser]:
    county = DEMO_COUNTY
    users = [
        DemoUser("admin", "系统管理员", Role.SYSTEM_ADMIN, None),
        DemoUser("county_admin", "县系统管理员", Role.COUNTY_ADMIN, county),
        DemoUser("security_admin", "县安全管理员", Role.SECURITY_ADMIN, county),
        DemoUser("audit_admin", "县审计管理员", Role.AUDIT_ADMIN, county),
        DemoUser("county_operator", "县经办人", Role.COUNTY_OPERATOR, county),
        DemoUser("county_reviewer", "县审定人", Role.COUNTY_REVIEWER, county),
        DemoUser("department", "项目主管部门用户", Role.DEPARTMENT_USER, county),
        DemoUser("bank", "合作银行用户", Role.BANK_USER, county),
        DemoUser("inspector", "督查人员", Role.INSPECTOR, county),
        DemoUser("leader", "县领导", Role.LEADER, county),
    ]
    for t, township in enumerate(DEMO_TOWNSHIPS, start=1):
        users += [
            DemoUser(f"township{t}_operator", f"乡镇{t}经办人", Role.TOWNSHIP_OPERATOR, township),
            DemoUser(f"township{t}_reviewer", f"乡镇{t}审核人", Role.TOWNSHIP_REVIEWER, township),
        ]
        villages = Region.objects.filter(parent_id=township, level=Level.VILLAGE).order_by("code")
        for v, village in enumerate(villages[:VILLAGES_PER_TOWNSHIP], start=1):
            users.append(DemoUser(f"village{t}{v}_operator", f"村{t}{v}工作队员", Role.VILLAGE_OPERATOR, village.code))
        if villages:
            users.append(DemoUser(f"cadre{t}", f"帮扶责任人{t}", Role.ASSISTING_CADRE, villages[0].code))
    return users


@transaction.atomic
def create_demo_data() -> list[tuple[User, DemoUser]]:
    """Create (or reset to the known password) every demo user; returns them for printing."""
    if not Region.objects.filter(code=DEMO_COUNTY).exists():
        raise DemoDataError("Region 411723 is missing: run `manage.py load_regions` first.")
    admin = User.objects.filter(username="admin").first() or User.objects.create_superuser(
        "admin", DEMO_PASSWORD, full_name="系统管理员", must_change_password=True
    )
    result = []
    for demo in demo_users():
        region = Region.objects.get(code=demo.region_code) if demo.region_code else None
        user = admin if demo.username == "admin" else User.objects.filter(username=demo.username).first()
        if user is None:
            user = actions.create_user(
                by=admin,
                username=demo.username,
                password=DEMO_PASSWORD,
                full_name=demo.full_name,
                role=demo.role,
                region=region,
            )
        else:
            actions.reset_password_at_console(user=user, password=DEMO_PASSWORD)
        result.append((user, demo))
    return result

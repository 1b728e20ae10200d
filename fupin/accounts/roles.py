"""Roles: what each may do (permissions) and at which level of region it may be placed.

"What" is a permission; "where" is the user's region (fupin.access). An action checks both.
Roles follow the statutory separation of duties (a township reviews what a village proposes, the
county decides), so they are fixed here rather than edited in a screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.permissions import Perm
from fupin.regions.models import Level


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    COUNTY_ADMIN = "county_admin", _("county system administrator")
    SECURITY_ADMIN = "security_admin", _("security administrator")
    AUDIT_ADMIN = "audit_admin", _("audit administrator")
    COUNTY_OPERATOR = "county_operator", _("county operator")
    COUNTY_REVIEWER = "county_reviewer", _("county reviewer")
    TOWNSHIP_OPERATOR = "township_operator", _("township operator")
    TOWNSHIP_REVIEWER = "township_reviewer", _("township reviewer")
    VILLAGE_OPERATOR = "village_operator", _("village operator / work team member")
    ASSISTING_CADRE = "assisting_cadre", _("assisting cadre")
    DEPARTMENT_USER = "department_user", _("project department user")
    BANK_USER = "bank_user", _("lending bank user")
    INSPECTOR = "inspector", _("inspector")
    LEADER = "leader", _("leader (read-only)")


@dataclass(frozen=True)
class RoleSpec:
    levels: frozenset[int]
    permissions: frozenset[str]
    national: bool = False  # may be bound to no region (the whole country)
    grants: frozenset[str] = frozenset()  # roles a user of this role may give to users they create


ALL_LEVELS = frozenset(Level.values)
ABOVE_TOWNSHIP = frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY})
DESIGNATION_PERMS = frozenset({Perm.CHANGE_DESIGNATION, Perm.IMPORT_DESIGNATION})
REGISTRY_EDIT = frozenset({Perm.CHANGE_HOUSEHOLD, Perm.IMPORT_HOUSEHOLDS, Perm.EXPORT_HOUSEHOLDS, Perm.VIEW_FULL_ID})
# the county's and townships' operators keep the records
OPERATOR = REGISTRY_EDIT | {
    Perm.MANAGE_ASSISTANCE,
    Perm.MANAGE_PROJECTS,
    Perm.MANAGE_BENEFIT_LINKS,
    Perm.MANAGE_LOANS,
    Perm.REPORT_RISK,
    Perm.VERIFY_FINDINGS,
}
REGISTRY_READ = frozenset({Perm.EXPORT_HOUSEHOLDS, Perm.VIEW_FULL_ID})
# 三员分立 (GB/T 22239-2019 第三级): the system administrator manages accounts and configuration, the
# security administrator unlocks accounts, the audit administrator reads the trail; none of them
# keeps records, sees full ID numbers or holds another's duty.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.COUNTY_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
NON_ADMIN_ROLES = frozenset(Role.values) - ADMIN_ROLES

ROLE_SPECS: dict[str, RoleSpec] = {
    Role.SYSTEM_ADMIN: RoleSpec(
        levels=ALL_LEVELS,
        permissions=frozenset(
            {Perm.VIEW_USERS, Perm.MANAGE_USERS, Perm.MANAGE_CODES, Perm.MANAGE_POLICY, Perm.MANAGE_CROSSCHECK}
        ),
        national=True,
        grants=frozenset(Role.values),
    ),
    Role.COUNTY_ADMIN: RoleSpec(
        levels=frozenset({Level.COUNTY}),
        permissions=frozenset({Perm.VIEW_USERS, Perm.MANAGE_USERS}),
        grants=NON_ADMIN_ROLES,
    ),
    Role.SECURITY_ADMIN: RoleSpec(
        levels=ABOVE_TOWNSHIP, permissions=frozenset({Perm.VIEW_USERS, Perm.UNLOCK_ACCOUNTS}), national=True
    ),
    Role.AUDIT_ADMIN: RoleSpec(
        levels=ABOVE_TOWNSHIP,
        permissions=frozenset({Perm.VIEW_AUDIT, Perm.EXPORT_AUDIT, Perm.EXPORT_AUDIT_HEAD}),
        national=True,
    ),
    Role.COUNTY_OPERATOR: RoleSpec(
        levels=frozenset({Level.COUNTY}),
        permissions=OPERATOR
        | DESIGNATION_PERMS
        | {Perm.EXPORT_FULL_ID, Perm.MANAGE_ADJUSTMENT, Perm.MIGRATE_HOUSEHOLDS, Perm.LOAD_DEPARTMENT_DATA},
    ),
    Role.COUNTY_REVIEWER: RoleSpec(levels=frozenset({Level.COUNTY}), permissions=REGISTRY_READ),
    Role.TOWNSHIP_OPERATOR: RoleSpec(levels=frozenset({Level.TOWNSHIP}), permissions=OPERATOR),
    Role.TOWNSHIP_REVIEWER: RoleSpec(levels=frozenset({Level.TOWNSHIP}), permissions=REGISTRY_READ),
    Role.VILLAGE_OPERATOR: RoleSpec(
        levels=frozenset({Level.VILLAGE}),
        permissions=frozenset({Perm.CHANGE_HOUSEHOLD, Perm.VIEW_FULL_ID, Perm.REPORT_RISK, Perm.VERIFY_FINDINGS}),
    ),
    Role.ASSISTING_CADRE: RoleSpec(
        levels=frozenset({Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE}),
        permissions=frozenset({Perm.LOG_VISIT, Perm.REPORT_RISK}),
    ),
    # the departments that run projects and pay for them: not which households benefit, nor loans
    Role.DEPARTMENT_USER: RoleSpec(levels=ABOVE_TOWNSHIP, permissions=frozenset({Perm.MANAGE_PROJECTS})),
    Role.BANK_USER: RoleSpec(levels=ABOVE_TOWNSHIP, permissions=frozenset({Perm.MANAGE_LOANS})),
    Role.INSPECTOR: RoleSpec(levels=ABOVE_TOWNSHIP, permissions=frozenset({Perm.VIEW_AUDIT})),
    Role.LEADER: RoleSpec(
        levels=frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP}),
        permissions=frozenset({Perm.EXPORT_HOUSEHOLDS}),
    ),
}


# What an administrator opens: their duty's pages, and none of the records (households, procedures,
# assistance, projects, loans, imports): 三员 keep the system, not the records, and read no personal data.
ADMINISTRATION_AREAS = frozenset({"accounts", "audit", "codes", "policy", "jobs", "regions"})  # regions: the picker
ADMINISTRATION_PAGES = frozenset(
    {
        "home",
        "inbox",
        "inbox_count",
        "set_language",
        # the statutory procedures' definitions are configuration, like code lists and policy values
        "procedures:definitions",
        "procedures:step_edit",
        "procedures:step_create",
        # department data's kinds and rules are configuration too (they hold no one's data)
        "crosscheck:kinds",
        "crosscheck:kind_create",
        "crosscheck:kind_edit",
        "crosscheck:rule_create",
        "crosscheck:rule_edit",
    }
)


def may_open(role: str, view_name: str) -> bool:
    """Whether a user of `role` may open the page named `view_name` ("namespace:name") at all."""
    if role not in ADMIN_ROLES:
        return True
    return view_name in ADMINISTRATION_PAGES or view_name.partition(":")[0] in ADMINISTRATION_AREAS


def spec(role: str) -> RoleSpec:
    return ROLE_SPECS[role]

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
    COUNTY_ADMIN = "county_admin", _("county administrator")
    COUNTY_OPERATOR = "county_operator", _("county operator")
    COUNTY_REVIEWER = "county_reviewer", _("county reviewer")
    TOWNSHIP_OPERATOR = "township_operator", _("township operator")
    TOWNSHIP_REVIEWER = "township_reviewer", _("township reviewer")
    VILLAGE_OPERATOR = "village_operator", _("village operator / work team member")
    ASSISTING_CADRE = "assisting_cadre", _("assisting cadre")
    DEPARTMENT_USER = "department_user", _("line department user")
    INSPECTOR = "inspector", _("inspector")
    LEADER = "leader", _("leader (read-only)")


@dataclass(frozen=True)
class RoleSpec:
    levels: frozenset[int]
    permissions: frozenset[str]
    national: bool = False  # may be bound to no region (the whole country)
    grants: frozenset[str] = frozenset()  # roles a user of this role may give to users they create


ALL_LEVELS = frozenset(Level.values)
ADMIN_PERMS = frozenset({Perm.MANAGE_USERS, Perm.VIEW_AUDIT, Perm.EXPORT_AUDIT})
DESIGNATION_PERMS = frozenset({Perm.CHANGE_DESIGNATION, Perm.IMPORT_DESIGNATION})
REGISTRY_EDIT = frozenset({Perm.CHANGE_HOUSEHOLD, Perm.IMPORT_HOUSEHOLDS, Perm.EXPORT_HOUSEHOLDS, Perm.VIEW_FULL_ID})
# the county's and townships' operators keep the records
OPERATOR = REGISTRY_EDIT | {Perm.MANAGE_ASSISTANCE, Perm.MANAGE_PROJECTS, Perm.MANAGE_LOANS}
REGISTRY_READ = frozenset({Perm.EXPORT_HOUSEHOLDS, Perm.VIEW_FULL_ID})
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.COUNTY_ADMIN})
NON_ADMIN_ROLES = frozenset(Role.values) - ADMIN_ROLES

ROLE_SPECS: dict[str, RoleSpec] = {
    Role.SYSTEM_ADMIN: RoleSpec(
        levels=ALL_LEVELS, permissions=frozenset(Perm), national=True, grants=frozenset(Role.values)
    ),
    Role.COUNTY_ADMIN: RoleSpec(
        levels=frozenset({Level.COUNTY}),
        permissions=ADMIN_PERMS
        | DESIGNATION_PERMS
        | OPERATOR
        | {Perm.EXPORT_FULL_ID, Perm.MANAGE_ADJUSTMENT, Perm.MIGRATE_HOUSEHOLDS},
        grants=NON_ADMIN_ROLES,
    ),
    Role.COUNTY_OPERATOR: RoleSpec(levels=frozenset({Level.COUNTY}), permissions=OPERATOR),
    Role.COUNTY_REVIEWER: RoleSpec(levels=frozenset({Level.COUNTY}), permissions=REGISTRY_READ),
    Role.TOWNSHIP_OPERATOR: RoleSpec(levels=frozenset({Level.TOWNSHIP}), permissions=OPERATOR),
    Role.TOWNSHIP_REVIEWER: RoleSpec(levels=frozenset({Level.TOWNSHIP}), permissions=REGISTRY_READ),
    Role.VILLAGE_OPERATOR: RoleSpec(
        levels=frozenset({Level.VILLAGE}), permissions=frozenset({Perm.CHANGE_HOUSEHOLD, Perm.VIEW_FULL_ID})
    ),
    Role.ASSISTING_CADRE: RoleSpec(
        levels=frozenset({Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE}), permissions=frozenset({Perm.LOG_VISIT})
    ),
    Role.DEPARTMENT_USER: RoleSpec(  # the departments that run projects and pay for them, and the lending banks
        levels=frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY}),
        permissions=frozenset({Perm.MANAGE_PROJECTS, Perm.MANAGE_LOANS}),
    ),
    Role.INSPECTOR: RoleSpec(
        levels=frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY}), permissions=frozenset({Perm.VIEW_AUDIT})
    ),
    Role.LEADER: RoleSpec(
        levels=frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP}),
        permissions=frozenset({Perm.EXPORT_HOUSEHOLDS}),
    ),
}


def spec(role: str) -> RoleSpec:
    return ROLE_SPECS[role]

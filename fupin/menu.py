"""The left menu, by capability. Each later capability adds its entries here."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fupin.accounts import second_factor
from fupin.accounts.roles import ADMIN_ROLES, Role, may_open
from fupin.permissions import Perm


@dataclass(frozen=True)
class MenuItem:
    label: Promise
    url_name: str
    icon: str
    perm: str | None = None
    section: str = ""  # the URL prefix that marks the item active
    roles: frozenset[str] | None = None  # shown only to these roles (None: to whoever holds `perm`)


MENU = [
    MenuItem(_("Home"), "home", "house", section="/"),
    MenuItem(_("My to-do"), "inbox", "inbox", section="/inbox/"),
    MenuItem(_("Households"), "registry:list", "house-heart", section="/households/"),
    MenuItem(_("Procedures"), "procedures:list", "signpost-split", section="/procedures/"),
    MenuItem(
        _("My households"),
        "assistance:mine",
        "phone",
        perm=Perm.LOG_VISIT,
        section="/assistance/mine/",
        roles=frozenset({Role.ASSISTING_CADRE}),  # a cadre's own page; an administrator has no households
    ),
    MenuItem(_("Monitored households"), "monitoring:cases", "shield-exclamation", section="/monitoring/cases/"),
    MenuItem(_("Risk clues"), "monitoring:clues", "exclamation-diamond", section="/monitoring/clues/"),
    MenuItem(_("Department data"), "crosscheck:findings", "database-check", section="/crosscheck/"),
    # an administrator keeps the kinds and rules (configuration), and opens no findings
    MenuItem(
        _("Comparison rules"),
        "crosscheck:kinds",
        "database-gear",
        perm=Perm.MANAGE_CROSSCHECK,
        section="/crosscheck/",
        roles=frozenset(ADMIN_ROLES),
    ),
    MenuItem(_("Assisting cadres"), "assistance:cadres", "people-fill", section="/assistance/"),
    MenuItem(_("Village work teams"), "assistance:teams", "flag", section="/assistance/teams/"),
    MenuItem(_("Projects and funds"), "projects:dispatch", "kanban", section="/projects/"),
    MenuItem(_("Microcredit"), "microcredit:figures", "bank", section="/microcredit/"),
    MenuItem(_("Regions"), "regions:index", "diagram-3", section="/regions/"),
    MenuItem(_("Imports"), "transfer:list", "upload", section="/imports/"),
    MenuItem(_("Background jobs"), "jobs:list", "hourglass-split", section="/jobs/"),
    MenuItem(_("Users"), "accounts:user_list", "people", perm=Perm.VIEW_USERS, section="/accounts/users/"),
    MenuItem(_("Audit trail"), "audit:list", "journal-text", perm=Perm.VIEW_AUDIT, section="/audit/"),
    MenuItem(_("Code lists"), "codes:kinds", "list-ol", perm=Perm.MANAGE_CODES, section="/codes/"),
    MenuItem(_("Policy parameters"), "policy:items", "sliders", section="/policy/"),
]


def menu(request) -> dict:
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    if user.must_change_password or (second_factor.required(user) and not second_factor.passed(request)):
        return {}  # nothing can be opened before the gate (the inbox's count would be sent back to it)
    path = request.path
    shown = [
        item
        for item in MENU
        if (not item.perm or user.has_perm(item.perm))
        and (item.roles is None or user.role in item.roles)
        and may_open(user.role, item.url_name)
    ]
    # The item whose section is the longest prefix of the path is the active one.
    matching = [
        i.section for i in shown if (path == i.section == "/") or (i.section != "/" and path.startswith(i.section))
    ]
    active = max(matching, key=len, default=None)
    return {
        "menu_items": [
            {
                "label": i.label,
                "url": reverse(i.url_name),
                "url_name": i.url_name,
                "icon": i.icon,
                "active": i.section == active,
            }
            for i in shown
        ]
    }

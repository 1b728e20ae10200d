"""Every permission codename the system checks: the vocabulary below every app.

"What" a user may do is one of these; which role holds which is `fupin.accounts.roles`, and "where"
is the user's region (`fupin.access`). This module imports nothing of the project, so the access
module, the audit trail and the regions can name a permission without knowing about accounts.
"""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    """Every permission codename the system checks. A capability adds its own here."""

    VIEW_USERS = "accounts.view_user"  # the account list, for whoever manages or unlocks accounts
    MANAGE_USERS = "accounts.manage_users"  # system administration: accounts and their roles
    UNLOCK_ACCOUNTS = "accounts.unlock_user"  # security administration: locked accounts, failed logins
    VIEW_AUDIT = "audit.view_auditevent"
    EXPORT_AUDIT = "audit.export_auditevent"
    EXPORT_AUDIT_HEAD = "audit.export_chain_head"  # audit administration: the head for an external record
    CHANGE_DESIGNATION = "regions.change_designation"
    IMPORT_DESIGNATION = "regions.import_designation"
    CHANGE_HOUSEHOLD = "registry.change_household"
    IMPORT_HOUSEHOLDS = "registry.import_household"
    EXPORT_HOUSEHOLDS = "registry.export_household"
    VIEW_FULL_ID = "registry.view_full_id"  # ID numbers, bank accounts and phones unmasked, audited
    EXPORT_FULL_ID = "registry.export_full_id"
    # A migration from another system: households come with the statuses the file gives (an administrator's)
    MIGRATE_HOUSEHOLDS = "registry.migrate_household"
    MANAGE_CODES = "codes.change_code"  # national code lists: also needs the whole country as region
    MANAGE_POLICY = "policy.change_policyvalue"  # national values need the whole country; a region's, its scope
    MANAGE_ADJUSTMENT = "procedures.change_annualadjustment"  # open and close a county's yearly round
    MANAGE_ASSISTANCE = "assistance.change_pairing"  # units, cadres and pairings in one's region
    LOG_VISIT = "assistance.add_visit"  # a cadre, for their own households (operators log with MANAGE_ASSISTANCE)
    MANAGE_PROJECTS = "projects.change_project"  # projects, their funds and disbursements
    MANAGE_BENEFIT_LINKS = "projects.change_benefitlink"  # which households a project benefits: the region's staff
    REPORT_RISK = "monitoring.add_clue"  # a cadre or operator reports a household at risk (发现风险)
    MANAGE_LOANS = "microcredit.change_loan"  # loans, repayments, interest subsidies, extensions
    # Other departments' lists: load them, run the comparison, send the register's numbers out
    LOAD_DEPARTMENT_DATA = "crosscheck.add_datasetload"
    VERIFY_FINDINGS = "crosscheck.change_finding"  # a township or village verifies what the comparison found
    MANAGE_CROSSCHECK = "crosscheck.change_rule"  # dataset kinds and rules: national, or a province's own

"""The shared cast for tests.

Regions come from a small real extract of the national data (regions/tests/data): 平舆县 (411723)
with townships 杨埠镇 (A, 411723101) and 东和店镇 (B, 411723102), the sibling county 正阳县 (411724),
and 东莞 (4419 / 441900), whose county code collides with its city's when padded.
"""

from __future__ import annotations

from pathlib import Path

from django.test import TestCase

from fupin.accounts.models import User
from fupin.accounts.roles import ALL_LEVELS, ROLE_SPECS, Role, RoleSpec
from fupin.permissions import Perm
from fupin.regions.loader import load
from fupin.regions.models import Region

REGION_FIXTURES = Path(__file__).parent / "regions" / "tests" / "data"
PASSWORD = "Correct-Horse-42"  # noqa: S105 — the test cast's password

COUNTY = "411723"
TOWNSHIP_A = "411723101"
TOWNSHIP_B = "411723102"
VILLAGE_A = "411723101200"
VILLAGE_B = "411723102200"
OTHER_COUNTY = "411724"


def load_fixture_regions() -> None:
    load(REGION_FIXTURES)


# A role for tests only: every permission, at any level, so that only the region stops its users (the
# scoping tests walk every URL with it). No real role holds every permission (三员分立, roles.py).
EVERY_PERMISSION = "test_every_permission"
ROLE_SPECS[EVERY_PERMISSION] = RoleSpec(levels=ALL_LEVELS, permissions=frozenset(Perm))


def make_user(username: str, role: str, region_code: str | None, **fields) -> User:
    fields.setdefault("must_change_password", False)
    return User.objects.create_user(
        username,
        PASSWORD,
        full_name=fields.pop("full_name", username),
        role=role,
        region=Region.objects.get(code=region_code) if region_code else None,
        **fields,
    )


class BaseTestCase(TestCase):
    """national: system admin for the whole country; county_admin: 平舆县; alice and bob: operators of
    sibling townships A and B; admin_a / admin_b: bound to A and B with a test-only role holding every
    permission, so only the region stops them; charlie: county admin of the sibling county."""

    @classmethod
    def setUpTestData(cls):
        load_fixture_regions()
        cls.national = make_user("national", Role.SYSTEM_ADMIN, None)
        cls.county_admin = make_user("county_admin", Role.COUNTY_ADMIN, COUNTY)
        cls.county_operator = make_user("county_operator", Role.COUNTY_OPERATOR, COUNTY)
        cls.alice = make_user("alice", Role.TOWNSHIP_OPERATOR, TOWNSHIP_A)
        cls.bob = make_user("bob", Role.TOWNSHIP_OPERATOR, TOWNSHIP_B)
        cls.admin_a = make_user("admin_a", EVERY_PERMISSION, TOWNSHIP_A)
        cls.admin_b = make_user("admin_b", EVERY_PERMISSION, TOWNSHIP_B)
        cls.charlie = make_user("charlie", Role.COUNTY_ADMIN, OTHER_COUNTY)

    def region(self, code: str) -> Region:
        return Region.objects.get(code=code)


HOUSEHOLD_DEFAULTS = {
    "identification_standard": "1",
    "household_attribute": "01",
    "main_cause": "1",
    "poverty_status": "not_exited",
    "has_safe_drinking_water": True,
    "has_drinking_water_difficulty": False,
    "housing_grade": "A",
    "is_unsafe_housing": False,
}
MEMBER_DEFAULTS = {
    "document_type": "1",
    "ethnicity": "01",
    "education": "03",
    "school_status": "01",
    "health_status": ["01"],
    "labour_skill": "01",
    "has_medical_insurance": True,
}


def person_id(born: str, sequence: int, prefix: str = "411723") -> str:
    """A valid ID number for a birth date "YYYY-MM-DD" (sequence odd: male, even: female)."""
    import datetime as dt

    from fupin.registry.id_numbers import make

    return make(prefix, dt.date.fromisoformat(born), sequence)


def make_household(by, village: str = VILLAGE_A, members: list[dict] | None = None, **values):
    """A household through the registry's own actions; members default to a head born 1970."""
    from fupin.registry import actions

    household = actions.register_household(by=by, values={**HOUSEHOLD_DEFAULTS, "region_id": village, **values})
    for member in members or [{"name": "张三", "id_number": person_id("1970-01-01", 11)}]:
        actions.add_member(by=by, household=household, values={**MEMBER_DEFAULTS, "relation_to_head": "01", **member})
    household.refresh_from_db()
    return household


def seed_demo_county(households: int = 40) -> None:
    """The demo as `scripts/demo.sh` seeds it, over the fixture regions with fewer households; its users
    have their own passwords already (no first-login change)."""
    from io import StringIO

    from django.core.management import call_command

    load_fixture_regions()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("generate_households", county=COUNTY, households=households, user="county_operator", stdout=out)
    for command in (
        "seed_demo_procedures",
        "seed_demo_assistance",
        "seed_demo_projects",
        "seed_demo_loans",
        "seed_demo_monitoring",
        "seed_demo_crosscheck",
    ):
        call_command(command, stdout=out)
    User.objects.update(must_change_password=False)

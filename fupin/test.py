"""The shared cast for tests.

Regions come from a small real extract of the national data (regions/tests/data): 平舆县 (411723)
with townships 杨埠镇 (A, 411723101) and 东和店镇 (B, 411723102), the sibling county 正阳县 (411724),
and 东莞 (4419 / 441900), whose county code collides with its city's when padded.
"""

from __future__ import annotations

from pathlib import Path

from django.test import TestCase

from fupin.accounts.models import User
from fupin.accounts.roles import Role
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
    sibling townships A and B; admin_a / admin_b: system administrators bound to A and B (every
    permission, so only the region stops them); charlie: county admin of the sibling county."""

    @classmethod
    def setUpTestData(cls):
        load_fixture_regions()
        cls.national = make_user("national", Role.SYSTEM_ADMIN, None)
        cls.county_admin = make_user("county_admin", Role.COUNTY_ADMIN, COUNTY)
        cls.alice = make_user("alice", Role.TOWNSHIP_OPERATOR, TOWNSHIP_A)
        cls.bob = make_user("bob", Role.TOWNSHIP_OPERATOR, TOWNSHIP_B)
        cls.admin_a = make_user("admin_a", Role.SYSTEM_ADMIN, TOWNSHIP_A)
        cls.admin_b = make_user("admin_b", Role.SYSTEM_ADMIN, TOWNSHIP_B)
        cls.charlie = make_user("charlie", Role.COUNTY_ADMIN, OTHER_COUNTY)

    def region(self, code: str) -> Region:
        return Region.objects.get(code=code)

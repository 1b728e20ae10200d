"""Every table by region answers at every level, down to a village, where there is no level below."""

from __future__ import annotations

from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.test import TOWNSHIP_A, VILLAGE_A, BaseTestCase, make_household, make_user

TABLES = ("projects:dispatch", "microcredit:figures")
# What each table of village A lists: no project there; one eligible household, the village's own.
VILLAGE_ROWS = {"projects:dispatch": [], "microcredit:figures": [VILLAGE_A]}


class RegionTableTests(BaseTestCase):
    def test_a_village_user_gets_the_villages_own_row(self):
        make_household(self.alice)
        villager = make_user("villager", Role.VILLAGE_OPERATOR, VILLAGE_A)
        self.client.force_login(villager)
        for name in TABLES:
            with self.subTest(name):
                response = self.client.get(reverse(name))
                self.assertEqual(response.status_code, 200)
                self.assertEqual([line_code(line) for line in response.context["lines"]], VILLAGE_ROWS[name])
        self.assertEqual(self.client.get(reverse("projects:dispatch") + "?export=xlsx").status_code, 200)

    def test_a_township_user_drills_into_a_village(self):
        make_household(self.alice)
        self.client.force_login(self.alice)
        for name in TABLES:
            with self.subTest(name):
                response = self.client.get(reverse(name) + f"?region={VILLAGE_A}")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["up"], TOWNSHIP_A)


def line_code(line) -> str:
    return line["row"].code if isinstance(line, dict) else line.row.code

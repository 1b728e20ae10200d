"""The household page shows the panels other capabilities register, in their order, for the day read."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.test import override_settings

from fupin.registry import panels
from fupin.test import BaseTestCase, make_household

SEEN: list[dt.date] = []
# The project's templates, plus one in memory for the probe panel.
PROBE_TEMPLATES = [
    {
        **settings.TEMPLATES[0],
        "APP_DIRS": False,
        "OPTIONS": {
            **settings.TEMPLATES[0]["OPTIONS"],
            "loaders": [
                ("django.template.loaders.locmem.Loader", {"probe.html": '<div id="probe">{{ probe }}</div>'}),
                "django.template.loaders.app_directories.Loader",
            ],
        },
    }
]


def _probe_context(household, day):
    SEEN.append(day)
    return {"probe": f"{household.household_no} 探针"}


class PanelTests(BaseTestCase):
    def test_every_capability_registers_its_panel_in_order(self):
        names = [panel.name for panel in panels.registered()]
        self.assertEqual(names, ["monitoring", "crosscheck", "pairing", "plan", "procedure-cases", "projects", "loans"])

    def test_the_page_renders_each_registered_panel(self):
        household = make_household(self.alice)
        self.client.force_login(self.alice)
        page = self.client.get(household.get_absolute_url()).content.decode()
        cards = ('id="monitoring"', 'id="pairing"', 'id="plan"', 'id="procedure-cases"', 'id="projects"', 'id="loans"')
        for card in cards:
            self.assertIn(card, page)
        self.assertLess(page.index('id="pairing"'), page.index('id="loans"'))

    @override_settings(TEMPLATES=PROBE_TEMPLATES)
    def test_a_new_capability_adds_a_panel_without_touching_the_register(self):
        with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)):  # on record before the day read
            household = make_household(self.alice)
        panels.register(name="probe", order=50, template="probe.html", context=_probe_context)
        self.addCleanup(panels._PANELS.pop, "probe")
        self.client.force_login(self.alice)
        SEEN.clear()
        page = self.client.get(household.get_absolute_url()).content.decode()
        self.assertIn(f'<div id="probe">{household.household_no} 探针</div>', page)
        self.assertLess(page.index('id="probe"'), page.index('id="pairing"'))
        self.client.get(household.get_absolute_url() + "?as_of=2025-12-31")
        self.assertEqual(SEEN[-1], dt.date(2025, 12, 31))  # the panel is asked for the day the page is read as of

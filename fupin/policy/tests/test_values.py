"""Which value applies to a year and a place, and the national defaults."""

from __future__ import annotations

from decimal import Decimal

from django.test import TestCase

from fupin.policy.items import ITEMS, Name
from fupin.policy.models import PolicyValue
from fupin.policy.values import PolicyMissing, incidence_threshold, install_defaults, poverty_line, resolve

YUNNAN_VILLAGE = "530102001001"
HENAN_VILLAGE = "411723101200"


class ResolveTestCase(TestCase):
    def test_the_national_lines_ship_with_the_unverified_years_marked(self):
        line = poverty_line(2013, HENAN_VILLAGE)
        self.assertEqual((line.value, line.year, line.region_code, line.is_verified), (Decimal("2736"), 2013, "", True))
        self.assertFalse(poverty_line(2018).is_verified)
        self.assertEqual(install_defaults(), 0)  # already there: nothing added twice

    def test_a_year_without_its_own_line_is_an_error_not_last_years_line(self):
        with self.assertRaises(PolicyMissing) as raised:
            poverty_line(2021, HENAN_VILLAGE)
        self.assertIn("2021", raised.exception.messages[0])
        self.assertEqual(poverty_line(2021, HENAN_VILLAGE, latest=True).year, 2020)

    def test_a_provincial_standard_reads_the_provinces_own_line(self):
        with self.assertRaises(PolicyMissing):
            poverty_line(2016, HENAN_VILLAGE, standard="2")
        PolicyValue.objects.create(name=Name.PROVINCIAL_POVERTY_LINE, region_code="41", year=2016, value=3026)
        self.assertEqual(poverty_line(2016, HENAN_VILLAGE, standard="2").value, 3026)
        with self.assertRaises(PolicyMissing):
            poverty_line(2016, YUNNAN_VILLAGE, standard="2")  # Henan's line is not Yunnan's

    def test_thresholds_carry_forward_and_the_nearest_region_wins(self):
        self.assertEqual(resolve(Name.INCIDENCE_MAX, 2019, HENAN_VILLAGE).value, 2)
        PolicyValue.objects.create(name=Name.INCIDENCE_MAX, region_code="41", year=2018, value=Decimal("1.5"))
        PolicyValue.objects.create(name=Name.INCIDENCE_MAX, region_code="", year=2019, value=Decimal("1"))
        self.assertEqual(resolve(Name.INCIDENCE_MAX, 2017, HENAN_VILLAGE).value, 2)  # before Henan's own
        applied = resolve(Name.INCIDENCE_MAX, 2020, HENAN_VILLAGE)
        self.assertEqual((applied.value, applied.year, applied.region_code), (Decimal("1.5"), 2018, "41"))
        self.assertEqual(resolve(Name.INCIDENCE_MAX, 2020, YUNNAN_VILLAGE).value, 1)
        with self.assertRaises(PolicyMissing):
            resolve(Name.INCIDENCE_MAX, 2015, HENAN_VILLAGE)  # before the exit mechanism

    def test_the_western_region_takes_the_western_threshold(self):
        threshold, western = incidence_threshold(2019, YUNNAN_VILLAGE)
        self.assertEqual((threshold.value, western.flag), (3, True))
        threshold, western = incidence_threshold(2019, HENAN_VILLAGE)
        self.assertEqual((threshold.value, western.flag), (2, False))
        # a prefecture treated as western inside a non-western province (e.g. 湘西 4331)
        PolicyValue.objects.create(name=Name.WESTERN_REGION, region_code="4331", year=2000, value=1)
        self.assertEqual(incidence_threshold(2019, "433101001001")[0].value, 3)
        self.assertEqual(incidence_threshold(2019, "430102001001")[0].value, 2)

    def test_a_decision_keeps_a_record_of_the_value_it_used(self):
        self.assertEqual(
            poverty_line(2013).record(),
            {"name": "poverty_line", "value": "2736.00", "year": 2013, "region_code": "", "verified": True},
        )

    def test_every_item_has_a_label_and_only_defaults_for_itself(self):
        for item in ITEMS.values():
            with self.subTest(item.name):
                self.assertTrue(str(item.label))
                self.assertEqual(len({(d.region_code, d.year) for d in item.defaults}), len(item.defaults))

"""The yearly monitoring line (防止返贫监测线): per province, city or county and year, an amount or a
multiple of the local rural 低保 standard; from 2021 incomes are measured against it."""

from __future__ import annotations

from decimal import Decimal

from django.test import TestCase
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from fupin.policy.items import Name
from fupin.policy.models import PolicyValue
from fupin.policy.values import PolicyMissing, income_line, monitoring_line

GANSU_VILLAGE = "620102001001"
DEHUA_VILLAGE = "350526101001"  # 福建省泉州市德化县


def line(name: str, region: str, year: int, value: str, document: str = "") -> PolicyValue:
    return PolicyValue.objects.create(name=name, region_code=region, year=year, value=Decimal(value), document=document)


class MonitoringLineTestCase(TestCase):
    def test_the_2021_baseline_ships_and_later_years_need_their_own(self):
        self.assertEqual(monitoring_line(2021, GANSU_VILLAGE).value, 6000)
        with self.assertRaises(PolicyMissing) as raised:
            monitoring_line(2025, GANSU_VILLAGE)
        self.assertIn("2025年的防止返贫监测线尚未设定", raised.exception.messages[0])
        self.assertIn("省", raised.exception.messages[0])  # who sets it
        self.assertEqual(monitoring_line(2025, GANSU_VILLAGE, latest=True).year, 2021)

    def test_a_provinces_amount_with_its_document_number(self):
        line(Name.MONITORING_LINE, "62", 2025, "8600", "甘农领办发〔2025〕4号")
        applied = monitoring_line(2025, GANSU_VILLAGE)
        self.assertEqual((applied.value, applied.region_code), (Decimal("8600"), "62"))
        self.assertEqual(applied.describe(), "2025年 防止返贫监测线 8,600 元（甘农领办发〔2025〕4号）")

    def test_a_county_sets_a_multiple_of_its_dibao_standard_and_nothing_is_rounded(self):
        line(Name.MONITORING_LINE, "35", 2024, "9000")
        line(Name.MONITORING_LINE_DIBAO_MULTIPLE, "350526", 2024, "2", "德化县2024年监测范围")
        line(Name.DIBAO_STANDARD, "350526", 2024, "9780")
        applied = monitoring_line(2024, DEHUA_VILLAGE)  # the county is nearer than the province
        self.assertEqual(applied.value, Decimal("19560"))
        self.assertIn("2 × 农村低保标准 9,780", applied.describe())
        self.assertEqual(
            [b["name"] for b in applied.record()["basis"]], ["monitoring_line_dibao_multiple", "dibao_standard"]
        )
        PolicyValue.objects.filter(name=Name.DIBAO_STANDARD).update(value=Decimal("6503.33"))
        self.assertEqual(monitoring_line(2024, DEHUA_VILLAGE).value, Decimal("13006.66"))

    def test_a_multiple_without_the_years_dibao_standard_says_so(self):
        line(Name.MONITORING_LINE_DIBAO_MULTIPLE, "350526", 2024, "2")
        with self.assertRaises(PolicyMissing) as raised:
            monitoring_line(2024, DEHUA_VILLAGE)
        self.assertIn("农村低保标准", raised.exception.messages[0])

    def test_incomes_are_measured_against_the_poverty_line_until_2020_and_the_monitoring_line_after(self):
        line(Name.MONITORING_LINE, "62", 2025, "8600")
        self.assertEqual(income_line(2020, GANSU_VILLAGE).name, Name.POVERTY_LINE)
        self.assertEqual(income_line(2021, GANSU_VILLAGE).name, Name.MONITORING_LINE)
        self.assertEqual(income_line(2025, GANSU_VILLAGE).value, 8600)
        with self.assertRaises(PolicyMissing):
            income_line(2026, GANSU_VILLAGE)
        self.assertEqual(income_line(2026, GANSU_VILLAGE, latest=True).value, 8600)  # plausibility only


class MultipleTestCase(HypothesisTestCase):
    @given(
        multiple=st.decimals(min_value=1, max_value=3, places=2),
        dibao=st.decimals(min_value=1000, max_value=20000, places=2),
    )
    def test_the_line_is_exactly_the_multiple_of_the_standard(self, multiple, dibao):
        PolicyValue.objects.filter(year=2024, region_code="350526").delete()
        line(Name.MONITORING_LINE_DIBAO_MULTIPLE, "350526", 2024, str(multiple))
        line(Name.DIBAO_STANDARD, "350526", 2024, str(dibao))
        self.assertEqual(monitoring_line(2024, DEHUA_VILLAGE).value, multiple * dibao)

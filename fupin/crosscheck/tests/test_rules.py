"""The default comparison rules at their edges (strict, exact), the rule check's Chinese refusals, the
explanations filled with a row's values, and the page that lists them."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from fupin.crosscheck import rules
from fupin.crosscheck.defaults import install_defaults
from fupin.crosscheck.models import DatasetKind, Rule
from fupin.test import BaseTestCase


def hits(code: str, **row) -> bool:
    rule = Rule.objects.get(code=code)
    return rules.holds(rule.condition, row, rules.thresholds(2026, "411723"))


class DefaultRulesTestCase(TestCase):
    def test_each_default_rule_at_its_edge(self):
        self.assertTrue(hits("vehicle", vehicle_type="小型轿车"))
        self.assertFalse(hits("vehicle", vehicle_type="摩托车"))
        self.assertFalse(hits("vehicle", vehicle_type=""))  # no finding on missing data
        self.assertTrue(hits("town_property", use="住宅", area="0.01"))
        self.assertFalse(hits("town_property", use="住宅", area="0"))  # above, not equal
        self.assertFalse(hits("town_property", use="工业", area="300"))
        self.assertFalse(hits("business", role="股东", capital="10", status="存续"))  # equal is not above
        self.assertTrue(hits("business", role="股东", capital="10.01", status="存续"))
        self.assertFalse(hits("business", role="股东", capital="500", status="注销"))
        self.assertFalse(hits("medical_costs", self_paid="20000"))
        self.assertTrue(hits("medical_costs", self_paid="20,000.01"))
        self.assertFalse(hits("medical_costs", self_paid="不详"))  # not a number: no finding
        self.assertTrue(hits("payroll", unit="县教育局"))
        self.assertTrue(hits("death", change_type="死亡", change_date="2026-03-01"))
        self.assertFalse(hits("death", change_type="迁出"))
        self.assertTrue(hits("dropout", school_status="辍学"))
        self.assertTrue(hits("unsafe_house", grade="D级"))

    def test_a_threshold_is_policy_data(self):
        from fupin.policy.models import PolicyValue

        PolicyValue.objects.create(
            name="crosscheck_medical_self_paid", region_code="41", year=2026, value=Decimal("30000")
        )
        self.assertFalse(hits("medical_costs", self_paid="25000"))

    def test_every_default_rule_passes_its_own_check_and_defaults_install_once(self):
        for rule in Rule.objects.select_related("kind"):
            rules.check(rule.condition, rule.kind.keys, rule.explanation)
        self.assertEqual(install_defaults(), 0)
        self.assertEqual(DatasetKind.objects.count(), 11)


class RuleCheckTestCase(TestCase):
    def test_faults_are_refused_by_name(self):
        columns = ["id_number", "name", "area"]
        with self.assertRaisesMessage(ValidationError, "没有“floor”列"):
            rules.check({"all": [{"column": "floor", "op": "gt", "value": 3}]}, columns, "")
        with self.assertRaisesMessage(ValidationError, "未知的比较方式"):
            rules.check({"all": [{"column": "area", "op": "bigger", "value": 3}]}, columns, "")
        with self.assertRaisesMessage(ValidationError, "比较的值"):
            rules.check({"all": [{"column": "area", "op": "gt"}]}, columns, "")
        with self.assertRaisesMessage(ValidationError, "未知的政策参数"):
            rules.check({"all": [{"column": "area", "op": "gt", "policy": "nothing"}]}, columns, "")
        with self.assertRaisesMessage(ValidationError, "use"):
            rules.check({"all": [{"column": "area", "op": "present"}]}, columns, "{name} 的{use}")
        with self.assertRaisesMessage(ValidationError, "括号"):
            rules.check({"all": [{"column": "area", "op": "present"}]}, columns, "{name 的面积")
        with self.assertRaises(ValidationError):
            rules.check({"any": []}, columns, "")

    def test_an_explanation_is_filled_with_the_rows_values(self):
        text = rules.explain("{name} 名下有{vehicle_type}（{plate}）", {"name": "张三", "vehicle_type": "小型轿车"})
        self.assertEqual(text, "张三 名下有小型轿车（—）")


class KindPageTestCase(BaseTestCase):
    def test_a_county_reads_the_kinds_and_rules_in_words(self):
        self.client.force_login(self.county_operator)
        page = self.client.get(reverse("crosscheck:kinds"))
        self.assertContains(page, "机动车登记")
        self.assertContains(page, "车辆类型 不为以下任何一项：农用车")
        self.assertContains(page, "个人自付费用 高于：")

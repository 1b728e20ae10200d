"""Kinds and rules without code: the national administrator keeps the national ones, a province's
administrator adds its own, each refused with a Chinese message when a column, operator or placeholder
is wrong, and a province's kind is a sheet of the pipeline at once."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.crosscheck import editing
from fupin.crosscheck.models import DatasetKind, Rule
from fupin.test import PASSWORD, BaseTestCase, make_user
from fupin.transfer.spec import get_spec

COLUMNS = "id_number,身份证号码,必填\nname,姓名,必填\nsubsidy,补贴类别,必填\namount,补贴金额"


class EditingTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.province_admin = make_user("henan_admin", Role.SYSTEM_ADMIN, "41")

    def create_kind(self, username: str, **data):
        self.client.login(username=username, password=PASSWORD)
        values = {
            "code": "farm_subsidy",
            "department": "农业农村",
            "name": "耕地地力补贴",
            "row_meaning": "一户一年的补贴",
            "match_left_days": "0",
            "position": "20",
            "is_active": "on",
            "columns_text": COLUMNS,
        }
        return self.client.post(reverse("crosscheck:kind_create"), values | data, follow=True)

    def test_a_province_adds_its_own_kind_and_rule_and_loads_its_list(self):
        page = self.create_kind("henan_admin")
        self.assertContains(page, "数据类型已保存")
        kind = DatasetKind.objects.get(code="farm_subsidy")
        self.assertEqual(kind.region_code, "41")
        self.assertEqual([c["key"] for c in kind.columns], ["id_number", "name", "subsidy", "amount"])
        self.assertFalse(kind.columns[3]["required"])
        self.assertIsNotNone(get_spec("dept-farm_subsidy"))  # a sheet of the pipeline, no code written
        data = {
            "code": "big_subsidy",
            "name": "补贴金额较大",
            "yields": "warning",
            "risk_type": "07",
            "severity": "low",
            "explanation": "{name} 领取{subsidy} {amount} 元。",
            "source": "省定",
            "is_active": "on",
            "column_0": "amount",
            "op_0": "gt",
            "value_0": "5000",
            "column_1": "subsidy",
            "op_1": "in",
            "value_1": "耕地地力、种粮",
        }
        page = self.client.post(reverse("crosscheck:rule_create", args=["farm_subsidy"]), data, follow=True)
        self.assertContains(page, "规则已保存")
        rule = Rule.objects.get(code="big_subsidy")
        self.assertEqual(rule.region_code, "41")
        self.assertEqual(
            rule.condition,
            {
                "all": [
                    {"column": "amount", "op": "gt", "value": "5000"},
                    {"column": "subsidy", "op": "in", "value": ["耕地地力", "种粮"]},
                ]
            },
        )
        self.assertTrue(AuditEvent.objects.filter(target_type__endswith="rule", target_id=str(rule.pk)).exists())

    def test_a_province_cannot_change_a_national_kind_or_rule(self):
        self.client.login(username="henan_admin", password=PASSWORD)
        self.assertEqual(self.client.get(reverse("crosscheck:kind_edit", args=["vehicles"])).status_code, 403)
        self.assertEqual(self.client.get(reverse("crosscheck:rule_edit", args=["vehicle"])).status_code, 403)
        self.client.login(username="national", password=PASSWORD)
        self.assertEqual(self.client.get(reverse("crosscheck:rule_edit", args=["vehicle"])).status_code, 200)
        self.client.login(username="alice", password=PASSWORD)  # an operator keeps records, not rules
        self.assertEqual(self.client.get(reverse("crosscheck:kind_create")).status_code, 403)

    def test_bad_columns_are_refused_with_the_line(self):
        page = self.create_kind("national", columns_text="name,姓名\nid_number,身份证号\nBad Key,表头\narea,")
        self.assertContains(page, "第一、二列")
        self.assertContains(page, "第3行")
        self.assertContains(page, "第4行")
        self.assertFalse(DatasetKind.objects.filter(code="farm_subsidy").exists())

    def test_a_rule_with_an_unknown_column_or_placeholder_is_refused(self):
        kind = DatasetKind.objects.get(code="vehicles")
        rule = Rule(
            code="odd",
            kind=kind,
            name="x",
            condition={"all": [{"column": "colour", "op": "eq", "value": "红"}]},
            yields="warning",
            risk_type="07",
            explanation="{name} 的 {colour}",
        )
        with self.assertRaises(ValidationError) as caught:
            editing.save_rule(by=self.national, rule=rule)
        text = "；".join(caught.exception.messages)
        self.assertIn("colour", text)
        self.assertFalse(Rule.objects.filter(code="odd").exists())

    def test_a_kind_keeps_the_columns_its_rules_read(self):
        kind = DatasetKind.objects.get(code="vehicles")
        kind.columns = editing.parse_columns("id_number,身份证号,必填\nname,姓名,必填")
        with self.assertRaisesMessage(ValidationError, "vehicle_type"):
            editing.save_kind(by=self.national, kind=kind)

    def test_an_administrator_sees_the_kinds_but_no_records(self):
        self.client.login(username="national", password=PASSWORD)
        page = self.client.get(reverse("crosscheck:kinds"))
        self.assertContains(page, "新建数据类型")
        self.assertNotContains(page, reverse("crosscheck:findings"))
        self.assertEqual(self.client.get(reverse("crosscheck:findings")).status_code, 403)

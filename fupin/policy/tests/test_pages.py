"""The policy pages: everyone reads, administrators set values within their reach, all audited."""

from __future__ import annotations

from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent, EventType
from fupin.policy.items import Name
from fupin.policy.models import PolicyValue
from fupin.policy.values import resolve
from fupin.test import BaseTestCase, make_user


class PolicyPagesTestCase(BaseTestCase):
    def create(self, user, name: str, **data):
        self.client.force_login(user)
        return self.client.post(reverse("policy:create", args=[name]), {"is_verified": "on", **data})

    def test_anyone_signed_in_reads_the_values_that_bear_on_their_region(self):
        PolicyValue.objects.create(name=Name.WESTERN_REGION, region_code="4331", year=2000, value=1)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("policy:items")), "扶贫标准")
        page = self.client.get(reverse("policy:values", args=[Name.WESTERN_REGION]))
        codes = {row.region_code for row in page.context["page"]}
        self.assertEqual(codes, {""})  # Henan sets none; Yunnan's and 湘西's are not Henan's concern
        self.assertNotContains(page, "新增")
        self.assertEqual(self.client.get(reverse("policy:values", args=["nonsense"])).status_code, 404)

    def test_a_national_administrator_sets_a_year_and_it_is_audited(self):
        response = self.create(self.national, Name.POVERTY_LINE, region_code="", year=2021, value="4200", source="测试")
        self.assertRedirects(response, reverse("policy:values", args=[Name.POVERTY_LINE]))
        self.assertEqual(resolve(Name.POVERTY_LINE, 2021).value, 4200)
        event = AuditEvent.objects.get(event_type=EventType.CREATE, target_type="policy.policyvalue")
        self.assertEqual(event.changes["value"], "4200.00")
        row = PolicyValue.objects.get(name=Name.POVERTY_LINE, year=2021)
        self.client.post(
            reverse("policy:edit", args=[Name.POVERTY_LINE, row.pk]),
            {"region_code": "41", "year": "1999", "value": "4300", "is_verified": "on", "source": "更正"},
        )
        row.refresh_from_db()
        self.assertEqual((row.value, row.region_code, row.year), (4300, "", 2021))  # region and year stay
        update = AuditEvent.objects.get(event_type=EventType.UPDATE, target_type="policy.policyvalue")
        self.assertEqual(update.changes["value"], ["4200.00", "4300.00"])

    def test_bad_values_are_refused_with_the_reason(self):
        cases = [
            (Name.INCIDENCE_MAX, {"region_code": "", "year": "2022", "value": "120"}, "百分比"),
            (Name.WESTERN_REGION, {"region_code": "", "year": "2022", "value": "2"}, "1 表示是"),
            (Name.POVERTY_LINE, {"region_code": "", "year": "2013", "value": "2800"}, "已设定"),
            (Name.POVERTY_LINE, {"region_code": "", "year": "2022", "value": "-1"}, "正数"),
            (Name.POVERTY_LINE, {"region_code": "41", "year": "2022", "value": "3000"}, "不能按这一级"),
            (Name.PROVINCIAL_POVERTY_LINE, {"region_code": "99", "year": "2022", "value": "3000"}, "没有代码为"),
            (Name.PROVINCIAL_POVERTY_LINE, {"region_code": "", "year": "1990", "value": "3000"}, "2000"),
        ]
        before = PolicyValue.objects.count()
        for name, data, message in cases:
            with self.subTest(name=name, data=data):
                response = self.create(self.national, name, **data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertEqual(PolicyValue.objects.count(), before)

    def test_a_province_sets_its_own_values_but_not_the_nations_or_anothers(self):
        henan = make_user("henan_admin", Role.SYSTEM_ADMIN, "41")
        response = self.create(henan, Name.PROVINCIAL_POVERTY_LINE, region_code="41", year="2016", value="3026")
        self.assertEqual(response.status_code, 302)
        response = self.create(henan, Name.POVERTY_LINE, region_code="", year="2022", value="4200")
        self.assertContains(response, "全国管理员")
        response = self.create(henan, Name.PROVINCIAL_POVERTY_LINE, region_code="44", year="2016", value="3026")
        self.assertContains(response, "不在您的管辖范围")
        national_row = PolicyValue.objects.get(name=Name.POVERTY_LINE, year=2013)
        self.client.force_login(henan)
        url = reverse("policy:edit", args=[Name.POVERTY_LINE, national_row.pk])
        self.assertEqual(self.client.post(url, {"value": "1"}).status_code, 403)
        national_row.refresh_from_db()
        self.assertEqual(national_row.value, 2736)

    def test_users_without_the_permission_are_refused(self):
        self.client.force_login(self.county_operator)
        self.assertEqual(self.client.get(reverse("policy:create", args=[Name.POVERTY_LINE])).status_code, 403)

from django.urls import reverse

from fupin.audit.models import AuditEvent, EventType
from fupin.regions.models import Region
from fupin.test import COUNTY, TOWNSHIP_A, VILLAGE_A, BaseTestCase


class RegionPageTestCase(BaseTestCase):
    def test_it_shows_breadcrumbs_children_and_counts(self):
        self.client.force_login(self.county_operator)
        response = self.client.get(reverse("regions:detail", args=[TOWNSHIP_A]))
        self.assertContains(response, '<a href="/regions/411723/">平舆县</a>', html=True)
        self.assertContains(response, "河北村民委员会")
        self.assertEqual(response.context["level_counts"], [("村", 3)])

    def test_ancestors_outside_the_scope_are_not_links(self):
        self.client.force_login(self.alice)
        response = self.client.get(reverse("regions:detail", args=[VILLAGE_A]))
        self.assertNotContains(response, 'href="/regions/411723/"')
        self.assertContains(response, '<a href="/regions/411723101/">杨埠镇</a>', html=True)

    def test_children_are_searchable_as_an_htmx_fragment(self):
        self.client.force_login(self.county_operator)
        response = self.client.get(
            reverse("regions:detail", args=[TOWNSHIP_A]),
            {"q": "金庄"},
            headers={"HX-Request": "true", "HX-Target": "children"},
        )
        self.assertNotContains(response, "<html")
        self.assertContains(response, "金庄村民委员会")
        self.assertNotContains(response, "河北村民委员会")

    def test_a_region_outside_the_scope_is_404_like_a_missing_one(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("regions:detail", args=["411723102"])).status_code, 404)
        self.assertEqual(self.client.get(reverse("regions:detail", args=["999999"])).status_code, 404)

    def test_a_national_user_starts_from_the_provinces(self):
        self.client.force_login(self.national)
        self.assertContains(self.client.get(reverse("regions:index")), "广东省")


class DesignationTestCase(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.county_operator)

    def post(self, code, **data):
        return self.client.post(reverse("regions:designation", args=[code]), data)

    def test_it_designates_a_village_and_records_before_and_after(self):
        self.post(VILLAGE_A, designated="on", designated_year="2014", exit_year="2018")
        self.assertContains(self.client.get(reverse("regions:detail", args=[COUNTY])), "贫困村 1")
        village = Region.objects.get(code=VILLAGE_A)
        self.assertEqual((village.is_poor_village, village.designated_year, village.exit_year), (True, 2014, 2018))
        event = AuditEvent.objects.get(event_type=EventType.UPDATE, target_id=VILLAGE_A)
        self.assertEqual(event.changes["exit_year"], [None, 2018])
        self.assertEqual(event.region_code, VILLAGE_A)

    def test_rules_are_explained_in_chinese(self):
        self.assertContains(self.post(COUNTY, designated="on"), "请填写认定年份。")
        self.assertContains(
            self.post(COUNTY, designated="on", designated_year="2014", exit_year="2012"), "退出年份不能早于认定年份。"
        )
        self.assertContains(self.post(COUNTY, exit_year="2012"), "只有已认定为贫困的区划才能填写退出年份。")
        self.assertContains(self.post(COUNTY, designated="on", designated_year="1950"), "年份应在 1986 至")
        self.assertFalse(Region.objects.get(code=COUNTY).is_poor_county)

    def test_only_counties_and_villages_have_a_designation_page(self):
        self.assertEqual(self.client.get(reverse("regions:designation", args=[TOWNSHIP_A])).status_code, 404)

    def test_operators_cannot_designate(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.post(VILLAGE_A, designated="on", designated_year="2014").status_code, 403)

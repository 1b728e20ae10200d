import datetime as dt
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.roles import Role
from fupin.assistance import actions
from fupin.assistance.models import AssistingUnit, Cadre, Pairing
from fupin.policy.models import PolicyValue
from fupin.registry.models import Member
from fupin.test import COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, BaseTestCase, make_household, make_user, person_id
from fupin.transfer import pipeline
from fupin.transfer.spec import get_spec

DAY = dt.date(2024, 3, 1)


class AssistanceTestCase(BaseTestCase):
    """A county unit with two cadres, and a household of township A."""

    def setUp(self):
        self.unit = actions.save_unit(
            by=self.county_operator, unit=None, values={"name": "平舆县财政局", "level": "county", "region_id": COUNTY}
        )
        self.zhang = self.cadre("张明", "13839600001")
        self.li = self.cadre("李华", "13839600002")
        self.household = make_household(self.alice)

    def cadre(self, name: str, phone: str, unit=None) -> Cadre:
        values = {"unit_id": (unit or self.unit).pk, "name": name, "phone": phone, "post": "科员"}
        return actions.save_cadre(by=self.county_operator, cadre=None, values=values)


class PairingTestCase(AssistanceTestCase):
    def test_changing_the_cadre_closes_the_old_pairing_and_keeps_it(self):
        first, _w = actions.pair(by=self.alice, household=self.household, cadre=self.zhang, start_on=DAY)
        second, _w = actions.pair(
            by=self.alice,
            household=self.household,
            cadre=self.li,
            start_on=DAY + dt.timedelta(days=90),
            reason="张明调离",
        )
        first.refresh_from_db()
        self.assertEqual((first.end_on, first.end_reason), (second.start_on, "张明调离"))
        self.assertEqual(list(self.household.pairings.filter(end_on__isnull=True)), [second])
        self.assertEqual(self.household.pairings.count(), 2)

    def test_a_second_current_cadre_is_refused_by_the_database_too(self):
        actions.pair(by=self.alice, household=self.household, cadre=self.zhang, start_on=DAY)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Pairing.objects.create(household=self.household, cadre=self.li, start_on=DAY, created_by=self.alice)

    def test_bad_dates_are_refused(self):
        actions.pair(by=self.alice, household=self.household, cadre=self.zhang, start_on=DAY)
        with self.assertRaisesMessage(ValidationError, "不能早于"):
            actions.pair(by=self.alice, household=self.household, cadre=self.li, start_on=DAY - dt.timedelta(days=1))
        with self.assertRaisesMessage(ValidationError, "晚于今天"):
            actions.pair(
                by=self.alice, household=self.household, cadre=self.li, start_on=timezone.localdate() + dt.timedelta(1)
            )
        pairing = self.household.pairings.get()
        with self.assertRaisesMessage(ValidationError, "早于"):
            actions.end_pairing(by=self.alice, pairing=pairing, end_on=DAY - dt.timedelta(days=1), reason="调离")
        with self.assertRaisesMessage(ValidationError, "理由"):
            actions.end_pairing(by=self.alice, pairing=pairing, end_on=DAY, reason=" ")
        with self.assertRaisesMessage(ValidationError, "已经是"):
            actions.pair(by=self.alice, household=self.household, cadre=self.zhang, start_on=DAY)

    def test_a_cadre_helps_only_under_the_region_their_unit_serves(self):
        township_b_unit = actions.save_unit(
            by=self.county_operator,
            unit=None,
            values={"name": "东和店镇政府", "level": "township", "region_id": TOWNSHIP_B},
        )
        outsider = self.cadre("王强", "13839600003", unit=township_b_unit)
        with self.assertRaisesMessage(ValidationError, "之外"):
            actions.pair(by=self.alice, household=self.household, cadre=outsider, start_on=DAY)
        self.assertFalse(Pairing.objects.exists())

    def test_a_cadre_over_the_policys_load_warns(self):
        PolicyValue.objects.create(name="cadre_max_households", region_code=COUNTY, year=2014, value=1)
        other = make_household(
            self.alice, household_no="H2", members=[{"name": "乙", "id_number": person_id("1980-01-01", 13)}]
        )
        _p, warnings = actions.pair(by=self.alice, household=self.household, cadre=self.zhang, start_on=DAY)
        self.assertEqual(warnings, [])
        _p, warnings = actions.pair(by=self.alice, household=other, cadre=self.zhang, start_on=DAY)
        self.assertIn("2", warnings[0])
        self.assertEqual(actions.current_load(self.zhang), 2)

    def test_only_operators_of_the_households_region_pair(self):
        reviewer = make_user("reviewer", Role.COUNTY_REVIEWER, COUNTY)
        for user in (reviewer, self.bob):
            with self.subTest(user.username), self.assertRaises(PermissionDenied):
                actions.pair(by=user, household=self.household, cadre=self.zhang, start_on=DAY)

    def test_bad_phone_and_duplicate_unit_are_explained(self):
        with self.assertRaisesMessage(ValidationError, "11位"):
            self.cadre("赵六", "12345")
        with self.assertRaisesMessage(ValidationError, "已有同名"):
            actions.save_unit(
                by=self.county_operator,
                unit=None,
                values={"name": "平舆县财政局", "level": "county", "region_id": COUNTY},
            )


class PagesTestCase(AssistanceTestCase):
    def test_a_township_operator_pairs_a_household_from_its_page(self):
        self.client.force_login(self.alice)
        url = reverse("assistance:household", args=[self.household.pk])
        page = self.client.get(url)
        self.assertContains(page, "张明")  # a county unit's cadre is offered to the township
        response = self.client.post(url, {"cadre": self.zhang.pk, "start_on": DAY.isoformat()})
        self.assertRedirects(response, url)
        household_page = self.client.get(self.household.get_absolute_url())
        self.assertContains(household_page, "13839600001")
        unpaired = self.client.get(reverse("assistance:unpaired"))
        self.assertNotContains(unpaired, self.household.household_no)

    def test_the_household_page_shows_the_cadre_of_the_day_it_is_read_as_of(self):
        actions.pair(by=self.alice, household=self.household, cadre=self.zhang, start_on=DAY)
        actions.pair(by=self.alice, household=self.household, cadre=self.li, start_on=DAY + dt.timedelta(days=30))
        registered = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # as if registered long before
        self.household.history.update(history_date=registered)
        Member.history.filter(household_id=self.household.pk).update(history_date=registered)
        self.client.force_login(self.alice)
        url = self.household.get_absolute_url()
        self.assertContains(self.client.get(url), "13839600002")
        before = self.client.get(url, {"as_of": (DAY + dt.timedelta(days=29)).isoformat()})
        self.assertContains(before, "13839600001")
        self.assertNotContains(before, "13839600002")
        self.assertContains(self.client.get(url, {"as_of": (DAY - dt.timedelta(days=1)).isoformat()}), "尚未结对")

    def test_households_without_a_cadre_are_listed(self):
        applicant = make_household(
            self.alice,
            household_no="A9",
            poverty_status="applicant",
            members=[{"name": "丙", "id_number": person_id("1981-01-01", 15)}],
        )
        self.client.force_login(self.alice)
        page = self.client.get(reverse("assistance:unpaired"))
        listed = {household.household_no for household in page.context["page"]}
        self.assertIn(self.household.household_no, listed)
        self.assertNotIn(applicant.household_no, listed)  # not in the text either, but a CSRF token may hold "A9"

    def test_ticked_households_get_one_cadre_all_or_none_and_the_list_filters_and_exports(self):
        from openpyxl import load_workbook

        second = make_household(
            self.alice, household_no="A8", members=[{"name": "丁", "id_number": person_id("1982-01-01", 17)}]
        )
        other_village = make_household(
            self.alice,
            village=VILLAGE_A[:9] + "201",
            household_no="A7",
            members=[{"name": "戊", "id_number": person_id("1983-01-01", 19)}],
        )
        self.client.force_login(self.alice)
        url = reverse("assistance:unpaired")
        page = self.client.get(url, {"region": VILLAGE_A})
        listed = {h.household_no for h in page.context["page"]}
        self.assertEqual(listed, {self.household.household_no, second.household_no})
        export = self.client.get(url, {"region": VILLAGE_A, "export": "xlsx"})
        rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
        self.assertEqual(sorted(r[0] for r in rows[1:]), sorted(listed))
        # a cadre whose unit does not serve one ticked household: nobody is paired, and that household is named
        far = actions.save_unit(
            by=self.county_operator,
            unit=None,
            values={"name": "村里的单位", "level": "village", "region_id": VILLAGE_A},
        )
        near = self.cadre("赵六", "13839600009", unit=far)
        data = {"cadre": near.pk, "start_on": DAY.isoformat(), "households": [self.household.pk, other_village.pk]}
        refused = self.client.post(url, data)
        self.assertContains(refused, "戊（A7）")
        self.assertFalse(Pairing.objects.exists())
        data = {"cadre": self.zhang.pk, "start_on": DAY.isoformat(), "households": [self.household.pk, second.pk]}
        self.client.post(url, data)
        self.assertEqual(
            set(Pairing.objects.values_list("household__household_no", flat=True)), {"A8", self.household.household_no}
        )

    def test_the_cadre_list_shows_each_load(self):
        actions.pair(by=self.alice, household=self.household, cadre=self.zhang, start_on=DAY)
        self.client.force_login(self.county_operator)
        with self.assertNumQueries(8):  # session, user, count, the user's region, page; the rest saves the session
            page = self.client.get(reverse("assistance:cadres"))
        loads = {c.name: c.load for c in page.context["page"]}
        self.assertEqual(loads, {"张明": 1, "李华": 0})

    def test_cadres_are_imported_with_their_units(self):
        sheet = (
            "帮扶单位,单位级别,服务区划代码,姓名,职务,联系电话,政治面貌\n"
            f"平舆县教育局,县级,{COUNTY},周敏,股长,13839600011,中共党员\n"
            f"平舆县教育局,县级,{COUNTY},吴刚,,13839600012,\n"
            f"杨埠镇政府,乡镇,{TOWNSHIP_A},郑红,副镇长,0396-5012345,\n"
        )
        batch = pipeline.stage(
            spec=get_spec("cadres"), filename="帮扶责任人.csv", content=sheet.encode(), by=self.county_operator
        )
        self.assertEqual(batch.error_count, 0)
        self.assertEqual(pipeline.commit(batch=batch, by=self.county_operator)["created"], 3)
        self.assertEqual(AssistingUnit.objects.get(name="杨埠镇政府").level, "township")
        again = pipeline.stage(
            spec=get_spec("cadres"), filename="帮扶责任人.csv", content=sheet.encode(), by=self.county_operator
        )
        self.assertEqual(
            pipeline.commit(batch=again, by=self.county_operator), {"created": 0, "changed": 0, "unchanged": 3}
        )
        bad = sheet + f"平舆县教育局,县级,{COUNTY},钱多,,12345,\n"
        staged = pipeline.stage(
            spec=get_spec("cadres"), filename="帮扶责任人.csv", content=bad.encode(), by=self.county_operator
        )
        self.assertEqual(staged.error_count, 1)

    def test_units_and_cadres_are_entered_through_their_pages(self):
        self.client.force_login(self.county_operator)
        response = self.client.post(
            reverse("assistance:unit_create"),
            {
                "name": "平舆县农业农村局",
                "level": "county",
                "region_id": COUNTY,
                "phone": "0396-5012345",
                "is_active": "on",
            },
        )
        unit = AssistingUnit.objects.get(name="平舆县农业农村局")
        self.assertRedirects(response, unit.get_absolute_url())
        data = {
            "unit_id": unit.pk,
            "name": "陈亮",
            "post": "站长",
            "phone": "138",
            "political_status": "",
            "is_active": "on",
        }
        page = self.client.post(reverse("assistance:cadre_create"), data)
        self.assertContains(page, "11位手机号码")
        self.assertFalse(Cadre.objects.filter(name="陈亮").exists())
        response = self.client.post(reverse("assistance:cadre_create"), {**data, "phone": "13839600009"})
        self.assertRedirects(response, Cadre.objects.get(name="陈亮").get_absolute_url())

"""我的待办: each first source lists its items for the users who must act, and drops them once done."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fupin.accounts.roles import Role
from fupin.assistance import actions as assistance
from fupin.assistance import visits
from fupin.lib import inbox
from fupin.procedures import engine
from fupin.procedures.tests.base import ProcedureTestCase
from fupin.test import COUNTY, PASSWORD, VILLAGE_A, make_user
from fupin.transfer.models import ImportBatch

TODAY = timezone.localdate()


def titles(user) -> list[str]:
    return [item.title for _source, items in inbox.gather(user, TODAY) for item in items]


class InboxTestCase(ProcedureTestCase):
    def test_a_step_waits_for_the_roles_that_do_it_in_their_region_only(self):
        batch = self.start("identification", self.applicant(11))
        self.assertEqual(titles(self.village_operator), ["待您办理：农户申请"])
        self.assertEqual(titles(self.alice), ["待您办理：农户申请"])  # township operators enter for villages
        self.assertEqual(titles(self.township_reviewer), [])
        self.assertEqual(titles(self.bob), [])  # the sibling township's operator
        self.run_until(batch, "township_review")
        self.assertEqual(titles(self.village_operator), [])  # done: gone
        self.assertEqual(titles(self.township_reviewer), ["待您办理：乡镇审核"])

    def test_a_notice_says_what_is_left_posting_objections_and_its_end(self):
        household = self.applicant(11)
        batch = self.run_until(self.start("identification", household), "village_notice")
        self.prove(batch)
        self.assertEqual(titles(self.village_operator), ["待张贴公示：村公示"])
        notice = self.post(batch)
        [item] = [i for _s, items in inbox.gather(self.village_operator, notice.posted_on) for i in items]
        self.assertEqual(item.title, f"公示至 {notice.ends_on} 结束，期满后办结本环节")
        self.assertEqual(item.due, notice.ends_on)
        case = batch.cases.get()
        objection = engine.raise_objection(
            by=self.village_operator,
            notice=notice,
            version=self.version(batch),
            case=case,
            raised_on=notice.posted_on,
            raised_by="",
            contact="",
            content="家有轿车",
        )
        self.assertEqual(titles(self.village_operator), ["1 条异议待核实答复"])
        engine.answer_objection(
            by=self.village_operator,
            objection=objection,
            version=self.version(batch),
            finding="经核实无车",
            answer="异议不成立",
            upheld=False,
            answered_on=notice.posted_on,
        )
        after = notice.ends_on + dt.timedelta(days=1)
        [item] = [i for _s, items in inbox.gather(self.village_operator, after) for i in items]
        self.assertEqual(item.title, "公示期已满，请办结“村公示”")

    def test_a_cadre_sees_overdue_visits_until_the_visit_is_logged(self):
        unit = assistance.save_unit(
            by=self.county_operator, unit=None, values={"name": "平舆县财政局", "level": "county", "region_id": COUNTY}
        )
        account = make_user("zhangming", Role.ASSISTING_CADRE, VILLAGE_A)
        cadre = assistance.save_cadre(
            by=self.county_operator,
            cadre=None,
            values={"unit_id": unit.pk, "name": "张明", "phone": "13839600001", "post": "科员", "user_id": account.pk},
        )
        household = self.applicant(13, poverty_status="not_exited")
        assistance.pair(by=self.alice, household=household, cadre=cadre, start_on=TODAY - dt.timedelta(days=40))
        self.assertEqual(titles(account), ["走访逾期：距上次走访已 40 天"])
        self.assertEqual(titles(self.alice), [])  # an operator's inbox does not list a cadre's visits
        visits.log_visit(
            by=account, household=household, cadre=cadre, visited_on=TODAY, items=["meal"], note="", photos=[]
        )
        self.assertEqual(titles(account), [])

    def test_an_import_waits_for_its_uploader_to_commit_it(self):
        batch = ImportBatch.objects.create(
            kind="households",
            spec_version=1,
            status=ImportBatch.Status.VALIDATED,
            original_name="户.xlsx",
            created_by=self.alice,
            region=self.alice.region,
        )
        self.assertEqual(titles(self.alice), ["检查无误，待提交入库"])
        self.assertEqual(titles(self.bob), [])
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTED)
        self.assertEqual(titles(self.alice), [])

    def test_the_page_and_the_menus_count_show_the_items(self):
        batch = self.start("identification", self.applicant(11))
        self.client.force_login(self.village_operator)
        page = self.client.get(reverse("inbox")).content.decode()
        self.assertIn("待您办理：农户申请", page)
        self.assertIn(batch.get_absolute_url(), page)
        self.assertIn("共 1 项待办。", page)
        count = self.client.get(reverse("inbox_count")).content.decode()
        self.assertIn(">1</span>", count)
        self.client.force_login(self.county_operator)
        self.assertIn("暂无待办事项。", self.client.get(reverse("inbox")).content.decode())

    def test_village_operators_and_cadres_land_on_their_inbox(self):
        self.client.logout()
        for user, landing in ((self.village_operator, reverse("inbox")), (self.county_operator, reverse("home"))):
            with self.subTest(role=user.role):
                credentials = {"username": user.username, "password": PASSWORD}
                response = self.client.post(reverse("accounts:login"), credentials)
                self.assertRedirects(response, landing, fetch_redirect_response=False)
                self.client.logout()

    def test_a_village_operators_first_password_change_also_lands_on_the_inbox(self):
        newcomer = make_user("newcomer", Role.VILLAGE_OPERATOR, VILLAGE_A, must_change_password=True)
        self.client.force_login(newcomer)
        new = "Plum-Blossom-73"
        data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
        response = self.client.post(reverse("accounts:password_change"), data)
        self.assertRedirects(response, reverse("inbox"), fetch_redirect_response=False)

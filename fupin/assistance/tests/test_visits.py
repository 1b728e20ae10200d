import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fupin import access
from fupin.accounts.roles import Role
from fupin.assistance import actions, visits
from fupin.assistance.models import Pairing, Visit
from fupin.assistance.tests.test_pairing import AssistanceTestCase
from fupin.audit.models import AuditEvent, EventType
from fupin.procedures.tests.base import PNG
from fupin.registry.models import Household
from fupin.test import VILLAGE_A, VILLAGE_B, make_household, make_user, person_id

TODAY = timezone.localdate()


def photo(name="走访.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


class VisitTestCase(AssistanceTestCase):
    def setUp(self):
        super().setUp()
        self.account = make_user("zhangming", Role.ASSISTING_CADRE, VILLAGE_A)
        self.zhang = actions.save_cadre(by=self.county_operator, cadre=self.zhang, values={"user_id": self.account.pk})
        self.started = TODAY - dt.timedelta(days=100)
        self.pairing, _w = actions.pair(
            by=self.alice, household=self.household, cadre=self.zhang, start_on=self.started
        )

    def log(self, by=None, day=None, **values):
        return visits.log_visit(
            by=by or self.account,
            household=self.household,
            cadre=values.pop("cadre", self.zhang),
            visited_on=day or TODAY,
            items=values.pop("items", ["meal", "policy"]),
            note=values.pop("note", ""),
            photos=values.pop("photos", [photo()]),
        )

    def test_a_cadre_logs_a_visit_with_a_photo(self):
        visit = self.log()
        self.assertEqual((visit.items, visit.photos.count()), (["meal", "policy"], 1))
        self.assertEqual(visit.item_labels()[0], "与贫困户同吃一顿饭")

    def test_a_visit_in_the_future_or_before_the_pairing_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "晚于今天"):
            self.log(day=TODAY + dt.timedelta(days=1))
        with self.assertRaisesMessage(ValidationError, "之前"):
            self.log(day=self.started - dt.timedelta(days=1))
        self.log(day=self.started)  # the first day counts
        self.assertEqual(Visit.objects.count(), 1)

    def test_only_the_cadre_or_an_operator_of_the_region_logs_it(self):
        other = make_user("other_cadre", Role.ASSISTING_CADRE, VILLAGE_A)
        with self.assertRaises(PermissionDenied):
            self.log(by=other)
        with self.assertRaises(PermissionDenied):
            self.log(by=self.bob)
        self.log(by=self.alice)

    def test_what_was_done_and_photos_are_checked(self):
        with self.assertRaisesMessage(ValidationError, "勾选"):
            self.log(items=[], note=" ", photos=[])
        with self.assertRaisesMessage(ValidationError, "不是照片"):
            self.log(photos=[SimpleUploadedFile("x.pdf", b"%PDF-1.4 " + bytes(20))])

    def test_overdue_counts_from_the_last_visit_or_the_pairings_start(self):
        # the policy's default: overdue after 30 days
        [status] = visits.statuses(Pairing.objects.filter(pk=self.pairing.pk))
        self.assertEqual((status.last_visit, status.days, status.overdue), (None, 100, True))
        for days_ago, overdue in ((30, False), (31, True)):
            Visit.objects.all().delete()
            self.log(day=TODAY - dt.timedelta(days=days_ago), photos=[])
            [status] = visits.statuses(Pairing.objects.filter(pk=self.pairing.pk))
            self.assertEqual((status.days, status.overdue), (days_ago, overdue))

    def test_the_overdue_list_counts_by_village_and_by_cadre_and_filters_by_either(self):
        other = make_household(
            self.alice, household_no="B2", members=[{"name": "孙五", "id_number": person_id("1966-06-06", 31)}]
        )
        actions.pair(by=self.alice, household=other, cadre=self.li, start_on=self.started)
        self.client.force_login(self.alice)
        page = self.client.get(reverse("assistance:overdue"))
        self.assertEqual([count for _code, _name, count in page.context["by_village"]], [2])
        self.assertEqual({c.name: n for c, n in page.context["by_cadre"]}, {"张明": 1, "李华": 1})
        only_li = self.client.get(reverse("assistance:overdue"), {"cadre": self.li.pk})
        self.assertEqual([r.pairing.household for r in only_li.context["page"]], [other])
        self.assertEqual(len(self.client.get(reverse("assistance:overdue"), {"village": VILLAGE_A}).context["page"]), 2)

    def test_the_cadres_phone_page_and_the_overdue_list(self):
        self.client.force_login(self.account)
        page = self.client.get(reverse("assistance:mine"))
        self.assertEqual(len(page.context["rows"]), 1)
        self.assertTrue(page.context["rows"][0].overdue)
        response = self.client.post(
            reverse("assistance:visit_create", args=[self.household.pk]),
            {"cadre": self.zhang.pk, "visited_on": TODAY.isoformat(), "items": ["cleaning"], "photos": [photo()]},
        )
        self.assertRedirects(response, reverse("assistance:mine"))
        self.assertFalse(self.client.get(reverse("assistance:mine")).context["rows"][0].overdue)
        self.client.force_login(self.alice)
        self.assertNotContains(self.client.get(reverse("assistance:overdue")), self.household.household_no)
        household_page = self.client.get(self.household.get_absolute_url())
        self.assertContains(household_page, f"{TODAY:%Y-%m-%d} 张明（帮助打扫一次卫生）")
        shown = self.client.get(Visit.objects.get().photos.get().get_absolute_url())
        self.assertEqual(shown["Content-Type"], "image/png")
        self.assertTrue(AuditEvent.objects.filter(event_type=EventType.SENSITIVE_VIEW, actor=self.alice).exists())


class CadreScopeTestCase(VisitTestCase):
    """Least privilege: a cadre's account reads its paired households only, and only households its
    account covers can be paired with it."""

    def test_the_cadre_reads_a_paired_household_and_not_the_neighbours(self):
        neighbour = make_household(
            self.alice, household_no="N2", members=[{"name": "邻居", "id_number": person_id("1975-05-05", 15)}]
        )
        self.client.force_login(self.account)
        self.assertEqual(self.client.get(self.household.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(neighbour.get_absolute_url()).status_code, 404)
        self.assertEqual(list(access.visible_to(Household.objects.all(), self.account)), [self.household])
        actions.end_pairing(by=self.alice, pairing=self.pairing, end_on=TODAY, reason="调整")
        self.assertEqual(self.client.get(self.household.get_absolute_url()).status_code, 404)

    def test_a_cadre_whose_account_is_in_another_township_cannot_be_paired_here(self):
        head = {"name": "乙户", "id_number": person_id("1977-07-07", 17)}
        elsewhere = make_household(self.bob, village=VILLAGE_B, household_no="B9", members=[head])
        with self.assertRaisesMessage(ValidationError, "其他地区"):
            actions.pair(by=self.county_operator, household=elsewhere, cadre=self.zhang, start_on=TODAY)

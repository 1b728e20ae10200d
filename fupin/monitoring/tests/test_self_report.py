"""The public self-report page (no login): a receipt for each report, the state by receipt and nothing
else, bad input refused with Chinese messages, floods throttled, CSRF required, and the QR code."""

from __future__ import annotations

from django.test import Client, override_settings
from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.monitoring.models import Channel, Clue, ClueState
from fupin.test import OTHER_COUNTY, VILLAGE_A, VILLAGE_B, BaseTestCase, make_household, make_user, person_id

NUMBER = person_id("1975-07-07", 27)


def form(**values) -> dict:
    return {
        "village": VILLAGE_A,
        "name": "李四",
        "id_number": NUMBER,
        "phone": "138 1234 5678",
        "risk": "01",
        "said": "丈夫住院，花费很大",
    } | values


class SelfReportTestCase(BaseTestCase):
    def url(self, village: str = VILLAGE_A) -> str:
        return reverse("monitoring:self_report", args=[village])

    def test_a_report_answers_with_a_receipt_and_the_receipt_shows_only_its_state(self):
        page = self.client.get(self.url())
        self.assertContains(page, 'data-testid="self-report-form"')
        self.assertNotContains(page, "/households/")  # no way into the system from here
        response = self.client.post(self.url(), form())
        clue = Clue.objects.get()
        self.assertContains(response, clue.receipt)
        self.assertEqual(
            (clue.channel, clue.state, clue.phone, clue.risks),
            (Channel.SELF_REPORT, ClueState.RECEIVED, "13812345678", ["01"]),
        )
        self.assertTrue(AuditEvent.objects.filter(target_type="monitoring.clue", event_type="create").exists())
        status = self.client.get(reverse("monitoring:status"), {"receipt": clue.receipt.lower()})
        self.assertContains(status, "乡镇已收到")
        self.assertNotContains(status, "李四")
        self.assertNotContains(status, NUMBER)
        self.assertContains(self.client.get(reverse("monitoring:status"), {"receipt": "ZZZZZZZZZZ"}), "没有此回执号")

    def test_a_registered_person_is_told_nothing_different(self):
        household = make_household(self.alice, members=[{"name": "李四", "id_number": NUMBER}])
        response = self.client.post(self.url(), form())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, household.household_no)
        self.assertEqual(Clue.objects.get().household.head_name, "李四")

    def test_bad_input_is_refused_at_the_top_with_nothing_saved(self):
        response = self.client.post(self.url(), form(id_number="41172319750707002X"))
        self.assertContains(response, 'data-testid="error-summary"')
        self.assertContains(response, "校验码")
        response = self.client.post(self.url(), form(village="411724101200"))  # a village of another county
        self.assertContains(response, "请选择本县的行政村")
        response = self.client.post(self.url(), form(phone="电话"))
        self.assertContains(response, "请输入仅由数字组成的电话号码")
        self.assertFalse(Clue.objects.exists())
        self.assertEqual(self.client.get(self.url(OTHER_COUNTY)).status_code, 404)  # not a village

    @override_settings(FUPIN_SELF_REPORTS_PER_ADDRESS=2)
    def test_a_flood_from_one_address_is_throttled(self):
        for sequence in (31, 33):
            self.client.post(self.url(), form(id_number=person_id("1975-07-07", sequence)))
        response = self.client.post(self.url(), form(id_number=person_id("1975-07-07", 35)))
        self.assertContains(response, "申报过于频繁")
        self.assertEqual(Clue.objects.count(), 2)

    def test_a_second_report_for_the_same_person_is_merged(self):
        self.client.post(self.url(), form())
        response = self.client.post(self.url(VILLAGE_B), form(village=VILLAGE_B, said="又失业了"))
        clue = Clue.objects.get()
        self.assertContains(response, clue.receipt)
        self.assertEqual(clue.reports[0]["said"], "又失业了")

    def test_csrf_is_required(self):
        client = Client(enforce_csrf_checks=True)
        self.assertEqual(client.post(self.url(), form()).status_code, 403)
        self.assertFalse(Clue.objects.exists())

    def test_a_village_operator_prints_the_qr_code_of_their_village_only(self):
        operator = make_user("village_a", Role.VILLAGE_OPERATOR, VILLAGE_A)
        self.client.force_login(operator)
        page = self.client.get(reverse("monitoring:village_qr", args=[VILLAGE_A]))
        self.assertContains(page, "<svg")
        self.assertContains(page, self.url())
        self.assertEqual(self.client.get(reverse("monitoring:village_qr", args=[VILLAGE_B])).status_code, 404)

"""The yearly classification of former 建档立卡 households: criteria with values (income equal to the line
does not pass), suggestions, decisions with reasons by the household's region, the summary that counts
every household once, closing only when all are decided, and a re-run that adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fupin.audit.models import AuditEvent
from fupin.monitoring import classification
from fupin.monitoring.models import Channel, Classification, ClassificationRound, MonitoringCase, Outcome
from fupin.policy.models import PolicyValue
from fupin.registry import actions as registry_actions
from fupin.test import COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_B, BaseTestCase, make_household, person_id

YEAR = 2025


class ClassificationTestCase(BaseTestCase):
    def setUp(self):
        PolicyValue.objects.create(name="monitoring_line", region_code="41", year=YEAR, value=Decimal("8300"))
        self.at_line = self.household("8300", status="exited")
        self.above = self.household("8300.01", status="exited")
        self.monitored = self.household("20000", status="exited")
        MonitoringCase.objects.create(
            household=self.monitored,
            region_id=self.monitored.region_id,
            category="1",
            risks=["01"],
            identified_on=dt.date(2025, 3, 1),
            channel=Channel.CADRE,
            created_by=self.alice,
        )
        self.in_b = self.household("30000", status="not_exited", village=VILLAGE_B, by=self.bob)
        self.household("1000", status="removed", removed_on=dt.date(2024, 5, 1), removal_reason="错评")  # not assessed

    def household(self, wage: str, status: str, village=None, by=None, **extra):
        by = by or self.alice
        n = len(getattr(self, "_made", []))
        self._made = [*getattr(self, "_made", []), n]
        values = {"poverty_status": status, **extra}
        if village:
            values["village"] = village
        household = make_household(
            by, members=[{"name": f"户{n}", "id_number": person_id("1960-01-01", 81 + 2 * n)}], **values
        )
        registry_actions.save_income(by=by, household=household, year=YEAR, items={"wage_income": Decimal(wage)})
        return household

    def open(self) -> ClassificationRound:
        with self.captureOnCommitCallbacks(execute=True):  # the job is queued when the round is kept
            opened = classification.open_round(by=self.county_operator, region=self.region(COUNTY), year=YEAR)
        opened.refresh_from_db()
        return opened

    def test_each_household_is_assessed_with_values_and_the_right_suggestion(self):
        opened = self.open()
        self.assertEqual(opened.assessed, 4)
        found = {c.household_id: c for c in Classification.objects.all()}
        self.assertEqual(found[self.at_line.pk].suggested, Outcome.KEEP_HELPING)  # equal to the line: not above
        self.assertEqual(found[self.above.pk].suggested, Outcome.EXIT)
        self.assertEqual(found[self.monitored.pk].suggested, Outcome.KEEP_HELPING)
        income = next(c for c in found[self.above.pk].criteria if c["key"] == "income")
        self.assertIn("8,300.01", income["value"])
        self.assertIn("8,300", income["threshold"])
        self.assertEqual(classification.assess(opened), 0)  # run again: nothing added
        assessed = AuditEvent.objects.filter(target_type="monitoring.classificationround", changes__has_key="assessed")
        self.assertEqual(len(assessed.get().changes["assessed"]), 4)

    def test_decisions_need_a_reason_and_the_region_and_the_round_closes_when_all_are_decided(self):
        opened = self.open()
        item = Classification.objects.get(household=self.above)
        with self.assertRaisesMessage(ValidationError, "理由"):
            classification.decide(by=self.alice, classification=item, outcome=Outcome.EXIT, reason=" ")
        with self.assertRaises(PermissionDenied):
            classification.decide(by=self.bob, classification=item, outcome=Outcome.EXIT, reason="收入稳定")
        with self.assertRaisesMessage(ValidationError, "未确定"):
            classification.close_round(by=self.county_operator, assessment=opened)
        for c in Classification.objects.all():
            by = self.bob if c.region_id.startswith(TOWNSHIP_B) else self.alice
            classification.decide(by=by, classification=c, outcome=c.suggested, reason="综合评估")
        classification.close_round(by=self.county_operator, assessment=opened)
        with self.assertRaisesMessage(ValidationError, "已结束"):
            classification.decide(by=self.alice, classification=item, outcome=Outcome.KEEP_HELPING, reason="x")

    def test_the_summary_counts_every_household_once_and_a_township_decides_on_the_page(self):
        opened = self.open()
        self.client.force_login(self.county_operator)
        page = self.client.get(opened.get_absolute_url())
        table = page.context["table"]
        self.assertEqual(table.total.figures["assessed"], 4)
        self.assertEqual(
            {line.row.code: line.row.figures["assessed"] for line in table.lines}, {TOWNSHIP_A: 3, TOWNSHIP_B: 1}
        )
        self.client.force_login(self.alice)
        page = self.client.get(opened.get_absolute_url())
        self.assertEqual(page.context["table"].total.figures["assessed"], 3)
        self.assertNotContains(page, self.in_b.household_no)
        item = Classification.objects.get(household=self.above)
        self.client.post(
            reverse("monitoring:decide", args=[item.pk]), {"outcome": "exit", "reason": "收入稳定超过监测线"}
        )
        item.refresh_from_db()
        self.assertEqual((item.outcome, item.decided_by), (Outcome.EXIT, self.alice))
        self.client.force_login(self.bob)
        response = self.client.post(
            reverse("monitoring:decide", args=[item.pk]), {"outcome": "keep_helping", "reason": "x"}
        )
        self.assertEqual(response.status_code, 404)

    def test_a_county_opens_a_round_once_from_the_page(self):
        self.client.force_login(self.county_operator)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("monitoring:rounds"), {"year": YEAR})
        opened = ClassificationRound.objects.get()
        self.assertRedirects(response, opened.get_absolute_url(), fetch_redirect_response=False)
        again = self.client.post(reverse("monitoring:rounds"), {"year": YEAR})
        self.assertContains(again, 'data-testid="error-summary"')
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(reverse("monitoring:rounds"), {"year": 2024}).status_code, 403)

    def test_the_round_page_takes_a_fixed_number_of_queries(self):
        opened = self.open()
        self.client.force_login(self.county_operator)
        self.client.get(opened.get_absolute_url(), {"show": "all"})
        with CaptureQueriesContext(connection) as few:
            self.client.get(opened.get_absolute_url(), {"show": "all"})
        for _ in range(3):
            self.household("9000", status="exited")
        classification.assess(opened)
        with CaptureQueriesContext(connection) as more:
            response = self.client.get(opened.get_absolute_url(), {"show": "all"})
        self.assertEqual(len(response.context["page"]), 7)
        self.assertEqual(len(few), len(more))

"""The identification of a monitored household on the one engine: a checked clue goes through the seven
steps with the right actor at each and becomes a monitoring case; a dropped one closes with its reason,
which the reporter reads by the receipt."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.audit.models import AuditEvent
from fupin.monitoring import clues
from fupin.monitoring.clues import Report
from fupin.monitoring.entry import ENTRY
from fupin.monitoring.models import Channel, Clue, ClueState, MonitoringCase
from fupin.policy.models import PolicyValue
from fupin.procedures import engine
from fupin.procedures.models import Step
from fupin.procedures.printing import notice_html
from fupin.procedures.tests.base import ProcedureTestCase
from fupin.registry import actions as registry_actions
from fupin.test import VILLAGE_A, make_household, person_id


class EntryTestCase(ProcedureTestCase):
    def setUp(self):
        super().setUp()
        year = self.day.year
        for y in (year - 1, year):
            PolicyValue.objects.get_or_create(
                name="monitoring_line", region_code="41", year=y, defaults={"value": Decimal("8300")}
            )
        self.household = make_household(
            self.alice, poverty_status="exited", members=[{"name": "赵六", "id_number": person_id("1965-05-05", 21)}]
        )
        registry_actions.save_income(
            by=self.alice, household=self.household, year=year - 1, items={"wage_income": Decimal("7000")}
        )
        self.clue, _new = clues.report(
            Report(
                channel=Channel.SELF_REPORT, region_id=VILLAGE_A, name="赵六", said="妻子重病", household=self.household
            )
        )
        clues.pass_to_village(by=self.alice, clue=self.clue)
        clues.record_check(by=self.village_operator, clue=self.clue, category="1", risks=["01"])

    def enter(self):
        batch = engine.start_batch(
            by=self.village_operator,
            kind=ENTRY,
            region=self.region(VILLAGE_A),
            year=self.day.year,
            done_on=self.next_day(),
        )
        engine.add_case(by=self.village_operator, batch=batch, version=self.version(batch), subject=self.clue)
        return batch

    def test_a_checked_clue_goes_through_every_step_and_the_household_is_monitored(self):
        batch = self.enter()
        self.clue.refresh_from_db()
        self.assertEqual(self.clue.state, ClueState.IN_PROCEDURE)
        entered = (
            AuditEvent.objects.filter(target_type="monitoring.clue", target_id=str(self.clue.pk)).order_by("id").last()
        )
        self.assertEqual((entered.actor, entered.changes["state"][1]), (self.village_operator, "in_procedure"))
        steps = list(Step.objects.filter(procedure=batch.procedure).values_list("name", flat=True))
        self.assertEqual(steps, ["入户核实", "信息比对", "民主评议", "村级公示", "乡镇审核", "县级审定", "信息录入"])
        self.assertEqual(engine.missing_evidence(batch, batch.step), ["承诺授权书", "入户核实表"])
        batch = self.run_until(batch, "village_notice")
        notice = self.post(batch)
        self.assertEqual(notice.days, 5)  # the monitoring notice's own policy item
        batch = self.run_until(batch, None)
        case = MonitoringCase.objects.get(household=self.household)
        self.assertEqual((case.category, case.risks, case.channel), ("1", ["01"], Channel.SELF_REPORT))
        self.clue.refresh_from_db()
        self.assertEqual((self.clue.state, self.clue.monitoring_case), (ClueState.CONFIRMED, case))
        self.assertEqual(self.clue.history.first().monitoring_case_id, case.pk)  # the link is in its history
        self.client.logout()
        status = self.client.get(reverse("monitoring:status"), {"receipt": self.clue.receipt})
        self.assertContains(status, "已纳入监测")

    def test_the_findings_show_the_income_account_and_the_notice_hides_numbers_and_health(self):
        batch = self.enter()
        case = batch.cases.get()
        checks = {c["name"]: c for c in case.findings["checks"]}
        self.assertIn("8,300", checks["收支核算"]["value"])
        self.assertTrue(checks["收支核算"]["passed"])  # 7,000 for one person, below 8,300
        batch = self.run_until(batch, "village_notice")
        notice = self.post(batch)
        self.client.force_login(self.village_operator)
        pdf = self.client.get(reverse("procedures:notice_pdf", args=[batch.pk]), {"notice": notice.pk})
        self.assertEqual(pdf.status_code, 200)
        printed = notice_html(batch, notice)
        self.assertIn("赵六", printed)
        self.assertIn("脱贫不稳定户", printed)
        self.assertNotIn(person_id("1965-05-05", 21), printed)
        self.assertNotIn("因病", printed)  # health stays off the wall

    def test_a_dropped_clue_closes_with_the_reason_the_reporter_reads(self):
        batch = self.enter()
        case = batch.cases.get()
        engine.drop_case(
            by=self.village_operator,
            case=case,
            version=self.version(batch),
            reason="经核实已获大病保险报销",
            done_on=self.next_day(),
        )
        self.clue.refresh_from_db()
        self.assertEqual(self.clue.state, ClueState.NOT_CONFIRMED)
        status = self.client.get(reverse("monitoring:status"), {"receipt": self.clue.receipt})
        self.assertContains(status, "经核实已获大病保险报销")
        self.assertFalse(MonitoringCase.objects.exists())

    def test_an_unready_clue_cannot_enter(self):
        other = make_household(self.alice, members=[{"name": "钱七", "id_number": person_id("1966-06-06", 23)}])
        clue, _new = clues.report(
            Report(channel=Channel.CADRE, region_id=VILLAGE_A, name="钱七", said="失业", household=other), by=self.alice
        )
        batch = self.enter()
        self.assertNotIn(clue, list(engine.kind_of(batch).candidates(batch)))
        with self.assertRaisesMessage(ValidationError, "先记录入户核实"):
            engine.add_case(by=self.village_operator, batch=batch, version=self.version(batch), subject=clue)
        self.assertEqual(Clue.objects.get(pk=clue.pk).state, ClueState.CHECKING)

    def test_an_already_monitored_household_cannot_enter_again(self):
        MonitoringCase.objects.create(
            household=self.household,
            region_id=VILLAGE_A,
            category="1",
            risks=["01"],
            identified_on=dt.date(2025, 1, 1),
            channel=Channel.CADRE,
            created_by=self.alice,
        )
        batch = engine.start_batch(
            by=self.village_operator,
            kind=ENTRY,
            region=self.region(VILLAGE_A),
            year=self.day.year,
            done_on=self.next_day(),
        )
        with self.assertRaisesMessage(ValidationError, "已是监测对象"):
            engine.add_case(by=self.village_operator, batch=batch, version=self.version(batch), subject=self.clue)

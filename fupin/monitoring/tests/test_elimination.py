"""Risk elimination on the engine: conditions with values and thresholds at their edges (income equal to
the line, the months of monitoring), the override, the guaranteed-support flag, the route and the
measures that continue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from fupin.lib.dates import add_months
from fupin.monitoring import elimination
from fupin.monitoring.elimination import ELIMINATION
from fupin.monitoring.models import CaseStatus, Channel, EliminationRoute, MonitoringCase
from fupin.policy.models import PolicyValue
from fupin.procedures import engine
from fupin.procedures.tests.base import ProcedureTestCase
from fupin.registry import actions as registry_actions
from fupin.test import VILLAGE_A, make_household, person_id

LINE = Decimal("8300")


class EliminationTestCase(ProcedureTestCase):
    def setUp(self):
        super().setUp()
        self.today = timezone.localdate()
        self.year = self.today.year - 1
        for year in (self.year, self.today.year):
            PolicyValue.objects.get_or_create(
                name="monitoring_line", region_code="41", year=year, defaults={"value": LINE}
            )
        self.household = make_household(
            self.alice, poverty_status="exited", members=[{"name": "孙八", "id_number": person_id("1968-08-08", 25)}]
        )
        self.case = MonitoringCase.objects.create(
            household=self.household,
            region_id=VILLAGE_A,
            category="1",
            risks=["01"],
            identified_on=add_months(self.today, -7),
            channel=Channel.CADRE,
            created_by=self.alice,
        )

    def income(self, wage: str) -> None:
        registry_actions.save_income(
            by=self.alice, household=self.household, year=self.year, items={"wage_income": Decimal(wage)}
        )

    def criteria(self) -> dict:
        return {c["key"]: c for c in elimination.assess(MonitoringCase.objects.get(pk=self.case.pk))}

    def test_income_equal_to_the_line_does_not_pass_and_a_fen_more_does(self):
        self.income("8300")
        self.assertFalse(self.criteria()["income"]["passed"])
        self.income("8300.01")
        self.assertTrue(self.criteria()["income"]["passed"])
        self.assertIn("8,300", self.criteria()["income"]["threshold"])

    def test_the_months_of_monitoring_count_to_the_day(self):
        MonitoringCase.objects.filter(pk=self.case.pk).update(identified_on=add_months(self.today, -6))
        self.assertTrue(self.criteria()["months"]["passed"])  # exactly six months: at least six
        MonitoringCase.objects.filter(pk=self.case.pk).update(
            identified_on=add_months(self.today, -6) + dt.timedelta(days=1)
        )
        self.assertFalse(self.criteria()["months"]["passed"])

    def start(self):
        return engine.start_batch(
            by=self.village_operator,
            kind=ELIMINATION,
            region=self.region(VILLAGE_A),
            year=self.today.year,
            done_on=self.next_day(),
        )

    def test_a_household_that_fails_a_condition_is_refused_by_name_unless_the_county_overrides(self):
        self.income("8000")
        batch = self.start()
        with self.assertRaisesMessage(ValidationError, "收支核算后人均收入"):
            engine.add_case(by=self.village_operator, batch=batch, version=self.version(batch), subject=self.case)
        with self.assertRaises(ValidationError):  # the village cannot override
            engine.add_case(
                by=self.village_operator,
                batch=batch,
                version=self.version(batch),
                subject=self.case,
                reason="收入将稳定",
                override=True,
            )
        with self.assertRaisesMessage(ValidationError, "理由"):
            engine.add_case(
                by=self.county_operator, batch=batch, version=self.version(batch), subject=self.case, override=True
            )
        engine.add_case(
            by=self.county_operator,
            batch=batch,
            version=self.version(batch),
            subject=self.case,
            reason="已落实公益岗位，收入稳定",
            override=True,
        )

    def test_guaranteed_support_is_never_marked_eliminated(self):
        self.income("20000")
        MonitoringCase.objects.filter(pk=self.case.pk).update(no_labour_support=True)
        batch = self.start()
        with self.assertRaisesMessage(ValidationError, "兜底保障"):
            engine.add_case(
                by=self.county_operator,
                batch=batch,
                version=self.version(batch),
                subject=self.case,
                reason="特殊情况",
                override=True,
            )

    def test_a_household_that_meets_every_condition_goes_through_and_the_route_is_natural(self):
        self.income("20000")
        self.assertTrue(all(c["passed"] for c in self.criteria().values()), self.criteria())
        batch = self.start()
        engine.add_case(by=self.village_operator, batch=batch, version=self.version(batch), subject=self.case)
        self.run_until(batch, None)
        case = MonitoringCase.objects.get(pk=self.case.pk)
        self.assertEqual(case.status, CaseStatus.ELIMINATED)
        self.assertEqual(case.elimination_route, EliminationRoute.NATURAL)
        self.assertTrue(MonitoringCase.objects.filter(pk=self.case.pk).exists())  # the base record stays

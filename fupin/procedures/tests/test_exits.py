import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError

from fupin.policy.models import PolicyValue
from fupin.procedures import engine
from fupin.procedures.exits import assess
from fupin.procedures.models import CaseState
from fupin.procedures.tests.base import ProcedureTestCase
from fupin.registry import actions
from fupin.registry.models import PovertyStatus
from fupin.test import make_household, person_id

LINE_2020 = Decimal("4000")


class ExitTestCase(ProcedureTestCase):
    def poor(self, per_capita: Decimal, seq: int = 11, **values):
        household = make_household(
            self.alice,
            household_no=f"P{seq}",
            members=[{"name": f"户主{seq}", "id_number": person_id("1970-01-01", seq)}],
            **values,
        )
        actions.save_income(by=self.alice, household=household, year=2020, items={"wage_income": per_capita})
        household.refresh_from_db()
        return household

    def verdicts(self, household) -> dict:
        return {c.key: c.passed for c in assess(household, 2020, on=dt.date(2020, 12, 1)).criteria}

    def test_income_must_be_above_the_years_line(self):
        for amount, passes in ((LINE_2020 - Decimal("0.01"), False), (LINE_2020, False), (LINE_2020 + 1, True)):
            with self.subTest(amount):
                household = self.poor(amount, seq=11 + 2 * int(passes) + (amount == LINE_2020))
                result = assess(household, 2020)
                self.assertEqual(self.verdicts(household)["income"], passes)
                self.assertEqual(result.passed, passes)
                self.assertIn("4,000", result.criteria[0].threshold)
        self.assertEqual(result.policy[0]["name"], "poverty_line")

    def test_each_guarantee_is_a_criterion_with_what_decided_it(self):
        household = self.poor(Decimal("6000"), housing_grade="D", is_unsafe_housing=True)
        result = assess(household, 2020)
        self.assertEqual(
            self.verdicts(household),
            {"income": True, "education": True, "medical": True, "housing": False, "water": True},
        )
        self.assertFalse(result.passed)
        self.assertIn("D", next(c.value for c in result.criteria if c.key == "housing"))

    def test_safe_water_is_checked_from_2019(self):
        household = self.poor(Decimal("6000"))
        self.assertIn("water", {c.key for c in assess(household, 2020).criteria})
        actions.save_income(by=self.alice, household=household, year=2018, items={"wage_income": Decimal("6000")})
        self.assertNotIn("water", {c.key for c in assess(household, 2018).criteria})

    def test_a_missing_line_is_an_error_and_nothing_is_decided(self):
        PolicyValue.objects.filter(name="poverty_line", year=2020).delete()
        household = self.poor(Decimal("6000"))
        batch = self.start("exit", year=2020)
        with self.assertRaisesMessage(ValidationError, "2020"):
            engine.add_case(by=self.village_operator, batch=batch, version=self.version(batch), subject=household)
        self.assertFalse(batch.cases.exists())

    def test_only_a_household_that_passes_can_be_proposed_unless_the_county_overrides(self):
        failing = self.poor(Decimal("3000"))
        batch = self.start("exit", year=2020)
        with self.assertRaisesMessage(ValidationError, "未达到2020年退出标准"):
            engine.add_case(by=self.village_operator, batch=batch, version=self.version(batch), subject=failing)
        with self.assertRaisesMessage(ValidationError, "县级"):
            engine.add_case(
                by=self.village_operator,
                batch=batch,
                version=self.version(batch),
                subject=failing,
                override=True,
                reason="务工收入已落实",
            )
        with self.assertRaisesMessage(ValidationError, "理由"):
            engine.add_case(
                by=self.county_operator, batch=batch, version=self.version(batch), subject=failing, override=True
            )
        case = engine.add_case(
            by=self.county_operator,
            batch=batch,
            version=self.version(batch),
            subject=failing,
            override=True,
            reason="务工收入已落实，年底可稳定超过标准",
        )
        self.assertFalse(case.findings["exit"]["passed"])
        self.assertTrue(case.events.get().data["override"])

    def test_an_exit_batch_marks_its_households_exited_and_they_stay_in_the_register(self):
        household = self.poor(Decimal("6000"))
        batch = self.run_until(self.start("exit", household, year=2020), None)
        household.refresh_from_db()
        self.assertEqual((household.poverty_status, household.exit_year), (PovertyStatus.EXITED, 2020))
        case = batch.cases.get()
        self.assertEqual(case.state, CaseState.APPROVED)
        self.assertTrue(case.findings["exit"]["passed"])

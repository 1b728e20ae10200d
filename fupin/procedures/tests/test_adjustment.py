import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fupin.procedures import adjustment, engine
from fupin.procedures.models import CaseState
from fupin.procedures.tests.base import ProcedureTestCase
from fupin.registry import actions
from fupin.registry.models import Household, PovertyStatus
from fupin.test import COUNTY, VILLAGE_A


class AnnualAdjustmentTestCase(ProcedureTestCase):
    def setUp(self):
        super().setUp()
        self.year = self.day.year
        self.round = adjustment.open_round(by=self.county_operator, region=self.region(COUNTY), year=self.year)

    def exited(self, seq: int, per_capita: Decimal) -> Household:
        household = self.applicant(seq, poverty_status="exited", exit_year=2019)
        actions.save_income(by=self.alice, household=household, year=self.year, items={"wage_income": per_capita})
        return household

    def test_a_round_collects_every_kind_and_its_summary_matches_the_register(self):
        from fupin.policy.models import PolicyValue

        PolicyValue.objects.create(name="monitoring_line", year=self.year, value=Decimal("4000"))
        applicant = self.applicant(11)
        relapsing = self.exited(13, Decimal("1000"))
        wrongly_registered = self.applicant(15, poverty_status="not_exited")
        identification = self.start("identification", applicant, year=self.year)
        relapse = self.start("relapse", relapsing, year=self.year)
        removal = self.start("removal", year=self.year)
        engine.add_case(
            by=self.village_operator,
            batch=removal,
            version=self.version(removal),
            subject=wrongly_registered,
            reason="户主为财政供养人员",
        )
        self.assertEqual({b.adjustment_id for b in (identification, relapse, removal)}, {self.round.pk})
        with self.assertRaisesMessage(ValidationError, f"#{identification.pk}"):
            adjustment.close_round(by=self.county_operator, adjustment=self.round)
        for batch in (identification, relapse, removal):
            self.run_until(batch, None)
        relapsing.refresh_from_db()
        wrongly_registered.refresh_from_db()
        self.assertEqual(relapsing.poverty_status, PovertyStatus.RELAPSED)
        self.assertEqual(
            (wrongly_registered.poverty_status, wrongly_registered.removal_reason),
            (PovertyStatus.REMOVED, "户主为财政供养人员"),
        )

        closed = adjustment.close_round(by=self.county_operator, adjustment=self.round)
        totals = closed.summary["totals"]
        self.assertEqual(totals["identification"], [1, 1])
        self.assertEqual(totals["relapse"], [1, 1])
        self.assertEqual(totals["removal"], [1, 1])
        self.assertEqual(closed.summary["villages"][VILLAGE_A]["identification"], [1, 1])

        self.client.force_login(self.county_operator)
        page = self.client.get(closed.get_absolute_url())
        self.assertContains(page, "1 / 1")

    def test_a_change_outside_the_procedures_shows_as_a_difference(self):
        self.applicant(11, poverty_status="not_exited", first_identified_on=dt.date(self.year, 1, 2))
        result = adjustment.summary(self.round)
        self.assertEqual(result["totals"]["identification"], [0, 1])

    def test_a_removal_needs_its_reason_and_a_relapse_a_fall_back(self):
        batch = self.start("removal", year=self.year)
        household = self.applicant(11, poverty_status="not_exited")
        with self.assertRaisesMessage(ValidationError, "理由"):
            engine.add_case(by=self.village_operator, batch=batch, version=self.version(batch), subject=household)
        from fupin.policy.models import PolicyValue

        PolicyValue.objects.create(name="monitoring_line", year=self.year, value=Decimal("4000"))
        relapse = self.start("relapse", year=self.year)
        doing_well = self.exited(13, Decimal("9000"))
        with self.assertRaisesMessage(ValidationError, "仍达到"):
            engine.add_case(by=self.village_operator, batch=relapse, version=self.version(relapse), subject=doing_well)
        self.assertFalse(relapse.cases.filter(state=CaseState.ACTIVE).exists())

    def test_only_the_county_opens_and_closes_a_round_once_a_year(self):
        with self.assertRaises(PermissionDenied):
            adjustment.open_round(by=self.alice, region=self.region(COUNTY), year=self.year + 1)
        with self.assertRaisesMessage(ValidationError, "已经"):
            adjustment.open_round(by=self.county_operator, region=self.region(COUNTY), year=self.year)
        self.client.force_login(self.county_operator)
        response = self.client.post(reverse("procedures:adjustments"), {"region": COUNTY, "year": self.year + 1})
        self.assertEqual(response.status_code, 302)


def test_each_kind_declares_how_it_counts_in_the_round():
    from fupin.procedures.kinds import KINDS, adjusting_kinds

    assert [k.name for k in adjusting_kinds()] == ["identification", "exit", "relapse", "removal"]
    assert all(KINDS[name].register_change is None for name in KINDS if name.startswith("project_intake"))
    assert KINDS["exit"].register_change(2025) == {"poverty_status": PovertyStatus.EXITED, "exit_year": 2025}

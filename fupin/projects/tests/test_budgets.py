from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fupin.projects import budgets, funds
from fupin.projects.models import FundBudget
from fupin.test import COUNTY, TOWNSHIP_A, VILLAGE_A

from .base import ProjectTestCase


class BudgetTests(ProjectTestCase):
    def budget(self, by=None, **values) -> FundBudget:
        base = {"source_id": self.central.pk, "region_id": COUNTY, "year": 2024, "amount": Decimal("1000000")}
        return budgets.save_budget(by=by or self.county_operator, budget=None, values={**base, **values})

    def test_a_budget_is_entered_once_per_source_region_and_year(self):
        first = self.budget(document="财农〔2024〕1号")
        with self.assertRaises(ValidationError) as caught:
            self.budget()
        self.assertIn("source_id", caught.exception.message_dict)
        budgets.save_budget(by=self.county_operator, budget=first, values={"amount": Decimal("1200000")})
        first.refresh_from_db()
        self.assertEqual((first.amount, first.document), (Decimal("1200000"), "财农〔2024〕1号"))

    def test_bad_budgets_are_refused(self):
        for values, field in (
            ({"region_id": VILLAGE_A}, "region_id"),
            ({"amount": Decimal("-1")}, "amount"),
            ({"year": 2013}, "year"),
            ({"source_id": 9999}, "source_id"),
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError) as caught:
                self.budget(**values)
            self.assertIn(field, caught.exception.message_dict)
        with self.assertRaises(PermissionDenied):
            self.budget(by=self.alice)  # the county is above alice's township
        self.assertFalse(FundBudget.objects.exists())

    def test_each_source_shows_available_allocated_and_disbursed_for_the_year(self):
        self.budget()
        project = self.project()
        funds.allocate(by=self.alice, project=project, source_id=self.central.pk, amount=Decimal("400000"))
        funds.disburse(
            by=self.alice,
            project=project,
            source_id=self.central.pk,
            amount=Decimal("300000"),
            paid_on=dt.date(2024, 5, 1),
            voucher_no="记-1",
        )
        other_year = self.project(name="下年项目", year=2025)
        funds.allocate(by=self.alice, project=other_year, source_id=self.county_funds.pk, amount=Decimal("5"))
        central, total = budgets.by_source(self.county_operator, COUNTY, 2024)
        self.assertEqual(
            (central.source, central.available, central.allocated, central.unallocated, central.disbursed),
            (self.central, Decimal("1000000"), Decimal("400000"), Decimal("600000"), Decimal("300000")),
        )
        self.assertEqual((total.available, total.progress), (Decimal("1000000"), Decimal("30.0")))
        # the township's operator sees its projects, not the county's budget
        central, _total = budgets.by_source(self.alice, TOWNSHIP_A, 2024)
        self.assertEqual((central.available, central.allocated), (0, Decimal("400000")))

    def test_the_page_enters_and_shows_budgets(self):
        self.client.force_login(self.county_operator)
        response = self.client.post(
            reverse("projects:budget_create"),
            {"source_id": self.central.pk, "region_id": COUNTY, "year": 2024, "amount": "800000", "document": "豫财"},
        )
        self.assertRedirects(response, reverse("projects:fund_sources") + "?year=2024")
        page = self.client.get(reverse("projects:fund_sources"), {"year": 2024})
        self.assertContains(page, "800,000.00")
        self.assertContains(page, "豫财")
        refused = self.client.post(
            reverse("projects:budget_create"),
            {"source_id": self.central.pk, "region_id": VILLAGE_A, "year": 2024, "amount": "1"},
        )
        self.assertContains(refused, "接收资金的")

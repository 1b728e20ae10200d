"""The demo lets a newcomer finish what it starts: batch #1's notice has run its days, its objection can
be answered and the batch taken to the county's announcement; its households are listed by name; the
fund sources open on what is left, not a deficit; the history speaks of data, not command lines."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.models import User
from fupin.procedures import engine
from fupin.procedures.demo import walk
from fupin.procedures.models import Batch, BatchState, CaseState
from fupin.registry.models import Household
from fupin.test import seed_demo_county

ACTORS = ("village11_operator", "township1_operator", "township1_reviewer", "county_operator", "county_reviewer")


class DemoWalkTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo_county()

    def test_a_newcomer_answers_the_objection_and_takes_batch_1_to_the_end(self):
        batch = Batch.objects.get(procedure__kind="identification")
        operator = User.objects.get(username="village11_operator")
        [objection] = engine.current_notice(batch).objections.all()
        today = timezone.localdate()
        engine.answer_objection(
            by=operator,
            objection=objection,
            version=batch.version,
            finding="经核实，门面房为其兄所有",
            answer="异议不成立",
            upheld=False,
            answered_on=today,
        )
        batch.refresh_from_db()
        self.assertEqual(engine.blockers(batch, today), [])  # the notice has run its days
        batch = engine.complete_step(
            by=operator, batch=batch, version=batch.version, step_code=batch.step.code, done_on=today
        )
        self.assertEqual(batch.step.code, "township_review")  # today, past the village notice
        actors = [User.objects.get(username=name) for name in ACTORS]
        with time_machine.travel(timezone.now() + dt.timedelta(days=30)):  # the township's notice runs its days
            batch, _day = walk(batch, actors, today + dt.timedelta(days=1))
        self.assertEqual(batch.state, BatchState.CLOSED)
        self.assertEqual(batch.cases.filter(state=CaseState.APPROVED).count(), 3)

    def test_the_batch_lists_its_households_by_name(self):
        batch = Batch.objects.get(procedure__kind="identification")
        labels = list(batch.cases.values_list("subject_label", flat=True))
        self.assertEqual([label.split("（")[0] for label in labels], ["孙建国", "周秀英", "吴志强"])
        self.client.force_login(User.objects.get(username="village11_operator"))
        page = self.client.get(batch.get_absolute_url()).content.decode()
        self.assertIn("涉及 吴志强（", page)

    def test_the_fund_sources_open_on_what_is_left(self):
        self.client.force_login(User.objects.get(username="county_operator"))
        year = timezone.localdate().year
        lines = self.client.get(reverse("projects:fund_sources") + f"?year={year}").context["lines"]
        self.assertTrue(lines)
        self.assertTrue(
            all(line.unallocated >= 0 for line in lines), [(line.source, line.unallocated) for line in lines]
        )

    def test_the_history_speaks_of_data_not_command_lines(self):
        household = Household.objects.filter(household_no__startswith="4117").first()
        self.client.force_login(User.objects.get(username="county_operator"))
        page = self.client.get(household.get_absolute_url()).content.decode()
        self.assertNotIn("generate_households", page)
        self.assertIn("演示数据（系统生成）", page)

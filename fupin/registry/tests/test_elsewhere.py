"""No cross-region oracle: a person registered outside the user's jurisdiction is named to them only as
"registered elsewhere", such lookups are audited and limited, and an import says no more."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.audit import display
from fupin.audit.models import AuditEvent, EventType
from fupin.registry import actions, elsewhere
from fupin.test import MEMBER_DEFAULTS, VILLAGE_A, VILLAGE_B, BaseTestCase, make_household, person_id
from fupin.transfer import pipeline
from fupin.transfer.spec import get_spec

SECRET = person_id("1966-06-06", 17)


class ElsewhereTestCase(BaseTestCase):
    def setUp(self):
        self.theirs = make_household(
            self.bob, village=VILLAGE_B, household_no="B1", members=[{"name": "隐秘户主", "id_number": SECRET}]
        )
        self.ours = make_household(
            self.alice, household_no="A1", members=[{"name": "本乡户主", "id_number": person_id("1970-01-01", 11)}]
        )

    def add(self, by, id_number=SECRET):
        values = {**MEMBER_DEFAULTS, "name": "某人", "id_number": id_number, "relation_to_head": "10"}
        return actions.add_member(by=by, household=self.ours, values=values)

    def lookups(self):
        return AuditEvent.objects.filter(event_type=EventType.SENSITIVE_VIEW, changes__lookup=elsewhere.LOOKUP)

    def test_outside_the_jurisdiction_the_form_says_only_elsewhere_and_the_lookup_is_recorded(self):
        self.client.force_login(self.alice)
        url = reverse("registry:member_create", args=[self.ours.pk])
        data = {f"{k}": v for k, v in MEMBER_DEFAULTS.items() if not isinstance(v, list)}
        data.update(name="某人", id_number=SECRET, relation_to_head="10", health_status=["01"])
        response = self.client.post(url, data)
        page = response.content.decode()
        self.assertIn("此人已在您管辖范围以外的户中登记", page)
        for detail in ("B1", "隐秘户主", self.theirs.region.name):
            self.assertNotIn(detail, page)
        [event] = self.lookups()
        self.assertEqual((event.actor, event.changes["id_number"]), (self.alice, id_numbers_masked(SECRET)))
        self.assertEqual(dict(display.rows(event))["查询"], "管辖范围以外的已登记人员")
        self.assertEqual(self.ours.members.count(), 1)

    def test_the_county_sees_which_household_it_is(self):
        with self.assertRaisesMessage(ValidationError, "B1"):
            self.add(self.county_operator)
        self.assertFalse(self.lookups().exists())

    def test_after_too_many_lookups_in_an_hour_nothing_more_is_looked_up(self):
        for _n in range(elsewhere.LOOKUPS_PER_HOUR):
            with self.assertRaises(ValidationError):
                self.add(self.alice)
        with self.assertRaisesMessage(ValidationError, "暂停一小时"):
            self.add(self.alice, id_number=person_id("1990-01-01", 19))  # even a person registered nowhere
        self.assertEqual(self.lookups().count(), elsewhere.LOOKUPS_PER_HOUR)

    def import_rows(self, ids: list[str]):
        spec = get_spec("households")
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(spec.headers)
        for n, id_number in enumerate(ids):
            row = {"户编号": f"N{n}", "行政村代码": VILLAGE_A, "贫困户属性": "一般贫困户", "主要致贫原因": "因病"}
            row |= {"姓名": f"人{n}", "证件号码": id_number, "与户主关系": "户主"}
            writer.writerow([row.get(h, "") for h in spec.headers])
        batch = pipeline.stage(spec=spec, filename="x.csv", content=buffer.getvalue().encode(), by=self.alice)
        return [(r.row_no, r.errors) for r in batch.rows.exclude(errors={})]

    def test_an_import_names_no_household_outside_the_jurisdiction(self):
        [(row_no, errors)] = self.import_rows([SECRET])
        self.assertEqual(errors, {"证件号码": elsewhere.outside_message()})

    def test_an_import_of_many_such_people_does_not_say_which(self):
        bobs = [person_id("1980-01-01", 21 + 2 * n) for n in range(elsewhere.LOOKUPS_PER_HOUR + 1)]
        make_household(
            self.bob,
            village=VILLAGE_B,
            household_no="B2",
            members=[
                {"name": f"乙{n}", "id_number": i, "relation_to_head": "01" if n == 0 else "10"}
                for n, i in enumerate(bobs)
            ],
        )
        marked = self.import_rows(bobs)
        self.assertEqual(len(marked), 1)
        self.assertIn("21 人已在您管辖范围以外", marked[0][1][""])


def id_numbers_masked(number: str) -> str:
    from fupin.registry.id_numbers import mask

    return mask(number)

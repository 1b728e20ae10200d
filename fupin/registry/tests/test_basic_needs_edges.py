"""Education and housing edges of 两不愁三保障: a school-age child is secured only by a compulsory-school
status or an approved exception (送教上门, 休学); a relocated household that has moved in, or a house
whose renovation is accepted, has secure housing whatever the old grade."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from fupin.registry import basic_needs
from fupin.registry.models import Household, Member

ON = dt.date(2026, 9, 1)


class EducationEdgeTests(TestCase):
    def test_only_a_compulsory_school_status_or_an_approved_exception_secures_a_school_age_child(self):
        for age, status, secured, shown in (
            (12, "04", True, None),  # 七年级
            (12, "17", True, None),  # 送教上门
            (12, "18", True, None),  # 休学（经批准）
            (12, "16", False, "孩子，12岁，在校生状况：大专及以上。"),  # not a status a 12-year-old can hold
            (12, "01", False, "孩子，12岁，在校生状况：非在校生。"),
            (6, "02", True, None),  # preschool at six
            (9, "02", False, "孩子，9岁，在校生状况：学前教育。"),
            (15, "07", True, None),  # 高中一年级 at fifteen: nine years done
            (10, "07", False, "孩子，10岁，在校生状况：高中一年级。"),
        ):
            with self.subTest(age=age, status=status):
                child = Member(name="孩子", birth_date=dt.date(ON.year - age, 1, 1), school_status=status)
                item = basic_needs._education([child], ON)
                self.assertEqual(item.status, "ok" if secured else "problem")
                if shown:
                    self.assertEqual([str(e) for e in item.evidence], [shown])


class HousingEdgeTests(TestCase):
    def test_a_d_grade_house_is_unsafe_until_it_is_renovated_or_the_household_moves_in(self):
        old = {"housing_grade": "D", "is_unsafe_housing": True}
        self.assertEqual(basic_needs._housing(Household(**old), ON).status, "problem")
        renovated = Household(**old, housing_renovated_on=dt.date(2026, 5, 1))
        item = basic_needs._housing(renovated, ON)
        self.assertEqual(
            (item.status, str(item.evidence[0])), ("ok", "原危房（等级：D级）已改造，于 2026-05-01 竣工验收。")
        )
        self.assertEqual(basic_needs._housing(renovated, dt.date(2026, 4, 30)).status, "problem")  # not yet
        moved = Household(**old, is_relocated=True, relocation_moved_in_on=dt.date(2025, 12, 20))
        item = basic_needs._housing(moved, ON)
        self.assertEqual((item.status, str(item.evidence[0])), ("ok", "易地扶贫搬迁：已于 2025-12-20 搬迁入住。"))

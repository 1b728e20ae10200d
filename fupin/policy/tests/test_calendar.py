"""Working days: weekends, public holidays and the weekend days worked in exchange (调休)."""

from __future__ import annotations

import datetime as dt

from django.test import SimpleTestCase
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from fupin.audit.models import AuditEvent
from fupin.policy import calendar
from fupin.policy.models import CalendarDay
from fupin.test import BaseTestCase

FRI = dt.date(2026, 9, 25)  # a Friday
NATIONAL_DAY = {dt.date(2026, 10, d): False for d in range(1, 8)} | {dt.date(2026, 10, 10): True}  # Sat worked


class WorkingDaysTestCase(SimpleTestCase):
    def test_a_weekend_is_skipped(self):
        self.assertEqual(calendar.add_working_days(FRI, 1, {}), dt.date(2026, 9, 28))  # Monday
        self.assertEqual(calendar.add_working_days(FRI, 2, {}), dt.date(2026, 9, 29))

    def test_holidays_are_skipped_and_a_worked_saturday_counts(self):
        wednesday = dt.date(2026, 9, 30)
        self.assertEqual(calendar.add_working_days(wednesday, 1, NATIONAL_DAY), dt.date(2026, 10, 8))
        self.assertEqual(calendar.add_working_days(wednesday, 3, NATIONAL_DAY), dt.date(2026, 10, 10))  # Saturday
        self.assertEqual(calendar.add_working_days(wednesday, 4, NATIONAL_DAY), dt.date(2026, 10, 12))

    def test_days_between_count_after_the_first_day_to_the_last(self):
        self.assertEqual(calendar.working_days_between(FRI, FRI, {}), 0)
        self.assertEqual(calendar.working_days_between(FRI, dt.date(2026, 9, 27), {}), 0)  # Sunday
        self.assertEqual(calendar.working_days_between(dt.date(2026, 9, 28), FRI, {}), -1)

    @given(
        start=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)),
        days=st.integers(min_value=1, max_value=40),
        off=st.sets(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 3, 31)), max_size=30),
    )
    def test_adding_n_working_days_lands_on_a_working_day_n_working_days_on(self, start, days, off):
        days_off = dict.fromkeys(off, False)
        end = calendar.add_working_days(start, days, days_off)
        self.assertTrue(calendar.is_working_day(end, days_off))
        self.assertEqual(calendar.working_days_between(start, end, days_off), days)


class CalendarPageTestCase(BaseTestCase):
    def test_the_national_administrator_keeps_the_calendar_audited(self):
        self.client.force_login(self.national)
        url = reverse("policy:calendar")
        response = self.client.post(url, {"day": "2026-10-01", "name": "国庆节", "is_working_day": ""}, follow=True)
        self.assertContains(response, "国庆节")
        day = CalendarDay.objects.get(day="2026-10-01")
        self.assertFalse(day.is_working_day)
        self.assertTrue(AuditEvent.objects.filter(target_type="policy.calendarday", target_id=str(day.pk)).exists())
        self.assertEqual(calendar.add_working_days(dt.date(2026, 9, 30), 1), dt.date(2026, 10, 2))
        self.client.post(url, {"delete": day.pk})
        self.assertFalse(CalendarDay.objects.exists())

    def test_a_county_administrator_reads_it_and_cannot_change_it(self):
        self.client.force_login(self.county_admin)
        self.assertEqual(self.client.get(reverse("policy:calendar")).status_code, 200)
        response = self.client.post(reverse("policy:calendar"), {"day": "2026-10-01", "name": "国庆节"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(CalendarDay.objects.exists())

    def test_a_bad_date_is_refused_at_the_top(self):
        self.client.force_login(self.national)
        response = self.client.post(reverse("policy:calendar"), {"day": "2026-13-01", "name": "x"})
        self.assertContains(response, 'data-testid="error-summary"')
        self.assertFalse(CalendarDay.objects.exists())

import datetime as dt

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from fupin.policy.models import PolicyValue
from fupin.procedures.notices import ends_on, period
from fupin.test import VILLAGE_A, BaseTestCase

days = st.integers(min_value=1, max_value=60)
dates = st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2030, 12, 31))


class EndsOnTestCase(SimpleTestCase):
    def test_the_posting_day_is_the_first_day(self):
        self.assertEqual(ends_on(dt.date(2016, 10, 10), 7), dt.date(2016, 10, 16))
        self.assertEqual(ends_on(dt.date(2016, 10, 10), 1), dt.date(2016, 10, 10))

    def test_working_days_skip_weekends(self):
        # Friday 2016-10-14: Fri, Mon, Tue, Wed, Thu → Thursday the 20th.
        self.assertEqual(ends_on(dt.date(2016, 10, 14), 5, counts_weekends=False), dt.date(2016, 10, 20))
        # Posted on a Saturday: counting starts on Monday.
        self.assertEqual(ends_on(dt.date(2016, 10, 15), 1, counts_weekends=False), dt.date(2016, 10, 17))

    @given(dates, days)
    def test_calendar_days_count_every_day(self, posted, n):
        self.assertEqual((ends_on(posted, n) - posted).days + 1, n)

    @given(dates, days)
    def test_working_days_count_n_weekdays_and_end_on_one(self, posted, n):
        last = ends_on(posted, n, counts_weekends=False)
        span = [posted + dt.timedelta(days=i) for i in range((last - posted).days + 1)]
        self.assertEqual(sum(1 for d in span if d.weekday() < 5), n)
        self.assertLess(last.weekday(), 5)


class PeriodTestCase(BaseTestCase):
    def test_a_province_sets_its_own_days_and_working_days(self):
        PolicyValue.objects.create(name="notice_days", region_code="41", year=2018, value=5)
        PolicyValue.objects.create(name="notice_counts_weekends", region_code="41", year=2018, value=0)
        count, weekends, last, applied = period(dt.date(2019, 3, 1), VILLAGE_A)  # a Friday
        self.assertEqual((count, weekends, last), (5, False, dt.date(2019, 3, 7)))
        self.assertEqual([a.region_code for a in applied], ["41", "41"])
        self.assertEqual(period(dt.date(2017, 3, 1), VILLAGE_A)[:3], (7, True, dt.date(2017, 3, 7)))

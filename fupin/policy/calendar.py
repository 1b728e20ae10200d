"""Working days for deadlines ("within 2 working days"): Monday to Friday, less the public holidays the
calendar lists, plus the weekend days it lists as worked (调休). A deadline of N working days from a
day is the Nth working day after it; the day itself does not count."""

from __future__ import annotations

import datetime as dt

from .models import CalendarDay

ONE_DAY = dt.timedelta(days=1)


def load() -> dict[dt.date, bool]:
    """The calendar's exceptions, read once by a caller that counts many deadlines."""
    return dict(CalendarDay.objects.values_list("day", "is_working_day"))


def is_working_day(day: dt.date, calendar: dict[dt.date, bool] | None = None) -> bool:
    calendar = load() if calendar is None else calendar
    return calendar.get(day, day.weekday() < 5)


def add_working_days(start: dt.date, days: int, calendar: dict[dt.date, bool] | None = None) -> dt.date:
    calendar = load() if calendar is None else calendar
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        counted += is_working_day(day, calendar)
    return day


def working_days_between(start: dt.date, end: dt.date, calendar: dict[dt.date, bool] | None = None) -> int:
    """How many working days after `start` up to and including `end` (negative when `end` is earlier)."""
    calendar = load() if calendar is None else calendar
    if end < start:
        return -working_days_between(end, start, calendar)
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_working_day(day, calendar)
    return count

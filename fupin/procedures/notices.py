"""Public notice periods: a notice of N days posted on day D runs D … its Nth counted day.

The posting day is the first day (a 7-day notice posted on 10 October runs to 16 October). Where
the province says weekends do not count, only Monday to Friday are counted; public holidays are
not modelled.
"""

from __future__ import annotations

import datetime as dt

from fupin.policy.items import Name
from fupin.policy.values import Applied, resolve


def ends_on(posted_on: dt.date, days: int, counts_weekends: bool = True) -> dt.date:
    if days < 1:
        raise ValueError("a notice runs at least one day")
    if counts_weekends:
        return posted_on + dt.timedelta(days=days - 1)
    day, counted = posted_on, 0
    while True:
        if day.weekday() < 5:
            counted += 1
            if counted == days:
                return day
        day += dt.timedelta(days=1)


def period(
    posted_on: dt.date, region_code: str, days_item: str = Name.NOTICE_DAYS
) -> tuple[int, bool, dt.date, list[Applied]]:
    """Days, whether weekends count, the last day, and the policy values that decided them.
    `days_item` is the policy item of the kind's notices (project intake runs 10 days)."""
    days = resolve(days_item, posted_on.year, region_code)
    weekends = resolve(Name.NOTICE_COUNTS_WEEKENDS, posted_on.year, region_code)
    count = int(days.value)
    return count, weekends.flag, ends_on(posted_on, count, weekends.flag), [days, weekends]

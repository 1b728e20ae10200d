"""Progress indicators and alerts over a set of projects, as of a day (domain.md §7.3).

- start rate = projects started ÷ projects planned to start by the day (those whose planned start is
  on or before it); completion rate likewise with completion.
- disbursement progress = disbursed ÷ total investment, and also disbursed ÷ allocated. Measured only
  against allocations, a county whose allocations are smaller than its investment looks further
  ahead than it is, so pages show both and lead with total investment.
- alerts: past the planned start and not started; past the planned completion and not completed;
  behind on payments: halfway through the planned period with less than half the investment paid,
  or past the planned completion with less than the policy's `disbursement_due_share`.

Every figure is a condition on the project row (FLAGS), so the dispatch table counts with one GROUP
BY and each count links to the list filtered by the same condition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from fupin.policy.items import Name
from fupin.policy.values import value_by_region
from fupin.regions import tables

from .models import Category, Project

ZERO = Decimal(0)


def _behind(day: dt.date) -> Q:
    halfway = Q(planned_midpoint_on__lte=day, disbursed__lt=F("total_investment") / 2)
    overdue = Q(planned_completion_on__lt=day, disbursed__lt=F("total_investment") * F("due_share") / 100)
    return halfway | overdue


FLAGS: dict[str, Callable[[dt.date], Q]] = {
    "industrial": lambda day: Q(category=Category.INDUSTRIAL),
    "due_to_start": lambda day: Q(planned_start_on__lte=day),
    "started_as_planned": lambda day: Q(planned_start_on__lte=day, started_on__isnull=False),
    "due_to_complete": lambda day: Q(planned_completion_on__lte=day),
    "completed_as_planned": lambda day: Q(planned_completion_on__lte=day, completed_on__isnull=False),
    "late_start": lambda day: Q(planned_start_on__lt=day, started_on__isnull=True),
    "late_completion": lambda day: Q(planned_completion_on__lt=day, completed_on__isnull=True),
    "behind_payments": _behind,
}
ALERTS = ("late_start", "late_completion", "behind_payments")
FLAG_LABELS = {
    "industrial": _("industrial projects"),
    "due_to_start": _("planned to start by today"),
    "started_as_planned": _("of those, started"),
    "due_to_complete": _("planned to complete by today"),
    "completed_as_planned": _("of those, completed"),
    "late_start": _("past the planned start, not started"),
    "late_completion": _("past the planned completion, not completed"),
    "behind_payments": _("behind on payments"),
}


def with_due_share(projects: QuerySet[Project], day: dt.date) -> QuerySet[Project]:
    """The projects with `due_share`, the payment share their county's policy expects by completion."""
    return projects.annotate(due_share=value_by_region(Name.DISBURSEMENT_DUE_SHARE, day.year, "region_id"))


def flagged(projects: QuerySet[Project], flag: str, day: dt.date) -> QuerySet[Project]:
    return with_due_share(projects, day).filter(FLAGS[flag](day))


def _aggregates(day: dt.date) -> dict:
    money = {"output_field": Project._meta.get_field("disbursed")}
    return {
        "projects": Count("pk"),
        "sum_investment": Coalesce(Sum("total_investment"), Value(ZERO), **money),
        "sum_allocated": Coalesce(Sum("allocated"), Value(ZERO), **money),
        "sum_disbursed": Coalesce(Sum("disbursed"), Value(ZERO), **money),
        "sum_households": Coalesce(Sum("linked_households"), 0),
        **{flag: Count("pk", filter=condition(day)) for flag, condition in FLAGS.items()},
    }


class ProjectRow(tables.TableRow):
    """One line of the dispatch table: a region (or the level's own projects) and its figures."""

    @property
    def start_rate(self):
        return self.rate("started_as_planned", "due_to_start")

    @property
    def completion_rate(self):
        return self.rate("completed_as_planned", "due_to_complete")

    @property
    def progress_of_investment(self):
        return self.rate("sum_disbursed", "sum_investment")

    @property
    def progress_of_allocation(self):
        return self.rate("sum_disbursed", "sum_allocated")


# Every figure of a row before any project is counted (the money sums in yuan, the rest counts).
ZEROS = {name: ZERO if name.startswith("sum_") else 0 for name in _aggregates(dt.date.min)}


def totals(projects: QuerySet[Project], day: dt.date) -> ProjectRow:
    return ProjectRow("", with_due_share(projects, day).aggregate(**_aggregates(day)))


def figures(projects: QuerySet[Project], day: dt.date) -> tables.Figures:
    """What the dispatch table counts: every indicator of the projects, by the region they are in."""
    return tables.Figures(with_due_share(projects, day), _aggregates(day))

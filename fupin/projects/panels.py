"""The household page's panel of the projects that benefit the household."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fupin.registry import panels
from fupin.registry.models import Household


def links_panel(household: Household, day: dt.date) -> dict[str, Any]:
    return {"project_links": household.project_links.select_related("project")}


def register_panels() -> None:
    panels.register(name="projects", order=400, template="projects/_household_links.html", context=links_panel)

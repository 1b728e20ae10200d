"""The household page (一户一档) shows what other capabilities know of the household as panels they
register here, so that the register never imports the capabilities built on top of it.

A capability registers each panel in its `AppConfig.ready`: a name (the card's id on the page), an
order, a partial template and a function giving the template's context for the household on a day
(today, or the day the page is read "as of"). The page renders them in their order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import Household


@dataclass(frozen=True)
class Panel:
    name: str
    order: int
    template: str
    context: Callable[[Household, dt.date], Mapping[str, Any]]


_PANELS: dict[str, Panel] = {}


def register(*, name: str, order: int, template: str, context: Callable[[Household, dt.date], Mapping[str, Any]]):
    """Add a panel to the household page; registering the same name again replaces it."""
    _PANELS[name] = Panel(name=name, order=order, template=template, context=context)


def registered() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.name))


def render_panels(request, household: Household, day: dt.date, as_of: dt.date | None) -> list[SafeString]:
    """Each registered panel rendered for `household` as it stood on `day` (`as_of` when the page is
    read as of a past day, so a panel can hide what only applies to today's record)."""
    base = {"household": household, "as_of": as_of}
    return [
        render_to_string(panel.template, {**base, **panel.context(household, day)}, request=request)
        for panel in registered()
    ]

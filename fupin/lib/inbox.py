"""The to-do inbox (我的待办): what waits for a user, gathered from the capabilities that know it.

Each capability registers a source in its `AppConfig.ready`: a function that, for a user, lists the
items waiting for them, derived from its own records (a step at the user's role, an objection not yet
answered, an import checked and not yet committed). Nothing is stored here, so an item goes away by
itself once what it points to is done. The inbox page and the menu's count read every source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Item:
    title: str  # what is to be done
    subject: str  # what it is about (a batch, a household, an import)
    url: str  # where it is done
    since: dt.date  # since when it waits
    due: dt.date | None = None  # by when, where a period runs out


@dataclass(frozen=True)
class Source:
    name: str
    label: Promise
    order: int
    items: Callable[[object, dt.date], Iterable[Item]]  # (user, today) -> items


_SOURCES: dict[str, Source] = {}


def register(*, name: str, label: Promise, order: int, items: Callable[[object, dt.date], Iterable[Item]]) -> None:
    _SOURCES[name] = Source(name=name, label=label, order=order, items=items)


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.name))


def gather(user, today: dt.date) -> list[tuple[Source, list[Item]]]:
    """Each source with the items waiting for `user`: those with the nearest deadline first, then the
    oldest; sources with nothing are left out."""
    found = []
    for source in sources():
        items = sorted(source.items(user, today), key=lambda item: (item.due or dt.date.max, item.since))
        if items:
            found.append((source, items))
    return found

"""What a cadre can do for a paired household from their phone page besides logging a visit: a
capability above adds its action (a label, a URL taking the household's id, the permission it needs)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class HouseholdAction:
    label: Promise
    url_name: str  # reversed with the household's pk
    icon: str
    perm: str


_ACTIONS: list[HouseholdAction] = []


def register(action: HouseholdAction) -> None:
    if action not in _ACTIONS:
        _ACTIONS.append(action)


def for_user(user) -> list[HouseholdAction]:
    return [action for action in _ACTIONS if user.has_perm(action.perm)]

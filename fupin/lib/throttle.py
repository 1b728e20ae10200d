"""A count of attempts per key in a window, in the shared cache: enough to slow a flood of public
submissions from one address (or about one ID number) without a login to tie them to."""

from __future__ import annotations

from django.core.cache import cache


def allow(scope: str, key: str, limit: int, seconds: int) -> bool:
    """Count one attempt for `key` and say whether it is within `limit` attempts per `seconds`."""
    name = f"throttle:{scope}:{key}"
    if cache.add(name, 1, timeout=seconds):
        return limit >= 1
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=seconds)
        count = 1
    return count <= limit

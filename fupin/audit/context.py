"""The client address of the request being handled, for audit rows written deep inside actions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_ip: ContextVar[str | None] = ContextVar("fupin_audit_ip", default=None)


def current_ip() -> str | None:
    return _ip.get()


def set_ip(ip: str | None):
    return _ip.set(ip)


def reset_ip(token) -> None:
    _ip.reset(token)


@contextmanager
def requested_from(ip: str | None) -> Iterator[None]:
    """Audit rows written inside carry `ip`: work done later for a request (a background job)."""
    token = _ip.set(ip)
    try:
        yield
    finally:
        _ip.reset(token)

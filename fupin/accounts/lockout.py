"""Lockout after repeated failed logins, read from the audit trail rather than kept as extra state.

A username is locked while it has FUPIN_LOCKOUT_ATTEMPTS failed logins within the last
FUPIN_LOCKOUT_MINUTES, counting only failures after its last successful login or unlock. An address
is blocked while FUPIN_ADDRESS_ATTEMPTS failed logins came from it in that time, whatever the
usernames tried (one address trying many accounts); its further attempts are refused unread and
write no audit row, so that they cannot flood the trail either.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from fupin.audit.models import AuditEvent, EventType

RESETS = (EventType.LOGIN_SUCCEEDED, EventType.ACCOUNT_UNLOCKED)


def _since(username: str) -> datetime:
    window_start = timezone.now() - timedelta(minutes=settings.FUPIN_LOCKOUT_MINUTES)
    last_reset = AuditEvent.objects.filter(target_repr=username, event_type__in=RESETS).aggregate(at=Max("at"))["at"]
    return max(window_start, last_reset) if last_reset else window_start


def recent_failures(username: str) -> int:
    return AuditEvent.objects.filter(
        target_repr=username, event_type=EventType.LOGIN_FAILED, at__gt=_since(username)
    ).count()


def is_locked(username: str) -> bool:
    return recent_failures(username) >= settings.FUPIN_LOCKOUT_ATTEMPTS


def address_blocked(ip: str | None) -> bool:
    if not ip:
        return False
    window_start = timezone.now() - timedelta(minutes=settings.FUPIN_LOCKOUT_MINUTES)
    failures = AuditEvent.objects.filter(ip=ip, event_type=EventType.LOGIN_FAILED, at__gt=window_start)
    return failures.count() >= settings.FUPIN_ADDRESS_ATTEMPTS

"""The administrators' second factor (等保 第三级: two kinds of authentication for administrators): a
time-based one-time password (RFC 6238, pyotp) from any authenticator app, offline.

An administrator enrols at their first login after the password (a QR code, or the key typed in), and
from then on gives the current six-digit code after the password at every login. A code is accepted
once (its time step is kept), wrong codes count towards the account's lockout like wrong passwords,
and a lost phone is handled by an administrator of the level above resetting the enrolment.
"""

from __future__ import annotations

import hmac

import pyotp
import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from fupin.audit.actions import record_event
from fupin.audit.models import EventType

from . import actions
from .models import User
from .roles import ADMIN_ROLES

SESSION_KEY = "fupin_second_factor"  # set in the session once the code was given
ISSUER = "精准扶贫信息管理系统"


def required(user) -> bool:
    return settings.FUPIN_ADMIN_SECOND_FACTOR and user.is_authenticated and user.role in ADMIN_ROLES


def passed(request) -> bool:
    return bool(request.session.get(SESSION_KEY))


def enrolled(user: User) -> bool:
    return user.totp_confirmed_at is not None


def secret_for_enrolment(user: User) -> str:
    """The key to enrol with: made once and kept until it is confirmed (a reload shows the same QR code)."""
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        if User.objects.filter(pk=user.pk, totp_confirmed_at__isnull=True).update(totp_secret=user.totp_secret):
            record_event(
                actor=user,
                event_type=EventType.UPDATE,
                target=user,
                region_code=user.region_code,
                changes={"second_factor_key": "issued"},
            )
    return user.totp_secret


def qr_svg(user: User) -> str:
    uri = pyotp.TOTP(secret_for_enrolment(user)).provisioning_uri(name=user.username, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#212529")


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code is `code` (the current one, or one step either side for clock drift)."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = int(timezone.now().timestamp())
    for step in (now // totp.interval + d for d in (0, -1, 1)):
        if hmac.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


@transaction.atomic
def verify(request, code: str) -> bool:
    """Check the code of the signed-in user; on success the session has passed the second factor and the
    login is recorded, on failure the failure counts towards the lockout."""
    user = request.user
    step = _matching_step(user.totp_secret, code.strip()) if user.totp_secret else None
    # each code once: the step must be later than the last one accepted (a conditional update, so that
    # two requests racing with one code cannot both pass)
    if step is None or not User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(totp_last_step=step):
        actions.record_login_failure(username=user.username, reason="second_factor")
        return False
    if not enrolled(user):
        User.objects.filter(pk=user.pk).update(totp_confirmed_at=timezone.now())
        _record_enrolment(by=user, user=user, enrolled=True)
    user.refresh_from_db()
    request.session.cycle_key()
    request.session[SESSION_KEY] = True
    actions.record_login(user=user, second_factor=True)
    return True


@transaction.atomic
def reset(*, by: User, user: User) -> None:
    """An administrator of the level above clears a lost enrolment: the user enrols again at the next login."""
    if not actions.may_manage(by, user):
        raise PermissionDenied
    User.objects.filter(pk=user.pk).update(totp_secret="", totp_confirmed_at=None, totp_last_step=0)
    _record_enrolment(by=by, user=user, enrolled=False)


def _record_enrolment(*, by: User, user: User, enrolled: bool) -> None:
    changes = {"second_factor": [not enrolled, enrolled]}
    record_event(actor=by, event_type=EventType.UPDATE, target=user, region_code=user.region_code, changes=changes)

"""Everything that changes a user or a login session, each with its audit event."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import access
from fupin.audit.actions import diff, record_event, snapshot
from fupin.audit.models import EventType
from fupin.regions.models import Region

from . import validators
from .models import User
from .roles import ADMIN_ROLES, Perm, spec

EDITABLE_FIELDS = ("full_name", "phone", "role", "region_id", "is_active")


def check_placement(*, by: User, role: str, region: Region | None) -> None:
    """Raise unless `by` may give `role` at `region`: inside their subtree, at a level the role allows."""
    if role not in spec(by.role).grants:
        raise ValidationError({"role": _("You may not grant this role.")})
    role_spec = spec(role)
    if region is None:
        if not (role_spec.national and access.region_prefix(by) == ""):
            raise ValidationError({"region": _("Choose a region for this user.")})
        return
    if not access.covers(by, region.code):
        raise ValidationError({"region": access.NOT_VISIBLE})
    if region.level not in role_spec.levels:
        levels = "、".join(
            str(label) for value, label in Region._meta.get_field("level").choices if value in role_spec.levels
        )
        raise ValidationError(
            {"region": _("This role must be placed at a region of level: %(levels)s.") % {"levels": levels}}
        )


def outranks(by: User, user: User) -> bool:
    """Whether `by` stands above `user`: `user` lies strictly below `by`'s region, or at it without an
    administrator's role. A peer administrator's account is changed only from the level above, and
    nobody changes their own account through these screens."""
    if user.pk == by.pk or not access.covers(by, user.region_code):
        return False
    return user.region_code != by.region_code or user.role not in ADMIN_ROLES


def may_manage(by: User, user: User) -> bool:
    return by.has_perm(Perm.MANAGE_USERS) and outranks(by, user)


def may_unlock(by: User, user: User) -> bool:
    return by.has_perm(Perm.UNLOCK_ACCOUNTS) and outranks(by, user)


def _check_manager(by: User, user: User | None = None) -> None:
    if not by.has_perm(Perm.MANAGE_USERS):
        raise PermissionDenied
    if user is not None and not may_manage(by, user):
        raise PermissionDenied


def _set_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise ValidationError({"password": e.messages}) from e
    user.set_password(password)


@transaction.atomic
def create_user(
    *, by: User, username: str, password: str, full_name: str, role: str, region: Region | None, phone: str = ""
) -> User:
    _check_manager(by)
    check_placement(by=by, role=role, region=region)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(
        username=username,
        full_name=full_name,
        phone=phone,
        role=role,
        region=region,
        must_change_password=True,
        created_by=by,
    )
    _set_password(user, password)
    user.save(force_insert=True)
    validators.remember(user)
    record_event(
        actor=by,
        event_type=EventType.CREATE,
        target=user,
        region_code=user.region_code,
        changes=diff({}, snapshot(user, EDITABLE_FIELDS)),
    )
    return user


@transaction.atomic
def update_user(
    *, by: User, user: User, full_name: str, phone: str, role: str, region: Region | None, is_active: bool
) -> User:
    _check_manager(by, user)
    before = snapshot(user, EDITABLE_FIELDS)
    if role != user.role or region != user.region:
        check_placement(by=by, role=role, region=region)
    user.full_name, user.phone, user.role, user.region, user.is_active = full_name, phone, role, region, is_active
    changes = diff(before, snapshot(user, EDITABLE_FIELDS))
    if changes:
        user.save(update_fields=["full_name", "phone", "role", "region", "is_active"])
        record_event(actor=by, event_type=EventType.UPDATE, target=user, region_code=user.region_code, changes=changes)
    return user


def _record_for(user: User | None, *, actor, event_type: EventType, username: str = "", changes=None) -> None:
    """An audit row about a user account: keyed by username, so that lockout can count it."""
    record_event(
        actor=actor,
        event_type=event_type,
        target=user,
        target_repr=user.username if user else username,
        region_code=user.region_code if user else "",
        changes=changes,
    )


def _store_password(user: User, password: str, *, temporary: bool) -> None:
    _set_password(user, password)
    user.must_change_password = temporary
    user.save(update_fields=["password", "must_change_password"])
    validators.remember(user)


@transaction.atomic
def reset_password(*, by: User, user: User, password: str) -> None:
    """An administrator sets a temporary password; the user must change it at the next login."""
    _check_manager(by, user)
    _store_password(user, password, temporary=True)
    _record_for(user, actor=by, event_type=EventType.PASSWORD_CHANGED, changes={"temporary": True})


@transaction.atomic
def reset_password_at_console(*, user: User, password: str) -> None:
    """A temporary password set from the server's command line (the demo's known password, or the
    national administrator, who has no level above): audited with no actor."""
    _store_password(user, password, temporary=True)
    _record_for(user, actor=None, event_type=EventType.PASSWORD_CHANGED, changes={"temporary": True, "console": True})


@transaction.atomic
def change_own_password(*, user: User, password: str) -> None:
    try:
        validators.check_not_reused(password, user, settings.FUPIN_PASSWORD_HISTORY)
    except ValidationError as e:
        raise ValidationError({"password": e.messages}) from e
    _store_password(user, password, temporary=False)
    _record_for(user, actor=user, event_type=EventType.PASSWORD_CHANGED)


@transaction.atomic
def unlock(*, by: User, user: User) -> None:
    if not may_unlock(by, user):
        raise PermissionDenied
    _record_for(user, actor=by, event_type=EventType.ACCOUNT_UNLOCKED)


def record_login(*, user: User, second_factor: bool = False) -> None:
    changes = {"second_factor": "totp"} if second_factor else None
    _record_for(user, actor=user, event_type=EventType.LOGIN_SUCCEEDED, changes=changes)
    _expire_old_admin_password(user)


def record_password_accepted(*, user: User) -> None:
    """The password of a user who must also give a second factor: not yet a login (nor a reset of the
    count of failures, so that wrong codes lock the account like wrong passwords)."""
    _record_for(user, actor=user, event_type=EventType.PASSWORD_ACCEPTED)


def _expire_old_admin_password(user: User) -> None:
    """An administrator whose password is older than FUPIN_ADMIN_PASSWORD_DAYS must change it now."""
    if user.role not in ADMIN_ROLES or user.must_change_password:
        return
    last = user.password_history.first()
    if last is not None and timezone.now() - last.created_at > dt.timedelta(days=settings.FUPIN_ADMIN_PASSWORD_DAYS):
        user.must_change_password = True
        user.save(update_fields=["must_change_password"])
        _record_for(user, actor=None, event_type=EventType.UPDATE, changes={"must_change_password": [False, True]})


def record_login_failure(*, username: str, reason: str) -> None:
    user = User.objects.filter(username=username).first()
    _record_for(user, actor=None, event_type=EventType.LOGIN_FAILED, username=username, changes={"reason": reason})


def record_logout(*, user: User) -> None:
    _record_for(user, actor=user, event_type=EventType.LOGOUT)

"""The audit trail: one append-only, hash-chained table of who did what, where and when.

Each row's hash covers its content and the previous row's hash, and row ids are gapless, so
`verify_audit` finds the first row that was altered, removed or inserted out of order. The hash is an
HMAC keyed with `FUPIN_AUDIT_KEY`, kept outside the database: whoever can write to the database
cannot recompute it. Rows written before the key existed carry a plain SHA-256 and are accepted only
before the first keyed row. Removing the newest rows is found against a head exported earlier.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.lib.ledger import AppendOnlyError

GENESIS_HASH = "0" * 64


class EventType(models.TextChoices):
    """What happened. Values are never reused or renamed: old rows keep their meaning."""

    LOGIN_SUCCEEDED = "login_succeeded", _("login succeeded")
    LOGIN_FAILED = "login_failed", _("login failed")
    LOGOUT = "logout", _("logout")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    ACCOUNT_UNLOCKED = "account_unlocked", _("account unlocked")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    SENSITIVE_VIEW = "sensitive_view", _("view of sensitive data")
    IMPORT = "import", _("import")
    ACCESS_DENIED = "access_denied", _("write refused")
    PASSWORD_ACCEPTED = "password_accepted", _("password accepted, second factor asked")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    # id is the position in the chain: assigned from ChainHead.seq, gapless.
    id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    event_type = models.CharField(_("action"), max_length=32, choices=EventType.choices)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=200, blank=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()
    region_scope = "region_code"

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [
            # the audit page filters a region subtree: region_code LIKE '4117%'
            models.Index(fields=["region_code"], opclasses=["varchar_pattern_ops"], name="audit_region_prefix"),
            # lockout counts recent failed logins of one username
            models.Index(fields=["target_repr", "event_type", "at"], name="audit_login_attempts"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.event_type} {self.target_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def compute_hash(self, *, keyed: bool = True) -> str:
        payload = [
            self.id,
            self.at.isoformat(),
            self.actor_id,
            self.actor_name,
            self.event_type,
            self.ip,
            self.target_type,
            self.target_id,
            self.target_repr,
            self.region_code,
            self.changes,
            self.prev_hash,
        ]
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
        if keyed:
            return hmac.new(settings.FUPIN_AUDIT_KEY.encode("utf-8"), text, hashlib.sha256).hexdigest()
        return hashlib.sha256(text).hexdigest()

    def seal(self) -> str:
        """How the stored hash was made: "keyed", "plain" (before the key existed) or "" (neither: altered)."""
        if hmac.compare_digest(self.compute_hash(), self.hash):
            return "keyed"
        return "plain" if hmac.compare_digest(self.compute_hash(keyed=False), self.hash) else ""


class ChainHead(models.Model):
    """The single row holding the chain's last position and hash.

    Every append updates it first, which takes a write lock on both SQLite and PostgreSQL, so
    concurrent appends are serialized and the chain never forks.
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash[:12]}"

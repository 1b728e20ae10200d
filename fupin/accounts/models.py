from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from fupin.regions.models import full_name_of

from .roles import Role, spec


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **fields) -> User:
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields) -> User:
        """`manage.py createsuperuser`: a national system administrator."""
        fields.setdefault("role", Role.SYSTEM_ADMIN)
        fields.setdefault("must_change_password", False)
        return self.create_user(username, password, **fields)


class User(AbstractBaseUser):
    """A person who signs in. Bound to one region: everything they see lies under it."""

    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @/./+/-/_ only."),
        error_messages={"unique": _("This username is already taken.")},
    )
    full_name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    is_active = models.BooleanField(_("active"), default=True)
    must_change_password = models.BooleanField(_("must change password"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The second factor (accounts.second_factor): the TOTP key, when it was confirmed, the last step used.
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(_("second factor enrolled at"), null=True, blank=True)
    totp_last_step = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(
        "self", verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]
    region_scope = "region__code"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=False) | models.Q(role=Role.SYSTEM_ADMIN),
                name="user_region_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username

    # Permissions come from the role (roles.py), not from per-user grants.
    def has_perm(self, perm: str, obj=None) -> bool:
        return self.is_active and perm in spec(self.role).permissions

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(p, obj) for p in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and any(p.startswith(f"{app_label}.") for p in spec(self.role).permissions)

    @property
    def is_national(self) -> bool:
        """Whether the role may be bound to no region, so that the whole country is in scope."""
        return spec(self.role).national

    @property
    def region_code(self) -> str:
        return self.region_id or ""

    @cached_property
    def region_label(self) -> str:
        return full_name_of(self.region_id) if self.region_id else str(_("Whole country"))


class PasswordHistory(models.Model):
    """A password a user has had (its hash), so that the last few are not used again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotUsernameValidator:
    """The password may not contain the username (case-insensitive)."""

    def validate(self, password: str, user=None) -> None:
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError(_("The password must not contain the username."), code="password_has_username")

    def get_help_text(self) -> str:
        return _("Your password must not contain your username.")

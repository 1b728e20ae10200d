from __future__ import annotations

from django.contrib.auth import password_validation
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


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with our own message (Django 5.2's Chinese catalogue lacks its new wording)."""

    def get_error_message(self) -> str:
        return _("The password is too short: it must have at least %(min_length)d characters.") % {
            "min_length": self.min_length
        }

    def get_help_text(self) -> str:
        return _("Your password must have at least %(min_length)d characters.") % {"min_length": self.min_length}


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    """Django's rule, worded as the rest of the system addresses its users (您, not 你)."""

    def get_error_message(self) -> str:
        return _("The password is entirely numeric.")

    def get_help_text(self) -> str:
        return _("Your password must not be entirely numeric.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("The password is too common.")

    def get_help_text(self) -> str:
        return _("Your password must not be a commonly used password.")


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("The password is too similar to the %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Your password must not be too similar to your other personal information.")

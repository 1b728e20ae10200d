from __future__ import annotations

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
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


CHARACTER_CLASSES = (str.islower, str.isupper, str.isdigit)


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, capitals, digits, other signs (等保: complexity)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        used = sum(any(test(c) for c in password) for test in CHARACTER_CLASSES)
        used += any(not (c.islower() or c.isupper() or c.isdigit()) for c in password)
        if used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "Your password must mix at least %(n)s of: lower-case letters, capital letters, digits, other signs."
        ) % {"n": self.min_classes}


KEYBOARD_RUNS = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv")
RUN = 4  # this many characters in a row of a keyboard or the alphabet, or one character this many times


def _runs() -> set[str]:
    found = set()
    for line in KEYBOARD_RUNS:
        for text in (line, line[::-1]):
            found.update(text[i : i + RUN] for i in range(len(text) - RUN + 1))
    return found


class SequenceValidator:
    """No keyboard or alphabet run ("1234", "qwer", "dcba"), no character four times in a row, and no
    part repeated to make up the password ("密码密码密码")."""

    runs = _runs()

    def validate(self, password: str, user=None) -> None:
        text = password.lower()
        if any(text[i : i + RUN] in self.runs for i in range(len(text) - RUN + 1)):
            raise ValidationError(_("The password contains a keyboard or alphabet run such as 1234 or qwer."))
        if any(len(set(text[i : i + RUN])) == 1 for i in range(len(text) - RUN + 1)):
            raise ValidationError(_("The password repeats one character four times in a row."))
        for size in range(1, len(text) // 2 + 1):
            if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
                raise ValidationError(_("The password is one part repeated."))

    def get_help_text(self) -> str:
        return _("Your password must not contain keyboard runs (1234, qwer) or repeats (aaaa).")


def check_not_reused(password: str, user, count: int) -> None:
    """Not the password in use, nor one of the user's last `count` (so a temporary password cannot be
    kept by "changing" it to itself). For a user choosing their own; an administrator's temporary
    password is changed at the next login anyway."""
    from .models import PasswordHistory

    kept = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count]
    hashes = [user.password, *(h for h in kept if h != user.password)][:count]
    if any(h and check_password(password, h) for h in hashes):
        raise ValidationError(
            _("The password must differ from your last %(n)s passwords.") % {"n": count}, code="password_reused"
        )


def remember(user) -> None:
    """Keep the password just set (its hash), for `check_not_reused` and for when it expires."""
    from .models import PasswordHistory

    PasswordHistory.objects.create(user=user, password=user.password)

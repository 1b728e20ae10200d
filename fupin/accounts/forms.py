from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fupin.audit.context import current_ip
from fupin.regions.forms import RegionCodeField

from . import actions, lockout
from .models import User
from .roles import Role, spec


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password."),
        "inactive": _("This account has been deactivated."),
        "locked": _(
            "Too many failed logins: this account is locked for %(minutes)s minutes. "
            "An administrator can unlock it sooner."
        ),
        "address_blocked": _("Too many failed logins from this computer's address. Try again later."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if lockout.address_blocked(current_ip()):
            raise ValidationError(self.error_messages["address_blocked"], code="address_blocked")
        if username and lockout.is_locked(username):
            actions.record_login_failure(username=username, reason="locked")
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.FUPIN_LOCKOUT_MINUTES},
            )
        try:
            return super().clean()
        except ValidationError as e:
            if username:
                actions.record_login_failure(username=username, reason=e.code or "invalid_login")
            raise


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("role"), required=False, choices=[("", _("All roles")), *Role.choices])


class UserForm(forms.Form):
    """Fields an administrator edits; the placement rules are checked by the action."""

    full_name = forms.CharField(label=_("full name"), max_length=50)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    region = RegionCodeField(label=_("region code"), required=False)

    def __init__(self, *args, by: User, **kwargs):
        super().__init__(*args, **kwargs)
        # the roles `by` may grant, plus the one the user already has (kept unless changed)
        keep = (self.initial or {}).get("role")
        self.fields["role"].choices = [c for c in Role.choices if c[0] in spec(by.role).grants or c[0] == keep]
        self.fields["region"].user = by


class UserCreateForm(UserForm):
    username = forms.CharField(label=_("username"), max_length=150)
    password = forms.CharField(
        label=_("temporary password"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        help_text=_("The user must replace it at the first login."),
    )
    field_order = ["username", "full_name", "phone", "role", "region", "password"]


class UserEditForm(UserForm):
    is_active = forms.BooleanField(label=_("active"), required=False)


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("temporary password"), widget=forms.PasswordInput, strip=False)


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )

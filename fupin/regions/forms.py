from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fupin import access

from .models import Region, level_of_code

MALFORMED = _("A region code has 2, 4, 6, 9 or 12 digits.")


def region_in_scope(code: str, user) -> Region:
    """The region with `code` if the user may see it; the same error for missing and out of scope."""
    code = code.strip()
    if level_of_code(code) is None:
        raise ValidationError(MALFORMED, code="malformed")
    region = access.visible_to(Region.objects.filter(code=code), user).first()
    if region is None:
        raise ValidationError(access.NOT_VISIBLE, code="not_visible")
    return region


class RegionCodeField(forms.CharField):
    """A region code typed or picked by the user, cleaned to a Region inside their subtree."""

    user = None

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("help_text", _("Type a name or code to search."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": "region-options", "autocomplete": "off", "inputmode": "numeric"})

    def prepare_value(self, value):
        return value.code if isinstance(value, Region) else value

    def clean(self, value):
        value = super().clean(value)
        return region_in_scope(value, self.user) if value else None


class DesignationForm(forms.Form):
    """Input only; the rules are in designation.check_designation, shared with the import."""

    designated = forms.BooleanField(label=_("designated poor"), required=False)
    designated_year = forms.IntegerField(label=_("year designated poor"), required=False)
    exit_year = forms.IntegerField(label=_("year of exit"), required=False)

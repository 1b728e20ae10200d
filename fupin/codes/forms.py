from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from .models import Code


class CodeForm(forms.ModelForm):
    """A code's value cannot change once saved: records hold it."""

    class Meta:
        model = Code
        fields = ["value", "label", "position", "is_active"]

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = kind
        if self.instance.pk:
            self.fields["value"].disabled = True

    def _others(self):
        return Code.objects.filter(kind=self.instance.kind).exclude(pk=self.instance.pk)

    def clean_value(self):
        value = self.cleaned_data["value"].strip()
        if not value.isalnum():
            raise forms.ValidationError(_("A code is letters and digits only."))
        if self._others().filter(value=value).exists():
            raise forms.ValidationError(_("This list already has the code %(value)s.") % {"value": value})
        return value

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if self._others().filter(label=label).exists():
            raise forms.ValidationError(_("This list already has the label %(label)s.") % {"label": label})
        return label

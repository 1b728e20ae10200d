from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SpendingForm(forms.Form):
    year = forms.IntegerField(label=_("year"))
    medical = forms.DecimalField(label=_("medical costs paid after reimbursement"), required=False, decimal_places=2)
    schooling = forms.DecimalField(label=_("schooling costs paid"), required=False, decimal_places=2)
    other = forms.DecimalField(label=_("other rigid costs"), required=False, decimal_places=2)
    note = forms.CharField(label=_("what they were"), required=False, max_length=200)

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.lib.forms import DATE, MONEY, REGION, placeholders_from_labels
from fupin.registry.id_numbers import age_on, mask

from .models import Purpose
from .stats import STATUS_LABELS

RATE = {"max_digits": 5, "decimal_places": 3, "widget": forms.NumberInput(attrs={"step": "0.001", "min": "0"})}


class HouseholdForm(forms.Form):
    household_no = forms.CharField(label=_("household number"), max_length=30)


class LoanForm(forms.Form):
    borrower_id = forms.TypedChoiceField(label=_("borrower"), coerce=int)
    bank = forms.CharField(label=_("lending bank"), max_length=60)
    contract_no = forms.CharField(label=_("contract number"), max_length=50)
    amount = forms.DecimalField(label=_("amount (yuan)"), **MONEY)
    issued_on = forms.DateField(label=_("issued on"), widget=DATE, initial=timezone.localdate)
    term_months = forms.IntegerField(label=_("term (months)"), min_value=1, max_value=120, initial=36)
    rate = forms.DecimalField(label=_("annual interest rate (%)"), **RATE)
    subsidy_rate = forms.DecimalField(
        label=_("interest subsidised (%)"),
        initial=Decimal(100),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
    )
    purpose = forms.ChoiceField(label=_("purpose"), choices=Purpose.choices)
    purpose_note = forms.CharField(label=_("what it is for"), max_length=200, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["borrower_id"].choices = [
            (m.pk, f"{m.name} · {mask(m.id_number)} · {age_on(m.birth_date, today)}") for m in members
        ]


class EntryForm(forms.Form):
    amount = forms.DecimalField(label=_("amount (yuan)"), **MONEY)
    paid_on = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class ExtensionForm(forms.Form):
    to_due_on = forms.DateField(label=_("new due date"), widget=DATE)
    reason = forms.CharField(label=_("reason"), max_length=200)
    on = forms.DateField(label=_("date agreed"), widget=DATE, initial=timezone.localdate)


class LoanFilterForm(forms.Form):
    q = forms.CharField(label=_("borrower, household or contract"), required=False)
    region = forms.CharField(label=_("region code"), required=False, widget=REGION)
    bank = forms.CharField(label=_("lending bank"), required=False)
    year = forms.IntegerField(label=_("year issued"), required=False)
    status = forms.ChoiceField(
        label=_("showing"), required=False, choices=[("", _("all loans")), *STATUS_LABELS.items()]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        placeholders_from_labels(self)

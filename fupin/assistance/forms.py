from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin import access
from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind

from .models import AssistingUnit, Cadre, UnitLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REGION = forms.TextInput(attrs={"list": "region-options", "autocomplete": "off", "inputmode": "numeric"})


class UnitForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    level = forms.ChoiceField(label=_("level"), choices=UnitLevel.choices)
    region_id = forms.CharField(label=_("region served"), max_length=12, widget=REGION)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    is_active = forms.BooleanField(
        label=_("active"), required=False, initial=True, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )


class CadreForm(forms.Form):
    unit_id = forms.ModelChoiceField(label=_("unit"), queryset=AssistingUnit.objects.none())
    name = forms.CharField(label=_("name"), max_length=50)
    post = forms.CharField(label=_("post"), max_length=50, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20)
    political_status = forms.ChoiceField(label=_("political status"), required=False)
    is_active = forms.BooleanField(
        label=_("active"), required=False, initial=True, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_id"].queryset = access.visible_to(AssistingUnit.objects.filter(is_active=True), user)
        self.fields["political_status"].choices = code_list(Kind.POLITICAL_STATUS).choices()

    @property
    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["unit_id"] = data["unit_id"].pk
        return data


class PairForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("cadre"), queryset=Cadre.objects.none())
    start_on = forms.DateField(label=_("from"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("why the cadre changes"), max_length=200, required=False)

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        # The cadres of active units that serve the household's village or a region above it (most
        # cadres come from county departments, whose units a township's operator does not manage).
        serving = [household.region_id[:n] for n in (2, 4, 6, 9, 12)]
        cadres = Cadre.objects.filter(is_active=True, unit__is_active=True, unit__region_id__in=serving)
        self.fields["cadre"].queryset = cadres.select_related("unit").order_by("unit__name", "name")


class EndPairingForm(forms.Form):
    end_on = forms.DateField(label=_("until"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("why it ended"), max_length=200)

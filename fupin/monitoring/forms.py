from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.codes.catalogue import code_list

from .kinds import CATEGORY, RISK_TYPE
from .models import Channel, ClueState


class SpendingForm(forms.Form):
    year = forms.IntegerField(label=_("year"))
    medical = forms.DecimalField(label=_("medical costs paid after reimbursement"), required=False, decimal_places=2)
    schooling = forms.DecimalField(label=_("schooling costs paid"), required=False, decimal_places=2)
    other = forms.DecimalField(label=_("other rigid costs"), required=False, decimal_places=2)
    note = forms.CharField(label=_("what they were"), required=False, max_length=200)


def _risk_choices():
    return list(code_list(RISK_TYPE).labels.items())


def _category_choices():
    return [("", "—"), *code_list(CATEGORY).labels.items()]


class SelfReportForm(forms.Form):
    """What a household reports about itself from the public page (农户自主申报)."""

    village = forms.ChoiceField(
        label=_("your village"), error_messages={"invalid_choice": _("Choose a village of this county.")}
    )
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    phone = forms.CharField(label=_("phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    risk = forms.ChoiceField(label=_("what kind of difficulty"), required=False)
    said = forms.CharField(
        label=_("describe the difficulty"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = villages
        self.fields["risk"].choices = [("", "—"), *_risk_choices()]

    def clean_phone(self):
        phone = "".join(self.cleaned_data["phone"].split())
        if not (phone.isdigit() and 7 <= len(phone) <= 12):
            raise forms.ValidationError(_("Enter a phone number of digits only."))
        return phone


class CadreReportForm(forms.Form):
    """A risk a cadre found (基层干部排查, 发现风险): on the household page or the phone page."""

    risks = forms.MultipleChoiceField(
        label=_("risk types"), widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    said = forms.CharField(label=_("what was found"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.FileField(
        label=_("photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risks"].choices = _risk_choices()


class CheckForm(forms.Form):
    """What the home check found: the proposed category and risk types."""

    category = forms.ChoiceField(label=_("monitored household category"))
    risks = forms.MultipleChoiceField(
        label=_("risk types"), widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()
        self.fields["risks"].choices = _risk_choices()


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("why no monitoring is needed (the reporter reads it)"), max_length=300)


class LinkForm(forms.Form):
    household_no = forms.CharField(label=_("household number"), max_length=30)


class ClueFilterForm(forms.Form):
    q = forms.CharField(label=_("name, receipt or household number"), required=False, max_length=50)
    state = forms.ChoiceField(label=_("state"), required=False)
    channel = forms.ChoiceField(label=_("found through"), required=False)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("open clues")), ("all", _("all")), *ClueState.choices]
        self.fields["channel"].choices = [("", _("every channel")), *Channel.choices[:4]]


class CaseForm(forms.Form):
    """A monitored household's contact, guaranteed-support flag, category and risk types."""

    category = forms.ChoiceField(label=_("monitored household category"))
    risks = forms.MultipleChoiceField(
        label=_("risk types"), widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    contact = forms.ModelChoiceField(label=_("monitoring contact"), queryset=None, required=False)
    no_labour_support = forms.BooleanField(
        label=_("whole household without labour, on guaranteed support"), required=False
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()
        self.fields["risks"].choices = _risk_choices()
        self.fields["contact"].queryset = cadres


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("head's name or household number"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("status"), required=False)
    category = forms.ChoiceField(label=_("monitored household category"), required=False)
    risk = forms.ChoiceField(label=_("risk type"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("being monitored")),
            ("all", _("all")),
            ("eliminated", _("risk has been eliminated")),
        ]
        self.fields["category"].choices = [("", _("every category")), *code_list(CATEGORY).labels.items()]
        self.fields["risk"].choices = [("", _("every risk type")), *_risk_choices()]

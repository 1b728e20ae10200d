from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DatasetKind, Finding, Result, Rule, Yield


class FindingFilterForm(forms.Form):
    q = forms.CharField(label=_("name or household number"), required=False, max_length=50)
    state = forms.ChoiceField(label=_("state"), required=False)
    kind = forms.ChoiceField(label=_("department"), required=False)
    rule = forms.ChoiceField(label=_("rule"), required=False)
    yields = forms.ChoiceField(label=_("yields"), required=False)
    result = forms.ChoiceField(label=_("result"), required=False)
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    name_differs = forms.BooleanField(label=_("name differs from the register"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("waiting for verification")), ("all", _("all")), *Finding.State.choices]
        self.fields["kind"].choices = [("", _("every department"))] + [
            (kind.code, str(kind)) for kind in DatasetKind.objects.all()
        ]
        self.fields["rule"].choices = [("", _("every rule"))] + [
            (rule.code, rule.name) for rule in Rule.objects.select_related("kind")
        ]
        self.fields["yields"].choices = [("", _("every kind of finding")), *Yield.choices]
        self.fields["result"].choices = [("", _("every result")), *Result.choices]


class VerifyForm(forms.Form):
    result = forms.ChoiceField(label=_("result"), choices=Result.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("what was checked and found"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(
        label=_("evidence"), help_text=_("A photo, a certificate or the department's reply (image or PDF).")
    )


OUTBOUND_FIELDS = (
    ("id_number", _("ID number")),
    ("name", _("name")),
    ("household_no", _("household number")),
    ("village", _("village")),
    ("relation", _("relation to head")),
    ("status", _("poverty status")),
)


class OutboundForm(forms.Form):
    fields_wanted = forms.MultipleChoiceField(
        label=_("columns the department needs"),
        choices=OUTBOUND_FIELDS,
        initial=["id_number", "name"],
        widget=forms.CheckboxSelectMultiple,
    )
    department = forms.CharField(label=_("department the list is for"), max_length=60)
    purpose = forms.CharField(label=_("purpose"), max_length=200)
    include_left = forms.BooleanField(label=_("also members who left in the last year"), required=False)

    def clean_fields_wanted(self):
        wanted = self.cleaned_data["fields_wanted"]
        if "id_number" not in wanted:
            raise forms.ValidationError(_("The department compares by ID number: keep that column."))
        return wanted

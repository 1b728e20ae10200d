from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    ("name", pgettext_lazy("person", "name")),
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


class KindForm(forms.ModelForm):
    columns_text = forms.CharField(
        label=_("columns"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One a line: key,header as in the department's file, and ,必填 for a required one. "
            "The first two are id_number and name."
        ),
    )

    class Meta:
        model = DatasetKind
        fields = ["code", "department", "name", "row_meaning", "match_left_days", "position", "is_active"]


OPERATOR_CHOICES = [
    ("present", _("has a value")),
    ("eq", _("equals")),
    ("ne", _("does not equal")),
    ("in", _("is one of")),
    ("not_in", _("is none of")),
    ("contains", _("contains")),
    ("gt", _("above (高于)")),
    ("ge", _("not below (不低于)")),
    ("lt", _("below (低于)")),
    ("le", _("not above (不高于)")),
]
CLAUSES = 4


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = [
            *("code", "name", "yields", "exclusion_rule", "risk_type", "sum_column"),
            *("severity", "explanation", "source", "is_active"),
        ]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, kind: DatasetKind, exclusions, risks, policy_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["exclusion_rule"] = forms.ChoiceField(
            label=_("exclusion rule"), required=False, choices=[("", "—"), *exclusions]
        )
        self.fields["risk_type"] = forms.ChoiceField(label=_("risk type"), required=False, choices=[("", "—"), *risks])
        columns = [("", "—"), *((c["key"], c["header"]) for c in kind.columns)]
        self.fields["sum_column"] = forms.ChoiceField(
            label=_("summed over the person's rows"),
            required=False,
            choices=columns,
            help_text=_("For a list with several rows a person (twelve months' settlements): the sum is compared."),
        )
        condition = (self.instance.condition or {}).get("all", []) if self.instance.pk else []
        for i in range(CLAUSES):
            clause = condition[i] if i < len(condition) else {}
            value = clause.get("value", "")
            self.fields[f"column_{i}"] = forms.ChoiceField(
                label=_("column"), required=False, choices=columns, initial=clause.get("column", "")
            )
            self.fields[f"op_{i}"] = forms.ChoiceField(
                label=_("operator"), required=False, choices=OPERATOR_CHOICES, initial=clause.get("op", "")
            )
            self.fields[f"value_{i}"] = forms.CharField(
                label=_("value"),
                required=False,
                max_length=300,
                initial="、".join(map(str, value)) if isinstance(value, list) else value,
            )
            self.fields[f"policy_{i}"] = forms.ChoiceField(
                label=_("or a policy value"),
                required=False,
                choices=[("", "—"), *policy_items],
                initial=clause.get("policy", ""),
            )

    def clause_rows(self):
        return [(self[f"column_{i}"], self[f"op_{i}"], self[f"value_{i}"], self[f"policy_{i}"]) for i in range(CLAUSES)]

    def condition(self) -> dict:
        clauses = []
        for i in range(CLAUSES):
            column = self.cleaned_data.get(f"column_{i}")
            if not column:
                continue
            op = self.cleaned_data.get(f"op_{i}")
            clause = {"column": column, "op": op}
            if policy := self.cleaned_data.get(f"policy_{i}"):
                clause["policy"] = policy
            elif op != "present":
                text = self.cleaned_data.get(f"value_{i}", "").strip()
                if op in ("in", "not_in"):
                    clause["value"] = [part.strip() for part in re.split(r"[、,，]", text) if part.strip()]
                elif text:
                    clause["value"] = text
            clauses.append(clause)
        return {"all": clauses}

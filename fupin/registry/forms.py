from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind

from . import id_numbers, income, rules
from .fields import CODE_KINDS, HOUSEHOLD_FORM_FIELDS, MEMBER_FORM_FIELDS
from .models import Household, IncomeRecord, Member


class RecordForm(forms.ModelForm):
    """Parses and shows a record; the rules are registry.rules, applied by registry.actions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in CODE_KINDS:
                codes = code_list(CODE_KINDS[name])
                current = getattr(self.instance, name, "")
                choices = codes.choices()
                if current and current not in dict(choices):  # a retired code still shows on old records
                    choices.append((current, codes.label(current)))
                self.fields[name] = forms.ChoiceField(
                    label=field.label, required=field.required, choices=choices, initial=field.initial
                )
            elif isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def _post_clean(self):
        pass  # no model validation here: registry.actions checks every write the same way

    def rule_errors(self, values: dict) -> dict[str, str]:
        return {}

    def clean(self):
        """Show every rule the values break at once (the action checks them again when saving)."""
        cleaned = super().clean()
        for name, message in self.rule_errors({**self.initial_values(), **cleaned}).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def initial_values(self) -> dict:
        return {name: getattr(self.instance, name, None) for name in self.fields} if self.instance.pk else {}

    @property
    def values(self) -> dict:
        return dict(self.cleaned_data)


class HouseholdForm(RecordForm):
    region_id = forms.CharField(
        label=_("village"),
        max_length=12,
        help_text=_("The 12-digit village code; type a name to search."),
        widget=forms.TextInput(attrs={"list": "region-options", "autocomplete": "off", "inputmode": "numeric"}),
    )

    class Meta:
        model = Household
        fields = [f for f in HOUSEHOLD_FORM_FIELDS if f != "region_id"]

    field_order = HOUSEHOLD_FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household_no"].required = False
        self.fields["household_no"].help_text = _("Leave empty to number a newly registered household automatically.")
        if self.instance.pk:
            self.initial["region_id"] = self.instance.region_id

    def rule_errors(self, values: dict) -> dict[str, str]:
        return rules.household_errors(values)


class MemberForm(RecordForm):
    health_status = forms.MultipleChoiceField(
        label=_("health status"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Member
        fields = MEMBER_FORM_FIELDS

    def __init__(self, *args, head: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["health_status"].choices = code_list(Kind.HEALTH_STATUS).active
        self.fields["member_no"].required = False
        if head:  # the head registered with the household: relation fixed, no leaving yet
            for name in ("relation_to_head", "joined_on", "left_on", "leave_reason"):
                del self.fields[name]

    def rule_errors(self, values: dict) -> dict[str, str]:
        errors, _warnings = rules.member_errors({"document_type": "1", **values})
        return errors

    def clean_id_number(self):
        return id_numbers.normalize(self.cleaned_data["id_number"])

    def clean_member_no(self):
        return self.cleaned_data["member_no"] or None


class IncomeForm(forms.ModelForm):
    class Meta:
        model = IncomeRecord
        fields = ["year", *income.ITEMS, *income.RECORDED_ONLY, "unusual_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unusual_reason"].help_text = _("Only when the income is far above the year's line.")
        for name in (*income.ITEMS, *income.RECORDED_ONLY):
            self.fields[name].required = False
            self.fields[name].widget.attrs.update({"min": "0", "step": "0.01"})
        if self.instance.pk:
            for name, part in income.measure_parts(self.instance.from_measures).items():
                self.fields[name].help_text = _(
                    "The total, including %(amount)s yuan paid by delivered assistance measures."
                ) % {"amount": f"{part:,}"}

    def _post_clean(self):
        pass

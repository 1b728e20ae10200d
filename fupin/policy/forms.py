from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import access
from fupin.regions.models import Region

from .items import Item, Unit
from .models import CalendarDay, PolicyValue


class PolicyValueForm(forms.ModelForm):
    """A value for one parameter. Once saved, its region and year are fixed: a different region or
    year is a new value, so that what earlier decisions used stays readable."""

    class Meta:
        model = PolicyValue
        fields = ["region_code", "year", "value", "document", "effective_on", "is_verified", "source"]
        widgets = {"effective_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, item: Item, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.item, self.user = item, user
        self.instance.name = item.name
        self.fields["region_code"].help_text = _("Leave empty for the national value; otherwise a region code.")
        self.fields["value"].help_text = item.help
        if self.instance.pk:
            self.fields["region_code"].disabled = True
            self.fields["year"].disabled = True

    def clean_region_code(self):
        code = (self.cleaned_data.get("region_code") or "").strip()
        if code == "":
            if access.region_prefix(self.user) != "":
                raise forms.ValidationError(_("Only an administrator of the whole country sets national values."))
            return code
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("There is no region with the code %(code)s.") % {"code": code})
        if region.level not in self.item.levels:
            raise forms.ValidationError(
                _("%(item)s cannot be set for a region at this level.") % {"item": self.item.label}
            )
        if not access.covers(self.user, code):
            raise forms.ValidationError(_("This region is outside your area."))
        return code

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Enter a year between 2000 and 2100."))
        return year

    def clean_value(self):
        value: Decimal = self.cleaned_data["value"]
        unit = self.item.unit
        if unit == Unit.YUAN and value <= 0:
            raise forms.ValidationError(_("A poverty line is a positive amount of yuan."))
        if unit == Unit.PERCENT and not 0 < value <= 100:
            raise forms.ValidationError(_("A percentage is above 0 and at most 100."))
        if unit == Unit.FLAG and value not in (0, 1):
            raise forms.ValidationError(_("Enter 1 for yes or 0 for no."))
        if unit == Unit.DAYS and (value != value.to_integral_value() or not 1 <= value <= 366):
            raise forms.ValidationError(_("Enter a whole number of days from 1 to 366."))
        if unit == Unit.HOUSEHOLDS and (value != value.to_integral_value() or not 1 <= value <= 100):
            raise forms.ValidationError(_("Enter a whole number of households from 1 to 100."))
        if unit == Unit.AMOUNT and value <= 0:
            raise forms.ValidationError(_("Enter a positive amount of yuan."))
        if unit == Unit.MONTHS and (value != value.to_integral_value() or not 1 <= value <= 120):
            raise forms.ValidationError(_("Enter a whole number of months from 1 to 120."))
        if unit == Unit.AGE and (value != value.to_integral_value() or not 16 <= value <= 100):
            raise forms.ValidationError(_("Enter an age in whole years from 16 to 100."))
        return value.quantize(Decimal("0.01"))  # as stored, so that the audit's before and after compare

    def clean(self):
        cleaned = super().clean()
        code, year = cleaned.get("region_code"), cleaned.get("year")
        if code is not None and year is not None and not self.instance.pk:
            taken = PolicyValue.objects.filter(name=self.item.name, region_code=code, year=year).exists()
            if taken:
                raise forms.ValidationError(
                    _("A value for this region and year is already set; change that one instead.")
                )
        return cleaned


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["day", "is_working_day", "name"]
        widgets = {"day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "is_working_day": gettext_lazy(
                "Tick for a weekend day worked in exchange (调休上班); leave empty for a holiday."
            )
        }

    def validate_unique(self):
        pass  # a day already listed is changed, not refused (save_calendar_day)

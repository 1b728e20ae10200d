from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.lib.forms import DATE, MONEY, REGION, MultiplePhotoField, placeholders_from_labels
from fupin.lib.uploads import ACCEPT

from .indicators import FLAG_LABELS
from .models import Category, FundSource, LinkKind, NoticeKind, ProjectLevel, Stage, WorkType


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    year = forms.IntegerField(label=_("plan year"), initial=lambda: timezone.localdate().year)
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    work_type = forms.ChoiceField(label=_("type of work"), choices=WorkType.choices)
    level = forms.ChoiceField(label=_("ledger level"), choices=ProjectLevel.choices)
    region_id = forms.CharField(label=_("location"), max_length=12, widget=REGION)
    responsible_unit = forms.CharField(label=_("responsible unit"), max_length=100)
    responsible_person = forms.CharField(label=_("responsible person"), max_length=50)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    content = forms.CharField(label=_("construction content"), widget=forms.Textarea(attrs={"rows": 3}))
    performance_targets = forms.CharField(
        label=_("performance targets"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Outputs, effects and satisfaction; a project without them cannot enter the library."),
    )
    expected_households = forms.IntegerField(label=_("expected beneficiary households"), min_value=0, initial=0)
    expected_people = forms.IntegerField(label=_("expected beneficiary people"), min_value=0, initial=0)
    total_investment = forms.DecimalField(label=_("total investment (yuan)"), **MONEY)
    planned_start_on = forms.DateField(label=_("planned start"), required=False, widget=DATE)
    planned_completion_on = forms.DateField(label=_("planned completion"), required=False, widget=DATE)


class AdvanceForm(forms.Form):
    stage = forms.ChoiceField(label=_("stage"))
    on = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    document = forms.FileField(
        label=_("evidence"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s.value, s.label) for s in stages]


class AllocationForm(forms.Form):
    source = forms.ModelChoiceField(label=_("fund source"), queryset=FundSource.objects.filter(is_active=True))
    amount = forms.DecimalField(label=_("allocated (yuan)"), **MONEY)


class DisbursementForm(forms.Form):
    source = forms.ModelChoiceField(label=_("fund source"), queryset=FundSource.objects.filter(is_active=True))
    amount = forms.DecimalField(label=_("amount (yuan)"), **MONEY)
    paid_on = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)
    voucher_no = forms.CharField(label=_("voucher number"), max_length=50)
    over_allocation_reason = forms.CharField(
        label=_("why more than allocated"),
        max_length=200,
        required=False,
        help_text=_("Only when this payment takes the source beyond what it allocated."),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("name"), required=False)
    region = forms.CharField(label=_("region code"), required=False, widget=REGION)
    year = forms.IntegerField(label=_("plan year"), required=False)
    level = forms.ChoiceField(
        label=_("ledger level"), required=False, choices=[("", _("all levels")), *ProjectLevel.choices]
    )
    category = forms.ChoiceField(
        label=_("category"), required=False, choices=[("", _("all categories")), *Category.choices]
    )
    stage = forms.ChoiceField(label=_("stage"), required=False, choices=[("", _("all stages")), *Stage.choices])
    flag = forms.ChoiceField(
        label=_("showing"), required=False, choices=[("", _("all projects")), *FLAG_LABELS.items()]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        placeholders_from_labels(self)


class LinkForm(forms.Form):
    household_no = forms.CharField(label=_("household number"), max_length=20)
    kind = forms.ChoiceField(label=_("how it benefits"), choices=LinkKind.choices)
    annual_amount = forms.DecimalField(label=_("yuan per year"), required=False, **MONEY)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class BudgetForm(forms.Form):
    source_id = forms.ModelChoiceField(
        label=_("fund source"), queryset=FundSource.objects.filter(is_active=True), to_field_name="pk"
    )
    region_id = forms.CharField(label=_("receiving region"), max_length=12, widget=REGION)
    year = forms.IntegerField(label=_("year"), initial=lambda: timezone.localdate().year)
    amount = forms.DecimalField(label=_("available (yuan)"), **MONEY)
    document = forms.CharField(label=_("allocation document"), max_length=100, required=False)

    def clean_source_id(self):
        return self.cleaned_data["source_id"].pk


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("notice"), choices=NoticeKind.choices)
    posted_on = forms.DateField(label=_("posted on"), widget=DATE, initial=timezone.localdate)
    ended_on = forms.DateField(label=_("taken down on"), widget=DATE)
    place = forms.CharField(label=_("where it was posted"), max_length=200)
    hotline = forms.CharField(label=_("complaint hotline"), max_length=60, initial="12317")
    photos = MultiplePhotoField(label=_("photos of the posted notice"))

"""Forms of the procedure pages. Each carries the batch version the user saw (see engine._locked)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin import access
from fupin.accounts.roles import Role
from fupin.lib.forms import DATE, REGION
from fupin.lib.uploads import ACCEPT
from fupin.regions.models import Level, Region

from .kinds import kind_choices
from .regional import Rates, rate_from_counts


def _today():
    return timezone.localdate()


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class BatchForm(forms.Form):
    kind = forms.ChoiceField(label=_("procedure"))
    region = forms.CharField(
        label=_("region"),
        max_length=12,
        widget=REGION,
        help_text=_("The village whose list it is; for a township's or the county's projects, that region."),
    )
    year = forms.IntegerField(label=_("year"))
    done_on = forms.DateField(label=_("date"), initial=_today, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = kind_choices()
        self.fields["year"].initial = timezone.localdate().year

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        region = access.visible_to(Region.objects.filter(code=code), self.user).first()
        if region is None:
            raise forms.ValidationError(_("Enter the code of a region inside your jurisdiction."))
        return region


class CompleteForm(VersionedForm):
    prefix = "complete"
    step = forms.CharField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("date"), initial=_today, widget=DATE)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    late_reason = forms.CharField(label=_("why it is entered only now (补录)"), required=False, max_length=200)


class SendBackForm(VersionedForm):
    prefix = "send_back"
    step = forms.CharField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("date"), initial=_today, widget=DATE)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoticeForm(VersionedForm):
    prefix = "notice"
    posted_on = forms.DateField(label=_("posted on"), initial=_today, widget=DATE)
    place = forms.CharField(label=_("where posted"), max_length=200)
    late_reason = forms.CharField(label=_("why it is entered only now (补录)"), required=False, max_length=200)


class ObjectionForm(VersionedForm):
    prefix = "objection"
    case = forms.ChoiceField(label=_("about"), required=False)
    raised_on = forms.DateField(label=_("raised on"), initial=_today, widget=DATE)
    raised_by = forms.CharField(label=_("raised by"), max_length=50, required=False)
    contact = forms.CharField(label=_("contact"), max_length=100, required=False)
    content = forms.CharField(label=_("objection"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", _("the whole list"))] + [(str(c.pk), c.subject_label) for c in cases]


class AnswerForm(VersionedForm):
    prefix = "answer"
    finding = forms.CharField(label=_("what verification found"), widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(label=_("answer given"), widget=forms.Textarea(attrs={"rows": 2}))
    is_upheld = forms.BooleanField(label=_("the objection is upheld (the case leaves the batch)"), required=False)
    answered_on = forms.DateField(label=_("answered on"), initial=_today, widget=DATE)


class EvidenceForm(VersionedForm):
    prefix = "evidence"
    step = forms.ChoiceField(label=_("step"))
    document = forms.ChoiceField(label=_("document"), required=False)
    file = forms.FileField(label=_("file"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s.code, s.name) for s in steps]
        documents = sorted({d for s in steps for d in s.evidence_required})
        self.fields["document"].choices = [("", _("other"))] + [(d, d) for d in documents]


class DropForm(VersionedForm):
    prefix = "drop"
    done_on = forms.DateField(label=_("date"), initial=_today, widget=DATE)
    reason = forms.CharField(label=_("reason"), max_length=300)


class AddCasesForm(VersionedForm):
    prefix = "add"
    subjects = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)
    override = forms.BooleanField(
        label=_("admit although the standard is not met (county)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, kind, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].label = kind.nouns
        self.fields["subjects"].choices = [(str(s.pk), kind.subject_label(s)) for s in candidates]


class FlagForm(forms.Form):
    rule = forms.ChoiceField(label=_("rule"))
    note = forms.CharField(label=_("note"), max_length=300)
    source = forms.CharField(label=_("source"), max_length=100, initial=_("entered by hand"))
    file = forms.FileField(
        label=_("evidence"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [(str(r.pk), r.name) for r in rules]


class RegionExitForm(forms.Form):
    region = forms.CharField(
        label=_("village or county"),
        max_length=12,
        widget=forms.TextInput(attrs={"list": "region-options", "autocomplete": "off", "inputmode": "numeric"}),
    )
    year = forms.IntegerField(label=_("year"), min_value=2014, max_value=2100)
    wrong_exit_rate = forms.DecimalField(label=_("wrong-exit rate (%)"), required=False, min_value=0, max_value=100)
    wrong_exits = forms.IntegerField(label=_("or: wrong exits found"), required=False, min_value=0)
    exits_sampled = forms.IntegerField(label=_("of exited people sampled"), required=False, min_value=1)
    missed_rate = forms.DecimalField(label=_("missed rate (%)"), required=False, min_value=0, max_value=100)
    missed_people = forms.IntegerField(label=_("or: poor people missed"), required=False, min_value=0)
    unregistered_sampled = forms.IntegerField(label=_("of unregistered people sampled"), required=False, min_value=1)
    recognition = forms.DecimalField(label=_("recognition (%)"), required=False, min_value=0, max_value=100)
    satisfied = forms.IntegerField(label=_("or: satisfied"), required=False, min_value=0)
    surveyed = forms.IntegerField(label=_("of people surveyed"), required=False, min_value=1)

    # Each rate: typed, or computed from a count and the sample it came from.
    RATES = (
        ("wrong_exit_rate", "wrong_exits", "exits_sampled"),
        ("missed_rate", "missed_people", "unregistered_sampled"),
        ("recognition", "satisfied", "surveyed"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        region = access.visible_to(Region.objects.filter(code=code, level__in=[Level.VILLAGE, Level.COUNTY]), self.user)
        if not region:
            raise forms.ValidationError(_("Enter the code of a village or county inside your jurisdiction."))
        return region[0]

    def clean(self):
        data = super().clean()
        region = data.get("region")
        data["rates"] = None
        if region is None or region.level != Level.COUNTY:
            return data
        values = []
        for rate, count, sample in self.RATES:
            if data.get(rate) is not None:
                values.append(data[rate])
            elif data.get(count) is not None and data.get(sample) is not None:
                try:
                    values.append(rate_from_counts(data[count], data[sample]))
                except forms.ValidationError as e:
                    self.add_error(count, e)
            else:
                self.add_error(rate, _("Enter the rate, or the count and the sample it came from."))
        if len(values) == len(self.RATES):
            data["rates"] = Rates(*values)
        elif not self.errors:
            raise forms.ValidationError(_("A county's assessment needs the three rates from its assessment sample."))
        return data


class StepForm(forms.Form):
    code = forms.CharField(label=_("code"), max_length=32, help_text=_("Lowercase letters, digits and underscores."))
    name = forms.CharField(label=_("name"), max_length=50)
    actor_roles = forms.MultipleChoiceField(
        label=_("who acts"), widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    is_notice = forms.BooleanField(
        label=_("public notice"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    evidence_required = forms.CharField(
        label=_("evidence required"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One document per line."),
    )
    can_send_back = forms.BooleanField(
        label=_("can send back"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor_roles"].choices = Role.choices

    def clean_evidence_required(self):
        return [line.strip() for line in self.cleaned_data["evidence_required"].splitlines() if line.strip()]

    @staticmethod
    def initial_of(step) -> dict:
        return {
            "code": step.code,
            "name": step.name,
            "actor_roles": step.actor_roles,
            "is_notice": step.is_notice,
            "evidence_required": "\n".join(step.evidence_required),
            "can_send_back": step.can_send_back,
        }

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin import access
from fupin.accounts.models import User
from fupin.accounts.roles import Role
from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind
from fupin.lib.forms import DATE, REGION, MultiplePhotoField
from fupin.projects.models import Project
from fupin.regions.models import ancestor_codes

from .models import AssistingUnit, Cadre, MeasureType, TeamMember, TeamRole, UnitLevel, VisitItem


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
    user_id = forms.ModelChoiceField(
        label=_("login account"),
        required=False,
        queryset=User.objects.none(),
        help_text=_("The cadre's own account (role: assisting cadre), for their households and visits on a phone."),
    )
    is_active = forms.BooleanField(
        label=_("active"), required=False, initial=True, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_id"].queryset = access.visible_to(AssistingUnit.objects.filter(is_active=True), user)
        self.fields["political_status"].choices = code_list(Kind.POLITICAL_STATUS).choices()
        accounts = User.objects.filter(role=Role.ASSISTING_CADRE, is_active=True)
        self.fields["user_id"].queryset = access.visible_to(accounts, user)

    @property
    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["unit_id"] = data["unit_id"].pk
        data["user_id"] = data["user_id"].pk if data.get("user_id") else None
        return data


def serving_cadres(village_code: str):
    """The active cadres of active units serving the village or a region above it."""
    serving = [*ancestor_codes(village_code), village_code]
    return Cadre.objects.filter(is_active=True, unit__is_active=True, unit__region_id__in=serving)


class PairForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("cadre"), queryset=Cadre.objects.none())
    start_on = forms.DateField(label=_("from"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("why the cadre changes"), max_length=200, required=False)

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        # The cadres of active units that serve the household's village or a region above it (most
        # cadres come from county departments, whose units a township's operator does not manage).
        cadres = serving_cadres(household.region_id)
        self.fields["cadre"].queryset = cadres.select_related("unit").order_by("unit__name", "name")


class PairManyForm(forms.Form):
    """One cadre for the households ticked on the list of households without one."""

    cadre = forms.ModelChoiceField(label=_("cadre"), queryset=Cadre.objects.none())
    start_on = forms.DateField(label=_("from"), widget=DATE, initial=timezone.localdate)
    households = forms.TypedMultipleChoiceField(coerce=int, label=_("households"))

    def __init__(self, *args, user, households, **kwargs):
        super().__init__(*args, **kwargs)
        prefix = access.region_prefix(user) or ""
        serving = Q(unit__region_id__in=[*ancestor_codes(prefix), prefix]) | access.under("unit__region_id", prefix)
        cadres = Cadre.objects.filter(is_active=True, unit__is_active=True).filter(serving)
        self.fields["cadre"].queryset = cadres.select_related("unit").order_by("unit__name", "name")
        self.fields["households"].choices = [(h.pk, h.household_no) for h in households]


class EndPairingForm(forms.Form):
    end_on = forms.DateField(label=_("until"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("why it ended"), max_length=200)


class VisitForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("cadre"), queryset=Cadre.objects.none())
    visited_on = forms.DateField(label=_("visited on"), widget=DATE, initial=timezone.localdate)
    items = forms.MultipleChoiceField(
        label=_("what was done"),
        required=False,
        choices=VisitItem.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultiplePhotoField(label=_("photos"), required=False)

    def __init__(self, *args, household, own_cadre=None, **kwargs):
        super().__init__(*args, **kwargs)
        if own_cadre is not None:
            cadres = Cadre.objects.filter(pk=own_cadre.pk)
            self.fields["cadre"].initial = own_cadre.pk
        else:  # an operator records for the household's cadres, the current one first
            cadres = Cadre.objects.filter(pairings__household=household).distinct()
            current = household.pairings.filter(end_on__isnull=True).first()
            self.fields["cadre"].initial = current.cadre_id if current else None
        self.fields["cadre"].queryset = cadres.select_related("unit")


class PlanForm(forms.Form):
    goal = forms.CharField(label=_("goal"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MeasureForm(forms.Form):
    measure_type_id = forms.ModelChoiceField(label=_("measure"), queryset=MeasureType.objects.filter(is_active=True))
    description = forms.CharField(label=_("what"), max_length=200, required=False)
    planned_amount = forms.DecimalField(
        label=_("planned amount (yuan)"), required=False, decimal_places=2, max_digits=12
    )
    delivered_amount = forms.DecimalField(
        label=_("delivered amount (yuan)"), required=False, decimal_places=2, max_digits=12
    )
    delivered_on = forms.DateField(label=_("delivered on"), required=False, widget=DATE)
    funding_source = forms.CharField(label=_("funding source"), max_length=100, required=False)
    project_id = forms.ModelChoiceField(
        label=_("project"),
        required=False,
        queryset=Project.objects.none(),
        help_text=_("The project that delivers this measure, if any."),
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        # The projects of the household's township, and those located at its county or city.
        township = household.region_id[:9]
        nearby = access.under("region_id", township) | Q(region_id__in=ancestor_codes(township))
        self.fields["project_id"].queryset = Project.objects.filter(nearby).order_by("-year", "name")

    @property
    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["measure_type_id"] = data["measure_type_id"].pk
        data["project_id"] = data["project_id"].pk if data.get("project_id") else None
        return data


class TeamForm(forms.Form):
    village_id = forms.CharField(label=_("village"), max_length=12, widget=REGION)
    unit_id = forms.ModelChoiceField(label=_("dispatching unit"), queryset=AssistingUnit.objects.none())
    start_on = forms.DateField(label=_("stationed from"), widget=DATE)
    end_on = forms.DateField(
        label=_("until"), required=False, widget=DATE, help_text=_("The planned end of the tenure, if known.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Units of the user's region and below, and those serving a region above it (a provincial
        # department stations teams in villages it does not administer).
        active = AssistingUnit.objects.filter(is_active=True)
        above = ancestor_codes(access.region_prefix(user) or "")
        units = access.visible_to(active, user) | active.filter(region_id__in=above)
        self.fields["unit_id"].queryset = units.order_by("level", "name")

    @property
    def values(self) -> dict:
        return {**self.cleaned_data, "unit_id": self.cleaned_data["unit_id"].pk}


class TeamMemberForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("cadre"), queryset=Cadre.objects.none())
    role = forms.ChoiceField(label=_("role"), choices=TeamRole.choices)
    start_on = forms.DateField(label=_("from"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        cadres = serving_cadres(team.village_id)
        self.fields["cadre"].queryset = cadres.select_related("unit").order_by("unit__name", "name")


class AttendanceForm(forms.Form):
    """One month's days in the village for each member on the team that month."""

    month = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, members, recorded, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            found = recorded.get(member.pk)
            self.fields[f"days_{member.pk}"] = forms.IntegerField(
                label=member.cadre.name,
                required=False,
                min_value=0,
                max_value=31,
                initial=found.days if found else None,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"note_{member.pk}"] = forms.CharField(
                label=_("note"), required=False, max_length=200, initial=found.note if found else ""
            )

    def rows(self):
        return [(m, self[f"days_{m.pk}"], self[f"note_{m.pk}"]) for m in self.members]

    @property
    def days(self) -> dict[int, int | None]:
        return {m.pk: self.cleaned_data[f"days_{m.pk}"] for m in self.members}

    @property
    def notes(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"note_{m.pk}"] for m in self.members}


class SpotCheckForm(forms.Form):
    member = forms.ModelChoiceField(label=_("team member"), queryset=TeamMember.objects.none())
    checked_on = forms.DateField(label=_("checked on"), widget=DATE, initial=timezone.localdate)
    present = forms.TypedChoiceField(
        label=_("found in the village"),
        choices=[("1", _("present")), ("0", _("absent"))],
        coerce=lambda v: v == "1",
    )
    checked_by = forms.CharField(label=_("checked by"), max_length=100, help_text=_("The inspector's name and unit."))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = team.members.select_related("cadre")


class LeaderLinkForm(forms.Form):
    leader_name = forms.CharField(label=_("leader"), max_length=50)
    leader_post = forms.CharField(label=_("post"), max_length=50)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    region_id = forms.CharField(label=_("township or village"), max_length=12, widget=REGION)
    start_on = forms.DateField(label=_("from"), widget=DATE, initial=timezone.localdate)
    end_on = forms.DateField(label=_("until"), required=False, widget=DATE)

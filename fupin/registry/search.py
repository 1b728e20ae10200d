"""Finding households: one filter form whose fields compose, applied after the user's scope.
Capabilities above the register add filters of their own (`register_filter`), never by editing it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin import access
from fupin.codes.catalogue import code_list
from fupin.codes.models import Kind

from . import id_numbers, quality
from .models import Household, Member, PovertyStatus

SORTS = {
    "household_no": _("household number"),
    "head_name": _("head of household"),
    "region": _("village"),
    "size": _("household size"),
    "net_income_per_capita": _("per-capita net income"),
    "updated_at": _("last changed"),
}
SORT_COLUMNS = {"region": "region_id"}


@dataclass(frozen=True)
class ListFilter:
    """A filter another capability adds to the household list: a parameter, its short name, its
    choices, and how a chosen value narrows the households."""

    name: str
    label: object  # lazy translation
    choices: Callable[[], list[tuple[str, str]]]
    apply: Callable[[QuerySet, str], QuerySet]


_FILTERS: dict[str, ListFilter] = {}


def register_filter(list_filter: ListFilter) -> None:
    _FILTERS[list_filter.name] = list_filter


class HouseholdFilter(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("name, ID number (full or part) or household number")}),
    )
    region = forms.CharField(
        label=_("region"),
        required=False,
        max_length=12,
        widget=forms.TextInput(
            attrs={"list": "region-options", "autocomplete": "off", "placeholder": _("region code")}
        ),
    )
    status = forms.ChoiceField(label=_("poverty status"), required=False)
    attribute = forms.ChoiceField(label=_("household attribute"), required=False)
    cause = forms.ChoiceField(label=_("main cause of poverty"), required=False)
    other_causes = forms.BooleanField(
        label=_("also as another cause"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    identified_year = forms.IntegerField(
        label=_("year first identified"), required=False, min_value=2000, max_value=2100
    )
    exit_year = forms.IntegerField(label=_("exit year"), required=False, min_value=2000, max_value=2100)
    quality = forms.ChoiceField(label=_("data-quality check"), required=False)
    sort = forms.ChoiceField(label=_("sort by"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The filters stand in a row without labels: each box and each list's first choice names its
        # filter, short enough for a phone's half-width box.
        lists = {
            "status": (self.fields["status"].label, PovertyStatus.choices),
            "attribute": (self.fields["attribute"].label, code_list(Kind.HOUSEHOLD_ATTRIBUTE).active),
            "cause": (_("cause of poverty"), code_list(Kind.POVERTY_CAUSE).active),
            "quality": (_("Data quality"), [(c.code, c.title) for c in quality.CHECKS]),
        }
        for name, (short_name, options) in lists.items():
            self.fields[name].choices = [("", _("%(filter)s: all") % {"filter": short_name}), *options]
        self.fields["sort"].choices = [("", _("default order"))] + [
            (f"{sign}{key}", f"{label}{arrow}")
            for key, label in SORTS.items()
            for sign, arrow in (("", " ↑"), ("-", " ↓"))
        ]
        for name in ("status", "attribute", "cause", "identified_year", "exit_year", "quality", "sort"):
            label = self.fields[name].label
            self.fields[name].widget.attrs.update({"aria-label": label, "title": label})
        for name in ("identified_year", "exit_year"):
            self.fields[name].widget.attrs["placeholder"] = self.fields[name].label
        for extra in _FILTERS.values():
            choices = [("", _("%(filter)s: all") % {"filter": extra.label}), *extra.choices()]
            self.fields[extra.name] = forms.ChoiceField(label=extra.label, required=False, choices=choices)
            self.fields[extra.name].widget.attrs.update({"aria-label": extra.label, "title": extra.label})

    def registered_fields(self) -> list:
        """The bound fields of the filters other capabilities added, for the page to show."""
        return [self[name] for name in _FILTERS]

    def clean_region(self):
        code = access.region_within(self.user, self.cleaned_data["region"].strip())
        if code is None:
            raise forms.ValidationError(access.NOT_VISIBLE)
        return code


# A search that matches at most this many households is resolved to their ids first, so that the
# count and the page are lookups by key; a broader one stays a subquery.
FEW_MATCHES = 1000


def _text_matches(q: str) -> QuerySet:
    """Ids of the households whose current members (or household number) match the search text.

    Each branch is a query of its own that an index serves (a surname and the household number by
    prefix; part of a name or of an ID number by trigram on PostgreSQL, for three characters or more:
    two characters, "秋志", are looked for by a scan of the members, 30 ms per 3·10^5); ORing them inside
    one WHERE would not be. The head needs no branch of its own: the head is a member.
    """
    text = id_numbers.normalize(q)
    members = Member.objects.filter(left_on__isnull=True).order_by()
    if len(text) in (id_numbers.ID_LENGTH, id_numbers.DISABILITY_CARD_LENGTH) and text[:17].isdigit():
        return members.filter(id_number=text).values_list("household_id", flat=True)
    if text.isdigit() or text.endswith("X"):
        # part of an ID number, or a household number
        numbered = Household.objects.order_by().filter(household_no__startswith=text).values_list("pk", flat=True)
        return members.filter(id_number__contains=text).values_list("household_id", flat=True).union(numbered)
    if len(q) == 1:  # a surname: names that start with it (a character inside names would match half the county)
        return members.filter(name__startswith=q).values_list("household_id", flat=True)
    return members.filter(name__contains=q).values_list("household_id", flat=True)


def _matching(queryset: QuerySet[Household], q: str) -> QuerySet[Household]:
    matches = _text_matches(q)
    few = list(matches[: FEW_MATCHES + 1])
    return queryset.filter(pk__in=few if len(few) <= FEW_MATCHES else matches)


def households_for(user, data) -> tuple[HouseholdFilter, QuerySet[Household]]:
    """The filter form bound to `data`, and the user's households that match it."""
    form = HouseholdFilter(data or None, user=user)
    queryset = access.visible_to(Household.objects.select_related("region"), user)
    if not form.is_valid():
        return form, queryset.none() if form.is_bound else queryset
    f = form.cleaned_data
    if f["q"]:
        queryset = _matching(queryset, f["q"].strip())
    if f["region"]:
        queryset = queryset.filter(access.under("region__code", f["region"]))
    if f["status"]:
        queryset = queryset.filter(poverty_status=f["status"])
    if f["attribute"]:
        queryset = queryset.filter(household_attribute=f["attribute"])
    if f["cause"]:
        cause = Q(main_cause=f["cause"])
        if f["other_causes"]:
            cause |= Q(other_cause_1=f["cause"]) | Q(other_cause_2=f["cause"])
        queryset = queryset.filter(cause)
    if f["identified_year"]:
        queryset = queryset.filter(first_identified_on__year=f["identified_year"])
    if f["exit_year"]:
        queryset = queryset.filter(exit_year=f["exit_year"])
    if f["quality"]:
        queryset = quality.CHECKS_BY_CODE[f["quality"]].households(queryset, timezone.localdate())
    for extra in _FILTERS.values():
        if value := f.get(extra.name):
            queryset = extra.apply(queryset, value)
    if sort := f["sort"]:
        descending, key = sort.startswith("-"), sort.lstrip("-")
        column = SORT_COLUMNS.get(key, key)
        queryset = queryset.order_by(f"{'-' if descending else ''}{column}", "pk")
    return form, queryset

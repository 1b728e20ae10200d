from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin import access

from .models import EventType


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("actor"), required=False)
    region = forms.CharField(label=_("region code"), required=False, max_length=12)
    event_type = forms.ChoiceField(
        label=_("action"), required=False, choices=[("", _("All actions")), *EventType.choices]
    )
    date_from = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filter(self, events):
        """Narrow an already scoped queryset by the submitted filters."""
        data = self.cleaned_data
        if data.get("actor"):
            events = events.filter(actor_name__icontains=data["actor"].strip())
        if data.get("region"):
            events = events.filter(access.under("region_code", data["region"].strip()))
        if data.get("event_type"):
            events = events.filter(event_type=data["event_type"])
        if data.get("date_from"):
            events = events.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            events = events.filter(at__date__lte=data["date_to"])
        return events

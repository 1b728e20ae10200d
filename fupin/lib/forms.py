from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads
REGION = forms.TextInput(attrs={"list": "region-options", "autocomplete": "off", "inputmode": "numeric"})
MONEY = {"max_digits": 14, "decimal_places": 2, "widget": forms.NumberInput(attrs={"step": "0.01", "min": "0"})}


class ReverseForm(forms.Form):
    """Reversing a ledger entry: why, and the day of the correction."""

    reason = forms.CharField(label=_("why it is corrected"), max_length=200)
    on = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)


def placeholders_from_labels(form: forms.Form) -> None:
    """A row of filters: the label lives in the box."""
    for field in form.fields.values():
        field.widget.attrs.update({"placeholder": field.label, "aria-label": field.label})


def add_errors(form: forms.Form, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Show an action's ValidationError on the form: on the field it names, else above the form."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        name = field_map.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def errors_to_messages(request, form: forms.Form) -> None:
    """A form posted from a row of a list page shows its errors as messages on that page, each with
    the field's label."""
    for name, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{form[name].label}：{error}" if name in form.fields else error)


def filters_of(form: forms.Form) -> dict:
    """The filters a list form applied: its non-empty cleaned values ({} when it is not valid)."""
    return {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}


def int_param(text) -> int | None:
    """A whole number from a query or form parameter, or None."""
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def saved(request, form: forms.Form, save, message: str):
    """Run `save` for a valid POST: what it saved, or None with the reasons shown on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except ValidationError as e:
        add_errors(form, e)
        return None
    messages.success(request, message)
    return result


def post_back(request, form: forms.Form, action, message: str, to, field_map: dict[str, str] | None = None):
    """A form posted from a record's page: run `action` with the cleaned data, report the outcome as
    messages and go back to `to` (a record or a URL)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e, field_map)
        else:
            messages.success(request, message)
    errors_to_messages(request, form)
    return redirect(to)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input (a phone offers its camera with capture)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []

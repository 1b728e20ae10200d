from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect


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

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError


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

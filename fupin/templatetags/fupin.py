from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def widget(field):
    """A form field's widget with Bootstrap's classes (and is-invalid when it has errors)."""
    input_type = getattr(field.field.widget, "input_type", "")
    css = "form-select" if input_type == "select" else "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def code(value, kind: str) -> str:
    """A code-list value's label: {{ household.main_cause|code:"poverty_cause" }}."""
    from fupin.codes.catalogue import label

    return label(kind, value)


@register.filter
def masked(value: str) -> str:
    from fupin.registry.id_numbers import mask

    return mask(value) if value else ""


@register.filter
def pct(value) -> str:
    """A percentage, or a dash when there is nothing to divide by (0.0% is a figure, not a dash)."""
    return "—" if value is None else f"{value}%"


@register.filter
def yuan(value) -> str:
    """An amount with thousands separators: 1,250,000.00 (also from the text a JSON record keeps)."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)):,.2f}"


@register.filter
def percent_text(value) -> str:
    """A percentage as people write it (90, 0.51): no exponent, no trailing zeros."""
    from fupin.lib.figures import percent_text as shown

    return "" if value in (None, "") else shown(value)


@register.inclusion_tag("_error_summary.html", takes_context=True)
def error_summary(context) -> dict:
    """Every error of the page's bound forms, at the top of the page, each linked to its field: a
    rejected form reloads at the top, and its messages may stand a screen or more below."""
    from django.core.exceptions import NON_FIELD_ERRORS
    from django.forms import BaseForm

    values = list(context.flatten().values())
    values += [v for d in values if isinstance(d, dict) for v in d.values()]  # a page's dict of forms
    items, seen = [], set()
    for form in values:
        if not isinstance(form, BaseForm) or not form.is_bound or id(form) in seen or not form.errors:
            continue
        seen.add(id(form))
        for name, errors in form.errors.items():
            field = form[name] if name != NON_FIELD_ERRORS and name in form.fields else None
            for error in errors:
                items.append((field.auto_id if field else "", field.label if field else "", error))
    return {"items": items}

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

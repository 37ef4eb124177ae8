from django import forms, template

from core.text import vi_number

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


_BOOTSTRAP_CLASSES = {"form-control", "form-select", "form-check-input"}


@register.simple_tag
def field_widget(field) -> str:
    """A form field's widget with the Bootstrap class for its kind, marked ``is-invalid`` when it has errors.

    A class the form already set is kept; radio and checkbox lists (rendered in a fieldset) get none.
    """
    widget = field.field.widget
    classes = widget.attrs.get("class", "").split()
    if not _BOOTSTRAP_CLASSES & set(classes) and not isinstance(widget, forms.RadioSelect):
        if isinstance(widget, forms.CheckboxInput):
            classes.append("form-check-input")
        elif isinstance(widget, forms.Select):
            classes.append("form-select")
        else:
            classes.append("form-control")
    if field.errors and not isinstance(widget, forms.RadioSelect):
        classes.append("is-invalid")
    return field.as_widget(attrs={"class": " ".join(classes)} if classes else None)


@register.filter
def number(value) -> str:
    """A count as Vietnamese write it ("12.345"): ``vi_number``, the text of ``intcomma`` in Vietnamese
    without its per-call locale lookups (the help-session list formats ≈230 counts a page)."""
    return "" if value in (None, "") else vi_number(value)

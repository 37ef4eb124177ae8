"""Form widgets shared by every app."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy, as Vietnamese users write it, whatever the browser's language.

    A native ``type="date"`` picker shows mm/dd/yyyy on a phone set to English; this text field shows
    one format everywhere and brings up the numeric keypad, and takes the date typed as eight digits.
    """

    def __init__(self, attrs=None):
        # data-date-dmy: static/js/portal.js shows eight typed digits as dd/mm/yyyy on leaving the field.
        base = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-date-dmy": "",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")

    def value_from_datadict(self, data, files, name):
        """ "05122026" as 05/12/2026: a phone's numeric keypad (iPhone's) has no "/" to type. Only
        eight digits, which read one way; anything else is left to the field's formats."""
        value = super().value_from_datadict(data, files, name)
        if isinstance(value, str) and len(value.strip()) == 8 and value.strip().isdigit():
            digits = value.strip()
            return f"{digits[:2]}/{digits[2:4]}/{digits[4:]}"
        return value


class UnitPicker(forms.Select):
    """A unit chosen by typing its name (with or without diacritics), not from a list of thousands.

    Only the chosen unit is rendered as an option; static/js/portal.js turns the select into a
    tom-select box that asks the unit search endpoint (``org:unit_pick``) for the units of the user's
    scope matching what is typed. ``purpose`` names the set searched (see portal.units.selectors).
    The form field keeps its queryset: what is posted is validated against it as before.
    """

    def __init__(self, attrs=None, *, purpose: str = "view"):
        self.purpose = purpose
        attrs = dict(attrs or {})
        attrs["class"] = " ".join(filter(None, [attrs.get("class", ""), "js-unit-picker"]))
        super().__init__(attrs=attrs)

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        context = super().get_context(name, value, attrs)
        url = f"{reverse('org:unit_pick')}?purpose={self.purpose}"
        context["widget"]["attrs"].update(
            {
                "data-unit-picker": "",
                "data-url": url,
                "data-placeholder": gettext("Type a unit's name"),
                "data-no-results": gettext("No unit matches"),
                "data-clear": gettext("Remove the chosen unit"),
            }
        )
        return context

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if v not in ("", None) and str(v).isdigit()]
        field = getattr(self.choices, "field", None)
        if field is None:  # plain choices: nothing to trim
            return super().optgroups(name, value, attrs)
        items = [("", field.empty_label)] if field.empty_label is not None else []
        if chosen:
            items += [
                (unit.pk, field.label_from_instance(unit)) for unit in field.queryset.filter(pk__in=chosen)
            ]
        everything, self.choices = self.choices, items
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = everything


def use_unit_picker(field, *, purpose: str = "view") -> None:
    """Give a ModelChoiceField of units the searchable picker (after its queryset is set)."""
    widget = UnitPicker(attrs=field.widget.attrs, purpose=purpose)
    widget.choices = field.choices
    field.widget = widget


class TimeInput24(forms.TimeInput):
    """A time typed as HH:MM on the 24-hour clock, whatever the phone's language.

    The native ``type="time"`` picker shows "03:00 AM" on a phone set to English. This text box brings
    up the numeric keypad; ``TIME_24_FORMATS`` also take "0730" and "7.30", typed without a colon.
    """

    def __init__(self, attrs=None):
        base = {"placeholder": "HH:MM", "inputmode": "numeric", "autocomplete": "off", "maxlength": "5"}
        base["pattern"] = r"([01]?[0-9]|2[0-3])[:.h]?[0-5][0-9]"
        super().__init__(attrs={**base, **(attrs or {})}, format="%H:%M")


TIME_24_FORMATS = ["%H:%M", "%H%M", "%H.%M", "%Hh%M"]


class PlainSelect(forms.Select):
    """A select whose options are written in Python, not through a template per option.

    Django's ``Select`` renders every ``<option>`` with its own template: a list filter of ≈340 units,
    teams, services and campaigns spent half the page's CPU there. Same HTML (attributes, the empty
    choice, the first matching value selected); grouped choices fall back to Django's rendering.
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(iter(self.choices))  # not list(choices): ModelChoiceIterator's len() is a COUNT
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        final_attrs = self.build_attrs(self.attrs, attrs)
        wanted = set(self.format_value(value))
        options, selected = [], False
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            mark = not selected and option_value in wanted
            selected = selected or mark
            options.append((option_value, " selected" if mark else "", label))
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(final_attrs),
            format_html_join("\n", '<option value="{}"{}>{}</option>', options),
        )

"""The formset every page's repeated rows use.

A blank extra row must stay blank when its selects show a preselected option: a required choice
field without an empty option (an objective's "Area") posts its first choice, and Django's
``has_changed()`` compares that to an initial of ``None``, so the untouched row counted as filled
and failed validation ("This field is required"), which made every save of an existing agreement
fail. Extra rows here take that preselected choice as their initial value: untouched, they are
unchanged (``empty_permitted`` then skips them); a person who types in them gets them validated.
"""

from django import forms


def _preselected(field: forms.Field):
    """The value a browser posts for an untouched select of this field, or None if it starts blank."""
    if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.MultipleChoiceField):
        return None
    for value, label in field.choices:
        if isinstance(label, (list, tuple)):  # an optgroup: its first option
            value = label[0][0] if label else None
        return None if value in ("", None) else value
    return None


class PortalFormSet(forms.BaseFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if i >= self.initial_form_count():
            for name, field in form.fields.items():
                if field.initial is None and name not in form.initial:
                    value = _preselected(field)
                    if value is not None:
                        field.initial = value
        return form

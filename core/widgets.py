"""Form widgets shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy, as Vietnamese users write it, whatever the browser's language.

    A native ``type="date"`` picker shows mm/dd/yyyy on a phone set to English; this text field shows
    one format everywhere and brings up the numeric keypad.
    """

    def __init__(self, attrs=None):
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")

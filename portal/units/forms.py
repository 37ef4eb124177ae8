from django import forms

from org.models import OrgUnit

FIELDS = ("document_place", "signer_title", "signer_name")


class DocumentSettingsForm(forms.Form):
    """The unit's report settings; the view saves them through ``org_unit_document_settings_update``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIELDS:
            field = OrgUnit._meta.get_field(name).formfield(required=False)
            field.widget.attrs["class"] = "form-control"
            self.fields[name] = field

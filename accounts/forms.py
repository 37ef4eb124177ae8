from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.access import Action, scope_for
from accounts.models import Role
from core.widgets import use_unit_picker
from org.models import OrgUnit


def _grantable_roles(user):
    roles = Role.choices if user.is_superuser else [c for c in Role.choices if c[0] != Role.ADMIN]
    return roles


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class _RoleFields(forms.Form):
    role = forms.ChoiceField(label=_("Role"), initial=Role.UNIT_LEADER)
    org_unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _grantable_roles(user)
        # Only current units the caller manages can be chosen; the service checks again.
        self.fields["org_unit"].queryset = scope_for(user, Action.MANAGE).units().current().order_by("path")
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        use_unit_picker(self.fields["org_unit"], purpose="manage")


class UserCreateForm(_RoleFields):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[a-z0-9_.-]+$",
        help_text=_("Lower-case letters, digits, dot, dash and underscore, e.g. leader_an_hoi."),
        error_messages={"invalid": _("Use only lower-case letters, digits, dot, dash and underscore.")},
    )
    last_name = forms.CharField(label=_("Family and middle name"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=True),
        help_text=_("At least 12 characters; the person should change it at first sign-in."),
    )

    field_order = ["username", "last_name", "first_name", "email", "password", "role", "org_unit"]


class RoleGrantForm(_RoleFields):
    pass

"""Forms: input parsing and widgets only; the writes are in services."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.widgets import DateInput, use_unit_picker
from partnerships.models import Partner
from volunteers.models import PHOTOS_PER_ACTIVITY, Activity, Membership, Skill, Team, Volunteer


def style(form) -> None:
    """Bootstrap classes on every visible widget (templates render widgets as they are)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        if len(files) > PHOTOS_PER_ACTIVITY:
            raise forms.ValidationError(
                _("At most %(count)d photos per activity.") % {"count": PHOTOS_PER_ACTIVITY}
            )
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.org_unit.name}"


class ActivityLogForm(StyledMixin, forms.Form):
    """The leader's phone form: one screen, big inputs, the team pre-selected when obvious."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    team = TeamChoiceField(label=_("Team"), queryset=Team.objects.none(), empty_label=_("Choose a team"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("What did the team do?"), choices=Activity.Kind.choices)
    title = forms.CharField(label=pgettext_lazy("activity", "Title"), max_length=200, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    participants = forms.IntegerField(
        label=_("People reached"),
        min_value=0,
        max_value=100000,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    volunteers_count = forms.IntegerField(
        label=_("Volunteers"),
        min_value=0,
        max_value=10000,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    volunteer_hours = forms.DecimalField(
        label=_("Volunteer-hours"),
        min_value=0,
        max_value=100000,
        decimal_places=1,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photos = MultiplePhotoField(
        label=_("Photos"), required=False, help_text=_("JPEG or PNG, up to 4, 5 MB each.")
    )

    def __init__(self, *args, teams, default_team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())
            self.initial.setdefault("date", timezone.localdate())
            if default_team is not None:
                self.initial.setdefault("team", default_team.pk)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("An activity cannot be logged for a future date."))
        return day


class ActivityEditForm(StyledMixin, forms.ModelForm):
    photos = MultiplePhotoField(
        label=_("Add photos"), required=False, help_text=_("JPEG or PNG, up to 4, 5 MB each.")
    )

    class Meta:
        model = Activity
        fields = [
            "date",
            "kind",
            "title",
            "place",
            "participants",
            "volunteers_count",
            "volunteer_hours",
            "note",
        ]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class TeamForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Team
        fields = [
            "name",
            "kind",
            "org_unit",
            "agreements",
            "status",
            "dissolved_on",
            "founded_on",
            "decision_number",
            "decision_date",
            "decision_file",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        widgets = {"founded_on": DateInput(), "decision_date": DateInput(), "dissolved_on": DateInput()}

    def __init__(self, *args, units, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units
        use_unit_picker(self.fields["org_unit"], purpose="log")
        self.fields["agreements"].queryset = agreements
        self.fields["agreements"].widget.attrs["size"] = 4


class TeamOrganisationForm(StyledMixin, forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Partner.objects.all(), empty_label=_("Choose an organisation")
    )
    role = forms.CharField(
        label=_("Role"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Role")}),
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput(), required=False)


class VolunteerForm(StyledMixin, forms.ModelForm):
    skill_names = forms.CharField(
        label=_("Skills"),
        required=False,
        help_text=_("Separated by commas, e.g. VNeID, online public services"),
    )

    class Meta:
        model = Volunteer
        fields = [
            "family_name",
            "middle_name",
            "given_name",
            "birth_year",
            "sex",
            "phone",
            "email",
            "member_code",
            "home_unit",
            "consent_on",
            "consent_purpose",
        ]
        widgets = {
            "consent_on": DateInput(),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].queryset = units
        use_unit_picker(self.fields["home_unit"], purpose="log")
        self.fields["consent_purpose"].initial = _(
            "Taking part in the union's digital-transformation volunteer team; contact about its activities."
        )
        self.fields["consent_on"].initial = timezone.localdate()
        if self.instance.pk and not self.is_bound:
            self.initial["skill_names"] = ", ".join(s.name for s in self.instance.skills.all())

    def skill_list(self) -> list[str]:
        return [s for s in self.cleaned_data.get("skill_names", "").split(",") if s.strip()]


class JoinTeamForm(VolunteerForm):
    """A new volunteer straight into a team (the phone flow's "add a volunteer")."""

    team = TeamChoiceField(label=_("Team"), queryset=Team.objects.none(), empty_label=_("Choose a team"))
    role = forms.ChoiceField(label=_("Role in the team"), choices=Membership.Role.choices, initial="member")

    field_order = ["team", "family_name", "middle_name", "given_name", "phone", "role"]

    def __init__(self, *args, teams, default_team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["home_unit"].required = False
        self.fields["home_unit"].help_text = _("Leave empty: the team's unit.")
        if default_team is not None and not self.is_bound:
            self.initial["team"] = default_team.pk


class MembershipAddForm(StyledMixin, forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial="member")
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput(), required=False)

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers


class RosterImportForm(StyledMixin, forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    consent_purpose = forms.CharField(
        label=_("Consent purpose recorded for these people"),
        max_length=255,
        initial=_(
            "Taking part in the union's digital-transformation volunteer team; contact about its activities."
        ),
    )


class TrainingForm(StyledMixin, forms.Form):
    course = forms.CharField(label=_("Course"), max_length=200, initial=_("National digital-literacy course"))
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())


class WeeklyReportForm(StyledMixin, forms.Form):
    note = forms.CharField(
        label=_("Note for the unit"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TeamFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Team.Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Team.Status.choices]
    )
    unit = forms.CharField(label=_("Unit code"), required=False)
    active = forms.BooleanField(label=_("Active in the last 30 days"), required=False)


class VolunteerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    skill = forms.ModelChoiceField(
        label=_("Skill"), required=False, queryset=Skill.objects.all(), empty_label=_("All skills")
    )
    unit = forms.CharField(label=_("Unit code"), required=False)
    active = forms.BooleanField(label=_("Active in the last 30 days"), required=False)

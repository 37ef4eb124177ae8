"""Forms: they parse and validate input; the services do the writing."""

import datetime
import uuid

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.access import Action, scope_for
from core.tabular import parse_month
from core.widgets import TIME_24_FORMATS, DateInput, PlainSelect, TimeInput24, use_unit_picker
from egov_support.models import Campaign, LocationKind, Service, ServiceStatistic, StatisticSource
from org.models import OrgUnit
from partnerships.models import Indicator
from volunteers.models import Activity, Team, Volunteer

STEPPER_FIELDS = ("citizens_assisted", "dossiers_online", "successful")
DETAIL_FIELDS = ("female", "male", "age_under_30", "age_30_59", "age_60_plus")


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates render fields without a form library."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class MonthField(forms.CharField):
    """A month typed as mm/yyyy (or picked with <input type=month>, which sends yyyy-mm)."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter a month as mm/yyyy.")) from exc


class HelpSessionForm(BootstrapMixin, forms.Form):
    """The phone form: the session's facts, then one row per service (rendered by hand, read here)."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    org_unit = forms.ModelChoiceField(label=_("Where it took place"), queryset=OrgUnit.objects.none())
    location_kind = forms.ChoiceField(label=_("Place"), choices=LocationKind.choices)
    address = forms.CharField(
        label=_("Address"),
        max_length=255,
        required=False,
        help_text=_(
            "Where it took place (cultural house, market, hamlet). Door to door: the hamlet only, no house number."
        ),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(
        label=_("From"),
        widget=TimeInput24(),
        input_formats=TIME_24_FORMATS,
        error_messages={"invalid": _("From: enter the time as HH:MM on the 24-hour clock, e.g. 07:30.")},
    )
    end_time = forms.TimeField(
        label=_("To"),
        widget=TimeInput24(),
        input_formats=TIME_24_FORMATS,
        error_messages={"invalid": _("To: enter the time as HH:MM on the 24-hour clock, e.g. 14:30.")},
    )
    volunteers = forms.ModelMultipleChoiceField(
        label=_("Volunteers present"), queryset=Volunteer.objects.none(), required=False
    )
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("No citizen's name, ID number or phone here."),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Yes, this is another session, log it too"), required=False
    )

    def __init__(self, *args, user, teams, services, campaigns, lines_initial=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines_initial = lines_initial or {}  # (service id, field) -> value of a session corrected
        self.user = user
        self.services = list(services)
        self.fields["team"].queryset = teams
        # Choosing a team loads its roster only (a province has thousands of volunteers).
        self.fields["team"].widget.attrs.update(
            {"hx-get": reverse("egov_support:session_roster"), "hx-target": "#volunteer-choices"}
        )
        team_units = OrgUnit.objects.filter(pk__in=teams.values("org_unit"))
        self.fields["org_unit"].queryset = scope_for(user, Action.LOG).filter(team_units)
        self.fields["campaign"].queryset = campaigns
        self.fields["volunteers"].queryset = Volunteer.objects.filter(
            memberships__team__in=teams, memberships__left_on__isnull=True
        ).distinct()
        self.lines: list[dict] = []
        self.line_errors: dict[int, dict] = {}
        self._style()

    def line_value(self, service: Service, name: str):
        """The value a row shows: what was posted (kept on error) or empty."""
        if self.is_bound:
            return self.data.get(f"svc-{service.pk}-{name}", "")
        value = self.lines_initial.get((service.pk, name))
        return "" if value is None else value

    def clean_volunteers(self) -> list[Volunteer]:
        # Nobody ticked: the field's empty queryset, which costs a compile to iterate; else the
        # chosen ones, already read by the field's own check.
        chosen = self.cleaned_data["volunteers"]
        return [] if chosen.query.is_empty() else list(chosen)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A session cannot be logged for a future date."))
        return day

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        self.lines = []
        for service in self.services:
            raw = {
                name: self.data.get(f"svc-{service.pk}-{name}", "").strip()
                for name in (*STEPPER_FIELDS, *DETAIL_FIELDS)
            }
            if all(value in ("", "0") for value in raw.values()):
                continue  # a service nobody was helped with
            line = {"service": service}
            for name, value in raw.items():
                if value == "":
                    line[name] = None
                    continue
                try:
                    number = int(value)
                except ValueError:
                    self.line_errors.setdefault(service.pk, {})[name] = [_("Enter a whole number.")]
                    continue
                if number < 0:
                    self.line_errors.setdefault(service.pk, {})[name] = [_("Cannot be negative.")]
                line[name] = number
            if not line.get("citizens_assisted") and service.pk not in self.line_errors:
                self.line_errors.setdefault(service.pk, {})["citizens_assisted"] = [
                    _("How many citizens were assisted?")
                ]
            self.lines.append(line)
        if not self.lines and not self.line_errors:
            self.add_error(None, _("Add at least one service with the number of citizens assisted."))
        if self.line_errors:
            self.add_error(None, _("Check the highlighted services."))
        return cleaned

    def apply_service_errors(self, exc) -> None:
        """Show a service's ValidationError on the form, each line's error on its own row."""
        for index, line_errors in getattr(exc, "line_errors", {}).items():
            if index < len(self.lines):
                self.line_errors[self.lines[index]["service"].pk] = line_errors
        for key, messages in exc.message_dict.items():
            if key in self.fields:
                self.add_error(key, messages)
            else:
                self.add_error(None, messages)

    @staticmethod
    def initial_from(session) -> dict:
        """A logged session's values, to correct it (its idempotency key stays its own)."""
        return {
            "idempotency_key": session.idempotency_key,
            "team": session.team,
            "org_unit": session.org_unit,
            "location_kind": session.location_kind,
            "address": session.address,
            "date": session.date,
            "start_time": session.start_time,
            "end_time": session.end_time,
            "volunteers": [v.pk for v in session.volunteers.all()],
            "campaign": session.campaign,
            "notes": session.notes,
        }

    @staticmethod
    def initial_for(*, teams, user=None) -> dict:
        now = timezone.localtime()
        start = (now - datetime.timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
        initial = {
            "idempotency_key": uuid.uuid4(),
            "date": now.date(),
            "start_time": start.time() if start.date() == now.date() else datetime.time(7, 30),
            "end_time": now.time().replace(second=0, microsecond=0),
            "location_kind": LocationKind.ONE_STOP_DESK,
        }
        if initial["end_time"] <= initial["start_time"]:
            initial["start_time"], initial["end_time"] = datetime.time(7, 30), datetime.time(11, 0)
        # The team the user leads (their volunteer record says so), else the only team they may log for.
        led = None
        if user is not None and user.is_authenticated:
            led = teams.filter(
                memberships__volunteer__user=user,
                memberships__role="leader",
                memberships__left_on__isnull=True,
            ).first()
        only = list(teams[:2])
        team = led or (only[0] if len(only) == 1 else None)
        if team is not None:
            initial["team"] = team
            initial["org_unit"] = team.org_unit
        return initial


class SessionFilterForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    # PlainSelect: options written in Python (Django's per-option template was half the page's CPU).
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, widget=PlainSelect
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none(), required=False, widget=PlainSelect
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False, widget=PlainSelect
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, units, teams, services, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        use_unit_picker(self.fields["unit"])
        self.fields["team"].queryset = teams
        self.fields["service"].queryset = services
        self.fields["campaign"].queryset = campaigns
        self._style()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the range is before its start."))
        return cleaned


class FollowUpContactForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    name = forms.CharField(label=_("Citizen's name"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    purpose = forms.CharField(label=_("Why call back"), max_length=255)
    purge_on = forms.DateField(label=_("Erase on"), widget=DateInput())
    consent_given = forms.BooleanField(
        label=_("The citizen agreed that the union keeps their name and phone for this call-back"),
        required=False,
    )


class ServiceStatisticForm(BootstrapMixin, forms.ModelForm):
    month = MonthField(
        label=_("Month"), help_text=_("mm/yyyy"), widget=forms.TextInput(attrs={"placeholder": "mm/yyyy"})
    )

    class Meta:
        model = ServiceStatistic
        fields = [
            "org_unit",
            "month",
            "source",
            "dossiers_total",
            "dossiers_online",
            "online_payments",
            "note",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = (
            scope_for(user, Action.MANAGE)
            .units()
            .filter(kind__in=[OrgUnit.Kind.PROVINCE, OrgUnit.Kind.COMMUNE])
            .order_by("depth", "name")
        )
        use_unit_picker(self.fields["org_unit"], purpose="manage")
        if self.instance.pk:
            self.initial["month"] = self.instance.month.strftime("%m/%Y")
            for name in ("org_unit", "month", "source"):
                self.fields[name].disabled = True
        self._style()

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month and month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("The month is in the future."))
        return month

    def validate_unique(self):
        # The service upserts (unit, month, source); uniqueness is not an error here.
        pass


class StatisticFilterForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    month_from = MonthField(
        label=_("From month"), required=False, widget=forms.TextInput(attrs={"placeholder": "mm/yyyy"})
    )
    month_to = MonthField(
        label=_("To month"), required=False, widget=forms.TextInput(attrs={"placeholder": "mm/yyyy"})
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("All sources")), *StatisticSource.choices], required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        use_unit_picker(self.fields["unit"])
        self._style()


class StatisticImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class CampaignForm(BootstrapMixin, forms.ModelForm):
    """A campaign run by a unit the user manages; the service checks the same scope again."""

    class Meta:
        model = Campaign
        fields = ["name", "theme", "org_unit", "starts_on", "ends_on", "description"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = scope_for(user, Action.MANAGE).units().order_by("depth", "name")
        use_unit_picker(self.fields["org_unit"], purpose="manage")
        self._style()

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The campaign ends before it starts."))
        return data


class CampaignTargetForm(BootstrapMixin, forms.Form):
    indicator = forms.ModelChoiceField(
        label=pgettext_lazy("campaign", "Indicator"), queryset=Indicator.objects.none()
    )
    org_unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    target_value = forms.DecimalField(
        label=_("Target value"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={"min_value": _("Target value: enter a number of 0 or more.")},
    )
    baseline = forms.DecimalField(
        label=_("Baseline"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        error_messages={"min_value": _("Baseline: enter a number of 0 or more.")},
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, user, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["org_unit"].queryset = scope_for(user, Action.MANAGE).units().order_by("depth", "name")
        use_unit_picker(self.fields["org_unit"], purpose="manage")
        self._style()


class CampaignActivitiesForm(forms.Form):
    activities = forms.ModelMultipleChoiceField(
        label=_("Activities"), queryset=Activity.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = activities
        self.fields["activities"].label_from_instance = lambda a: f"{a.date:%d/%m/%Y} · {a.team} · {a.title}"

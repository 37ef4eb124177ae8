"""The agreement form: the agreement itself plus four formsets (parties, objectives, commitments,
targets). Commitments and targets name their objective by its number, and a commitment its party by
its row number, so the whole agreement is entered on one page and saved in one transaction.
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from accounts.access import Action, scope_for
from core.formsets import PortalFormSet
from core.widgets import DateInput, use_unit_picker
from org.models import OrgUnit
from partnerships import services
from partnerships.models import Agreement, AgreementParty, Commitment, Indicator, Objective, Partner

DATE_WIDGET = DateInput()


def _date_field(label, required=True):
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET)


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "code",
            "title",
            "kind",
            "signed_on",
            "signed_place",
            "start_date",
            "end_date",
            "summary",
            "legal_references",
            "follows",
            "document",
        ]
        widgets = {
            "signed_on": DATE_WIDGET,
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "legal_references": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from partnerships.selectors import agreements_visible

        follows = agreements_visible(user).order_by("-start_date")
        if self.instance.pk:
            follows = follows.exclude(pk=self.instance.pk)
        self.fields["follows"].queryset = follows
        self.fields["document"].widget = forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The phase cannot end before it starts."))
        return data


class PartyForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    org_unit = forms.ModelChoiceField(label=_("Union unit"), queryset=OrgUnit.objects.none(), required=False)
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none(), required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=AgreementParty.Role.choices, initial=AgreementParty.Role.SIGNATORY
    )
    signatory_name = forms.CharField(label=_("Signatory's name"), max_length=255, required=False)
    signatory_title = forms.CharField(label=_("Signatory's title"), max_length=255, required=False)

    def __init__(self, *args, unit_choices=None, partner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = unit_choices
        use_unit_picker(self.fields["org_unit"], purpose="party")
        self.fields["partner"].queryset = partner_choices

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("DELETE"):
            if data.get("org_unit") and data.get("partner"):
                self.add_error("partner", _("Choose either a union unit or a partner, not both."))
            elif not data.get("org_unit") and not data.get("partner"):
                self.add_error("org_unit", _("Choose a union unit or a partner."))
        return data


class ObjectiveForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    number = forms.IntegerField(label=_("No."), min_value=1, max_value=999)
    text = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}))
    area = forms.ChoiceField(label=_("Area"), choices=Objective.Area.choices)


class CommitmentForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    objective_number = forms.IntegerField(label=_("Objective no."), min_value=1, max_value=999)
    party_number = forms.IntegerField(label=_("Party no."), min_value=1, max_value=99, required=False)
    text = forms.CharField(label=_("Commitment"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Owner"), max_length=255, required=False)
    due_date = _date_field(_("Due date"), required=False)
    recurrence = forms.ChoiceField(
        label=_("Recurrence"), choices=Commitment.Recurrence.choices, initial=Commitment.Recurrence.ONCE
    )


class TargetForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    objective_number = forms.IntegerField(label=_("Objective no."), min_value=1, max_value=999)
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.all())
    org_unit = forms.ModelChoiceField(label=_("Applies to"), queryset=OrgUnit.objects.none())
    responsible_partner = forms.ModelChoiceField(
        label=_("Responsible party"),
        queryset=Partner.objects.none(),
        required=False,
        help_text=_("A partner or department that commits to it (optional)."),
    )
    baseline = forms.DecimalField(
        label=_("Baseline"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    target_value = forms.DecimalField(label=_("Target value"), min_value=0, max_digits=14, decimal_places=2)
    deadline = _date_field(_("Deadline"))
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("", _("As the indicator"))] + Indicator.Direction.choices,
        required=False,
    )

    def __init__(self, *args, unit_choices=None, partner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = unit_choices
        self.fields["responsible_partner"].queryset = partner_choices
        use_unit_picker(self.fields["org_unit"], purpose="manage")


class BasePartyFormSet(PortalFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.has_changed() or form.cleaned_data.get("DELETE"):
                continue
            key = form.cleaned_data.get("org_unit") or form.cleaned_data.get("partner")
            if key in seen:
                raise forms.ValidationError(_("The same party is listed twice."))
            seen.add(key)


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=0, min_num=2, validate_min=True, can_delete=True
)
ObjectiveFormSet = forms.formset_factory(ObjectiveForm, formset=PortalFormSet, extra=1, can_delete=True)
CommitmentFormSet = forms.formset_factory(CommitmentForm, formset=PortalFormSet, extra=1, can_delete=True)
TargetFormSet = forms.formset_factory(TargetForm, formset=PortalFormSet, extra=1, can_delete=True)


def _is_live(form) -> bool:
    """A row to save: filled in (or an existing row) and not ticked for deletion."""
    data = getattr(form, "cleaned_data", None)
    return bool(data) and not data.get("DELETE") and bool(data.get("id") or form.has_changed())


def _kept(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms if _is_live(f)]


class AgreementFormBundle:
    """The agreement form and its formsets, validated together and turned into service inputs."""

    def __init__(self, *, user, data=None, files=None, agreement: Agreement | None = None):
        self.user = user
        self.agreement = agreement
        union_units = OrgUnit.objects.exclude(kind=OrgUnit.Kind.COMMUNE).order_by("path")
        target_units = scope_for(user, Action.MANAGE).units().order_by("path")
        if agreement is not None:  # keep the units already used selectable
            target_units = target_units | OrgUnit.objects.filter(targets__objective__agreement=agreement)
            target_units = target_units.distinct().order_by("path")
        partners = Partner.objects.order_by("name")
        initial = self._initial(agreement) if agreement is not None and data is None else {}
        self.form = AgreementForm(data, files, instance=agreement, user=user)
        self.parties = PartyFormSet(
            data,
            prefix="parties",
            initial=initial.get("parties"),
            form_kwargs={"unit_choices": union_units, "partner_choices": partners},
        )
        self.objectives = ObjectiveFormSet(data, prefix="objectives", initial=initial.get("objectives"))
        self.commitments = CommitmentFormSet(data, prefix="commitments", initial=initial.get("commitments"))
        self.targets = TargetFormSet(
            data,
            prefix="targets",
            initial=initial.get("targets"),
            form_kwargs={"unit_choices": target_units, "partner_choices": partners},
        )
        if agreement is None and data is None:
            self.parties.extra = 0

    @staticmethod
    def _initial(agreement: Agreement) -> dict:
        parties = list(agreement.parties.all())
        position = {p.pk: n for n, p in enumerate(parties, start=1)}
        objectives = list(agreement.objectives.all())
        return {
            "parties": [
                {
                    "id": p.pk,
                    "org_unit": p.org_unit_id,
                    "partner": p.partner_id,
                    "role": p.role,
                    "signatory_name": p.signatory_name,
                    "signatory_title": p.signatory_title,
                }
                for p in parties
            ],
            "objectives": [
                {"id": o.pk, "number": o.number, "text": o.text, "area": o.area} for o in objectives
            ],
            "commitments": [
                {
                    "id": c.pk,
                    "objective_number": o.number,
                    "party_number": position.get(c.party_id),
                    "text": c.text,
                    "owner": c.owner,
                    "due_date": c.due_date,
                    "recurrence": c.recurrence,
                }
                for o in objectives
                for c in o.commitments.all()
            ],
            "targets": [
                {
                    "id": t.pk,
                    "objective_number": o.number,
                    "indicator": t.indicator_id,
                    "org_unit": t.org_unit_id,
                    "baseline": t.baseline,
                    "target_value": t.target_value,
                    "deadline": t.deadline,
                    "direction": t.direction,
                    "responsible_partner": t.responsible_partner_id,
                }
                for o in objectives
                for t in o.targets.all()
            ],
        }

    @property
    def formsets(self):
        return [self.parties, self.objectives, self.commitments, self.targets]

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        results = [fs.is_valid() for fs in self.formsets]  # every formset, so every error shows
        valid = all(results) and valid
        if not valid:
            return False
        numbers = {o["number"] for o in _kept(self.objectives)}
        party_count = len(_kept(self.parties))
        for formset in (self.commitments, self.targets):
            for form in formset.forms:
                if not _is_live(form):
                    continue
                data = form.cleaned_data
                if data["objective_number"] not in numbers:
                    form.add_error("objective_number", _("There is no objective with this number."))
                    valid = False
                if (
                    formset is self.commitments
                    and data.get("party_number")
                    and data["party_number"] > party_count
                ):
                    form.add_error("party_number", _("There is no party with this number."))
                    valid = False
        return valid

    def service_kwargs(self) -> dict:
        data = self.form.cleaned_data
        fields = {name: data[name] for name in services.AGREEMENT_FIELDS if name in data}
        document = data.get("document")
        if document is False:
            fields["document"] = ""  # "clear" ticked
        elif isinstance(document, UploadedFile):
            fields["document"] = document
        parties = [
            services.PartyInput(
                id=p.get("id"),
                org_unit=p.get("org_unit"),
                partner=p.get("partner"),
                role=p["role"],
                signatory_name=p.get("signatory_name", ""),
                signatory_title=p.get("signatory_title", ""),
            )
            for p in _kept(self.parties)
        ]
        objectives = {
            o["number"]: services.ObjectiveInput(
                id=o.get("id"), number=o["number"], text=o["text"], area=o["area"]
            )
            for o in _kept(self.objectives)
        }
        for c in _kept(self.commitments):
            objectives[c["objective_number"]].commitments.append(
                services.CommitmentInput(
                    id=c.get("id"),
                    text=c["text"],
                    party_number=c.get("party_number"),
                    owner=c.get("owner", ""),
                    due_date=c.get("due_date"),
                    recurrence=c["recurrence"],
                )
            )
        for t in _kept(self.targets):
            objectives[t["objective_number"]].targets.append(
                services.TargetInput(
                    id=t.get("id"),
                    indicator=t["indicator"],
                    org_unit=t["org_unit"],
                    baseline=t.get("baseline"),
                    target_value=t["target_value"],
                    deadline=t["deadline"],
                    direction=t.get("direction") or None,
                    responsible_partner=t.get("responsible_partner"),
                )
            )
        return {
            "parties": parties,
            "objectives": sorted(objectives.values(), key=lambda o: o.number),
            **fields,
        }

    def add_service_errors(self, error) -> None:
        """Put a service's ValidationError next to the field it names, or at the top."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                if name in self.form.fields:
                    for message in messages:
                        self.form.add_error(name, message)
                else:
                    for message in messages:
                        self.form.add_error(None, message)
        else:
            for message in error.messages:
                self.form.add_error(None, message)


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "short_name", "kind", "parent"]


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Agreement.Status.choices)

"""Admin of the indicator catalogue: an administrator defines an indicator with how it is computed.

An indicator is defined from what the portal records (``progress.services.indicator_define``): the
form below offers the sources, fields and filters in Vietnamese, shows every error by its field, and
the next rollup (queued when the definition commits) computes it beside the built-in indicators,
whose rules came with the migrations: of those, only the names change here.
"""

from django import forms
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.access import Action, can_anywhere
from accounts.choices import choices_for
from egov_support.models import Service
from partnerships.models import Indicator
from progress import services
from progress.models import Aggregation, DataSource, IndicatorRule, MeasureField, Operation
from volunteers.models import Activity

BLANK = [("", "---------")]
SIDES = ("numerator", "denominator")
MEASURE_PARTS = ("source", "operation", "field", "service", "service_category", "activity_kind")


class IndicatorDefinitionForm(forms.ModelForm):
    """The indicator's own fields, then how it is computed: a sum or a ratio of measures."""

    formula = forms.ChoiceField(
        label=_("formula"),
        choices=[
            (services.Formula.SUM, _("Sum: one measure")),
            (services.Formula.RATIO, _("Ratio: Σ numerator ÷ Σ denominator (at every level)")),
        ],
        initial=services.Formula.SUM,
        widget=forms.RadioSelect,
    )
    aggregation = forms.ChoiceField(
        label=_("aggregation over time"),
        choices=[
            (Aggregation.FLOW, _("Flow: what happens in a period, summed over its months")),
            (Aggregation.STOCK, _("Stock: the level at the period's last month (rosters, official figures)")),
        ],
        initial=Aggregation.FLOW,
        widget=forms.RadioSelect,
    )
    scale = forms.IntegerField(
        label=_("scale"),
        required=False,
        min_value=1,
        help_text=_(
            "Value = numerator ÷ denominator × scale: 100 for a percentage (the default of a ratio)."
        ),
    )

    class Meta:
        model = Indicator
        fields = ["code", "name_vi", "name_en", "unit", "direction", "description"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for side in SIDES:  # the services an administrator may name (the one choice rule)
            self.fields[f"{side}_service"].queryset = choices_for(user, Service, Action.MANAGE)
        rule = IndicatorRule.objects.filter(indicator=self.instance).first() if self.instance.pk else None
        if rule is not None and rule.is_data_defined:
            self.initial.update(
                formula=services.Formula.RATIO if rule.is_ratio else services.Formula.SUM,
                aggregation=rule.aggregation,
                scale=rule.scale,
            )
            for side, measure in (
                ("numerator", rule.numerator_measure),
                ("denominator", rule.denominator_measure),
            ):
                if measure is not None:
                    for part in MEASURE_PARTS:
                        value = measure.service_id if part == "service" else getattr(measure, part)
                        self.initial[f"{side}_{part}"] = value

    def spec(self, side: str) -> services.MeasureSpec:
        data = self.cleaned_data
        return services.MeasureSpec(
            source=data.get(f"{side}_source") or "",
            operation=data.get(f"{side}_operation") or "",
            field=data.get(f"{side}_field") or "",
            service=data.get(f"{side}_service"),
            service_category=data.get(f"{side}_service_category") or "",
            activity_kind=data.get(f"{side}_activity_kind") or "",
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned  # a missing choice is reported on its own first
        errors = services.indicator_definition_errors(
            formula=cleaned.get("formula", ""),
            aggregation=cleaned.get("aggregation", ""),
            numerator=self.spec("numerator"),
            denominator=self.spec("denominator"),
        )
        for key, message in errors.items():
            self.add_error(key if key in self.fields else None, message)
        return cleaned

    def definition(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name_vi": data["name_vi"],
            "name_en": data["name_en"],
            "unit": data["unit"],
            "direction": data["direction"],
            "description": data.get("description", ""),
            "formula": data["formula"],
            "aggregation": data["aggregation"],
            "scale": data.get("scale"),
            "numerator": self.spec("numerator"),
            "denominator": self.spec("denominator"),
        }


def _measure_fields(side: str) -> dict:
    """The fields of one side of the formula, named ``<side>_<part>`` (as the service's errors)."""
    required = side == "numerator"
    label = _("Numerator") if required else _("Denominator")
    return {
        f"{side}_source": forms.ChoiceField(
            label=format_lazy(_("{side}: counted or summed from"), side=label),
            choices=BLANK + DataSource.choices,
            required=required,
        ),
        f"{side}_operation": forms.ChoiceField(
            label=format_lazy(_("{side}: operation"), side=label),
            choices=BLANK + Operation.choices,
            required=False,
        ),
        f"{side}_field": forms.ChoiceField(
            label=format_lazy(_("{side}: field summed"), side=label),
            choices=BLANK + MeasureField.choices,
            required=False,
            help_text=_("Only for a sum."),
        ),
        f"{side}_service": forms.ModelChoiceField(
            label=format_lazy(_("{side}: only the service"), side=label),
            queryset=Service.objects.none(),
            required=False,
            help_text=_("Help-session lines only."),
        ),
        f"{side}_service_category": forms.ChoiceField(
            label=format_lazy(_("{side}: only the service group"), side=label),
            choices=BLANK + Service.Category.choices,
            required=False,
            help_text=_("Help-session lines only."),
        ),
        f"{side}_activity_kind": forms.ChoiceField(
            label=format_lazy(_("{side}: only activities of kind"), side=label),
            choices=BLANK + Activity.Kind.choices,
            required=False,
            help_text=_("Activities only."),
        ),
    }


# Declared after the class so that both sides share one definition (the admin's fieldsets name them).
for _side in SIDES:
    for _name, _field in _measure_fields(_side).items():
        IndicatorDefinitionForm.base_fields[_name] = _field
        IndicatorDefinitionForm.declared_fields[_name] = _field


class IndicatorNamesForm(forms.ModelForm):
    """A built-in indicator: its names change, how it is computed does not."""

    class Meta:
        model = Indicator
        fields = ["name_vi", "name_en", "unit", "direction", "description"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


def _measure_fieldset(side: str, title) -> tuple:
    return (title, {"fields": [f"{side}_{part}" for part in MEASURE_PARTS]})


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Staff read the catalogue; only administrators define or change an indicator; nobody deletes
    one (targets refer to it). Every write goes through ``progress.services``."""

    form = IndicatorDefinitionForm
    list_display = ["code", "name_vi", "unit", "kind", "direction", "computed_as"]
    list_filter = ["kind", "direction"]
    search_fields = ["code", "name_vi", "name_en"]
    fieldsets = [
        (_("Indicator"), {"fields": ["code", "name_vi", "name_en", "unit", "direction", "description"]}),
        (_("How it is computed"), {"fields": ["formula", "aggregation", "scale"]}),
        _measure_fieldset("numerator", _("Numerator (the measure of a sum)")),
        _measure_fieldset("denominator", _("Denominator (a ratio only)")),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("rule__numerator_measure__service", "rule__denominator_measure__service")
        )

    @admin.display(description=_("computed as"))
    def computed_as(self, obj: Indicator) -> str:
        rule = getattr(obj, "rule", None)
        if rule is None:
            return str(_("not computed"))
        if not rule.is_data_defined:
            return str(_("built-in rule"))
        text = str(rule.numerator_measure)
        if rule.denominator_measure is not None:
            text += f" ÷ {rule.denominator_measure}"
        return f"{text} ({rule.get_aggregation_display()})"

    def _built_in(self, obj) -> bool:
        rule = IndicatorRule.objects.filter(indicator=obj).first() if obj is not None else None
        return rule is not None and not rule.is_data_defined

    def get_fieldsets(self, request, obj=None):
        if self._built_in(obj):
            return [(_("Indicator"), {"fields": IndicatorNamesForm._meta.fields})]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._built_in(obj):
            kwargs["form"] = IndicatorNamesForm
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithUser(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, **inner)

        return WithUser

    def save_model(self, request, obj, form, change):
        if isinstance(form, IndicatorDefinitionForm):
            definition = form.definition() if not change else {**form.definition(), "code": obj.code}
            services.indicator_define(indicator=obj, **definition)
        else:
            services.indicator_update(
                indicator=obj,
                name_vi=obj.name_vi,
                name_en=obj.name_en,
                unit=obj.unit,
                direction=obj.direction,
                description=obj.description,
            )

    def has_module_permission(self, request):
        return request.user.is_superuser or can_anywhere(request.user, Action.MANAGE)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_superuser  # the catalogue is shared by the whole country

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # targets refer to indicators


@admin.register(IndicatorRule)
class IndicatorRuleAdmin(admin.ModelAdmin):
    """How indicators are computed: readable by admins; built-in rules come in migrations, the
    data-defined ones with their indicator (the indicator's admin)."""

    list_display = [
        "indicator",
        "numerator",
        "numerator_measure",
        "denominator",
        "denominator_measure",
        "aggregation",
        "scale",
        "source",
        "sort_order",
    ]
    list_select_related = ["indicator", "numerator_measure__service", "denominator_measure__service"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

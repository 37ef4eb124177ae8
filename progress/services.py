"""Writes of the progress app: indicators defined as data (issue #22 item 4).

An administrator defines an indicator from what the portal records: a measure (count or sum over
one source, filtered), or a ratio of two, a flow or a stock. It is validated here, whoever calls
(the admin form today), and computed by the rollup beside the built-in indicators: the next run
computes a new or changed definition in full, and one is queued when the definition commits.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.progress_marks import queue_progress_rollup
from egov_support.models import Service
from partnerships.models import Indicator
from progress.models import (
    FIELD_COLUMNS,
    Aggregation,
    DataMeasure,
    DataSource,
    IndicatorRule,
    Operation,
    Source,
)

PERCENT = 100


class Formula:
    SUM = "sum"
    RATIO = "ratio"


@dataclass(frozen=True)
class MeasureSpec:
    """One side of an indicator: what to count or sum, and which records."""

    source: str = ""
    operation: str = ""
    field: str = ""
    service: Service | None = None
    service_category: str = ""
    activity_kind: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.source or self.operation or self.field or self.service or self.service_category)


# Stocks are read at a month's end: rosters are, and an official statistic is a month's figure;
# help-session lines and activities happen in a month, so they only add up (flows).
STOCK_SOURCES = {DataSource.MEMBERSHIPS, DataSource.STATISTICS}


def _measure_errors(spec: MeasureSpec, side: str, aggregation: str) -> dict[str, str]:
    """Errors of one side, keyed ``<side>_<field>`` (the admin form's field names)."""
    errors: dict[str, str] = {}
    label = _("Numerator") if side == "numerator" else _("Denominator")
    if not spec.source:
        errors[f"{side}_source"] = _("%(side)s: choose what the portal counts or sums.") % {"side": label}
        return errors
    source_label = DataSource(spec.source).label
    if not spec.operation:
        errors[f"{side}_operation"] = _("%(side)s: choose a count or a sum.") % {"side": label}
    elif spec.source == DataSource.MEMBERSHIPS and spec.operation == Operation.SUM:
        errors[f"{side}_operation"] = _("%(side)s: memberships can only be counted, not summed.") % {
            "side": label
        }
    elif spec.operation == Operation.SUM and not spec.field:
        errors[f"{side}_field"] = _("%(side)s: a sum needs the field it adds up.") % {"side": label}
    elif spec.operation == Operation.COUNT and spec.field:
        errors[f"{side}_field"] = _("%(side)s: a count adds up no field; leave the field empty.") % {
            "side": label
        }
    if spec.field and spec.field in FIELD_COLUMNS and FIELD_COLUMNS[spec.field][0] != spec.source:
        errors[f"{side}_field"] = _("%(side)s: this field is not one of “%(source)s”.") % {
            "side": label,
            "source": source_label,
        }
    if (spec.service or spec.service_category) and spec.source != DataSource.SERVICE_LINES:
        key = f"{side}_service" if spec.service else f"{side}_service_category"
        errors[key] = _(
            "%(side)s: only help-session lines are filtered by service; “%(source)s” has none."
        ) % {
            "side": label,
            "source": source_label,
        }
    elif spec.service and spec.service_category and spec.service.category != spec.service_category:
        errors[f"{side}_service_category"] = _(
            "%(side)s: the filter matches nothing: “%(service)s” is not in this service group."
        ) % {"side": label, "service": spec.service}
    elif spec.service_category and not Service.objects.filter(category=spec.service_category).exists():
        errors[f"{side}_service_category"] = _(
            "%(side)s: the filter matches nothing: the catalogue has no service in this group."
        ) % {"side": label}
    if spec.activity_kind and spec.source != DataSource.ACTIVITIES:
        errors[f"{side}_activity_kind"] = _(
            "%(side)s: only activities are filtered by kind; “%(source)s” has none."
        ) % {"side": label, "source": source_label}
    if aggregation == Aggregation.STOCK and spec.source not in STOCK_SOURCES:
        errors["aggregation"] = _(
            "“%(source)s” happen within a month and only add up over a period: choose a flow."
        ) % {"source": source_label}
    return errors


def indicator_definition_errors(
    *, formula: str, aggregation: str, numerator: MeasureSpec, denominator: MeasureSpec | None
) -> dict[str, str]:
    """Every error of a definition at once, keyed by the admin form's field names."""
    errors: dict[str, str] = {}
    if aggregation not in (Aggregation.FLOW, Aggregation.STOCK):
        errors["aggregation"] = _("Choose a flow or a stock.")
    if formula not in (Formula.SUM, Formula.RATIO):
        errors["formula"] = _("Choose a sum or a ratio.")
    errors.update(_measure_errors(numerator, "numerator", aggregation))
    has_denominator = denominator is not None and not denominator.is_empty
    if formula == Formula.RATIO and not has_denominator:
        errors["denominator_source"] = _("A ratio needs a denominator: choose what it is computed from.")
    elif formula == Formula.SUM and has_denominator:
        errors["denominator_source"] = _("A sum has no denominator: leave it empty, or choose a ratio.")
    elif has_denominator:
        for key, message in _measure_errors(denominator, "denominator", aggregation).items():
            errors.setdefault(key, message)
        if denominator == numerator:
            errors["denominator_source"] = _(
                "The denominator is the numerator: the ratio would always be 100%."
            )
    return errors


def _save_measure(measure: DataMeasure | None, spec: MeasureSpec, aggregation: str) -> DataMeasure:
    fields = {
        "source": spec.source,
        "operation": spec.operation,
        "field": spec.field,
        "service": spec.service,
        "service_category": spec.service_category,
        "activity_kind": spec.activity_kind,
        "aggregation": aggregation,
    }
    if measure is None:
        measure = DataMeasure(**fields)
    elif any(getattr(measure, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(measure, k, v)
        measure.revision += 1  # the next rollup computes it in full
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def indicator_define(
    *,
    code: str,
    name_vi: str,
    name_en: str,
    unit: str,
    direction: str,
    description: str = "",
    formula: str,
    aggregation: str,
    numerator: MeasureSpec,
    denominator: MeasureSpec | None = None,
    scale: int | None = None,
    indicator: Indicator | None = None,
) -> Indicator:
    """Create (or, with ``indicator``, change) an indicator defined as data, and queue the rollup.

    Raises ``ValidationError`` naming the fields (nothing is saved). An indicator computed by a
    built-in rule cannot be redefined here: only its names change (``indicator_update``).
    """
    rule = (
        IndicatorRule.objects.filter(indicator=indicator).first()
        if indicator is not None and indicator.pk
        else None
    )
    if rule is not None and not rule.is_data_defined:
        raise ValidationError(
            {"formula": _("This indicator is computed by a built-in rule; only its names change.")}
        )
    errors = indicator_definition_errors(
        formula=formula, aggregation=aggregation, numerator=numerator, denominator=denominator
    )
    is_ratio = formula == Formula.RATIO
    if scale is not None and scale < 1:
        errors["scale"] = _("The scale is a whole number from 1 (100 for a percentage).")
    target = indicator or Indicator()
    target.code, target.name_vi, target.name_en = code, name_vi, name_en
    target.unit, target.direction, target.description = unit, direction, description
    target.kind = Indicator.Kind.RATIO if is_ratio else Indicator.Kind.COUNT
    try:
        target.full_clean()
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, " ".join(messages))
    if errors:
        raise ValidationError(errors)
    target.save()

    numerator_measure = _save_measure(rule.numerator_measure if rule else None, numerator, aggregation)
    old_denominator = rule.denominator_measure if rule else None
    denominator_measure = (
        _save_measure(old_denominator, denominator, aggregation) if is_ratio and denominator else None
    )
    if rule is None:
        order = IndicatorRule.objects.aggregate(m=Max("sort_order"))["m"] or 0
        rule = IndicatorRule(indicator=target, sort_order=order + 10)
    rule.numerator, rule.denominator = "", ""
    rule.numerator_measure, rule.denominator_measure = numerator_measure, denominator_measure
    rule.aggregation = aggregation
    rule.scale = scale or (PERCENT if is_ratio else 1)
    rule.source = Source.OFFICIAL if numerator.source == DataSource.STATISTICS else Source.VOLUNTEERS
    rule.full_clean()
    rule.save()
    if old_denominator is not None and denominator_measure is None:
        old_denominator.delete()  # its rows go with it (the next run finds nothing left of it)
    queue_progress_rollup()
    return target


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, name_vi: str, name_en: str, unit: str, direction: str, description: str = ""
) -> Indicator:
    """Change an indicator's names, unit and direction (how it is computed stays as it is)."""
    indicator.name_vi, indicator.name_en, indicator.unit = name_vi, name_en, unit
    indicator.direction, indicator.description = direction, description
    indicator.full_clean()
    indicator.save()
    return indicator

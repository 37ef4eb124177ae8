"""Progress: how each indicator is computed, the rolled-up values, and where each target stands.

Facts come from the apps below (help sessions, activities, teams, memberships, official statistics).
The rollup (``progress.rollup``) pre-aggregates them per source unit and month into ``Fact``,
joins the small ``RollupMap`` (source unit -> every unit it counts toward, per range of months) and
writes ``Progress`` rows by upsert. Nothing here is edited by hand: the rollup owns these tables.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history_records import HistoricalRecords
from egov_support.models import CampaignTarget, Service
from org.models import OrgUnit
from partnerships.models import Indicator, Target
from volunteers.models import Activity


class Measure(models.TextChoices):
    """Quantities measured from the facts; each is computed in ``progress.measures`` by set-based SQL."""

    CITIZENS_ASSISTED = "citizens_assisted", _("Citizens assisted")
    DOSSIERS_ASSISTED = "dossiers_assisted", _("Dossiers submitted with help")
    VNEID_ACTIVATIONS = "vneid_activations", _("VNeID activations assisted")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer-hours")
    TEAMS_ACTIVE = "teams_active", _("Teams active")
    VOLUNTEERS_ACTIVE = "volunteers_active", _("Volunteers active")
    COMMUNES_WITH_TEAM = "communes_with_team", _("Communes with an active team")
    COMMUNES = "communes", _("Communes")
    OFFICIAL_DOSSIERS_TOTAL = "official_dossiers_total", _("Dossiers received (official)")
    OFFICIAL_DOSSIERS_ONLINE = "official_dossiers_online", _("Dossiers received online (official)")


class Aggregation(models.TextChoices):
    FLOW = "flow", _("Flow: summed over the period")
    STOCK = "stock", _("Stock: the value at the period's last month")
    DISTINCT = "distinct", _("Distinct: counted once over the period")


class Source(models.TextChoices):
    VOLUNTEERS = "volunteers", _("Volunteer outputs")
    OFFICIAL = "official", _("Official outcomes")


class DataSource(models.TextChoices):
    """What the portal records that a data-defined measure counts or sums."""

    SERVICE_LINES = "service_lines", _("Help-session lines (per service)")
    ACTIVITIES = "activities", _("Team activities")
    MEMBERSHIPS = "memberships", _("Team memberships")
    STATISTICS = "statistics", _("Official statistics")


class Operation(models.TextChoices):
    COUNT = "count", _("Count of records")
    SUM = "sum", _("Sum of a field")


class MeasureField(models.TextChoices):
    """The numeric fields a sum may add up, each of one source (its value names the source)."""

    LINE_CITIZENS = "line_citizens_assisted", _("Help-session lines: citizens assisted")
    LINE_ONLINE = "line_dossiers_online", _("Help-session lines: dossiers submitted online")
    LINE_SUCCESSFUL = "line_successful", _("Help-session lines: successful completions")
    ACTIVITY_PARTICIPANTS = "activity_participants", _("Activities: people reached")
    ACTIVITY_VOLUNTEERS = "activity_volunteers_count", _("Activities: volunteers taking part")
    ACTIVITY_HOURS = "activity_volunteer_hours", _("Activities: volunteer-hours")
    STAT_TOTAL = "stat_dossiers_total", _("Official statistics: dossiers received")
    STAT_ONLINE = "stat_dossiers_online", _("Official statistics: dossiers received online")
    STAT_PAYMENTS = "stat_online_payments", _("Official statistics: online payments")


# Each field's source and column; a sum over a source names one of its own fields.
FIELD_COLUMNS: dict[str, tuple[str, str]] = {
    MeasureField.LINE_CITIZENS: (DataSource.SERVICE_LINES, "citizens_assisted"),
    MeasureField.LINE_ONLINE: (DataSource.SERVICE_LINES, "dossiers_online"),
    MeasureField.LINE_SUCCESSFUL: (DataSource.SERVICE_LINES, "successful"),
    MeasureField.ACTIVITY_PARTICIPANTS: (DataSource.ACTIVITIES, "participants"),
    MeasureField.ACTIVITY_VOLUNTEERS: (DataSource.ACTIVITIES, "volunteers_count"),
    MeasureField.ACTIVITY_HOURS: (DataSource.ACTIVITIES, "volunteer_hours"),
    MeasureField.STAT_TOTAL: (DataSource.STATISTICS, "dossiers_total"),
    MeasureField.STAT_ONLINE: (DataSource.STATISTICS, "dossiers_online"),
    MeasureField.STAT_PAYMENTS: (DataSource.STATISTICS, "online_payments"),
}


class DataMeasure(models.Model):
    """A quantity an administrator defines from what the portal records: a count of records, or a
    sum of one of their fields, from one source, optionally filtered (a service or a service group
    for help-session lines, a kind for activities), per unit and month.

    Over time it is a flow (the records dated in the month, summed over a period) or a stock
    (memberships on a roster at the month's end; a statistic's figure of the period's last month).
    Written only by ``progress.services``; the rollup computes it beside the built-in measures.
    """

    source = models.CharField(_("source"), max_length=16, choices=DataSource.choices)
    operation = models.CharField(_("operation"), max_length=8, choices=Operation.choices)
    field = models.CharField(
        _("field summed"),
        max_length=32,
        choices=MeasureField.choices,
        blank=True,
        help_text=_("Only for a sum."),
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service_category = models.CharField(
        _("service group"), max_length=20, choices=Service.Category.choices, blank=True
    )
    activity_kind = models.CharField(
        _("activity kind"), max_length=20, choices=Activity.Kind.choices, blank=True
    )
    aggregation = models.CharField(_("aggregation over time"), max_length=8, choices=Aggregation.choices)
    # The definition's revision, and the one the rollup last computed in full: a new or changed
    # definition is computed in full by the next run, incremental or not.
    revision = models.PositiveIntegerField(default=1, editable=False)
    computed_revision = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["revision", "computed_revision"])

    class Meta:
        verbose_name = _("data-defined measure")
        verbose_name_plural = _("data-defined measures")
        constraints = [
            models.CheckConstraint(condition=~Q(aggregation="distinct"), name="datameasure_flow_or_stock"),
            models.CheckConstraint(
                condition=Q(operation="count", field="") | (Q(operation="sum") & ~Q(field="")),
                name="datameasure_sum_has_field",
            ),
        ]

    def __str__(self) -> str:
        parts = [self.get_field_display() if self.field else self.get_source_display()]
        if self.service_id:
            parts.append(str(self.service))
        if self.service_category:
            parts.append(self.get_service_category_display())
        if self.activity_kind:
            parts.append(self.get_activity_kind_display())
        return " · ".join(str(p) for p in parts)

    @property
    def is_stale(self) -> bool:
        return self.computed_revision != self.revision


class IndicatorRule(models.Model):
    """How a catalogued indicator is computed: a built-in measure or a data-defined one, or a ratio
    of two, aggregated over time."""

    indicator = models.OneToOneField(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="rule",
        primary_key=True,
    )
    # A built-in measure (a column of PeriodValue) or a data-defined one, never both.
    numerator = models.CharField(_("numerator"), max_length=32, choices=Measure.choices, blank=True)
    denominator = models.CharField(
        _("denominator"), max_length=32, choices=Measure.choices, blank=True, help_text=_("Only for ratios.")
    )
    numerator_measure = models.ForeignKey(
        DataMeasure,
        verbose_name=_("numerator (data-defined)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    denominator_measure = models.ForeignKey(
        DataMeasure,
        verbose_name=_("denominator (data-defined)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    aggregation = models.CharField(_("aggregation over time"), max_length=8, choices=Aggregation.choices)
    # 100 for a percentage: value = numerator / denominator x scale.
    scale = models.PositiveSmallIntegerField(_("scale"), default=1)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.VOLUNTEERS)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("indicator rule")
        verbose_name_plural = _("indicator rules")
        ordering = ["sort_order"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(aggregation="distinct") | Q(denominator=""), name="rule_distinct_not_ratio"
            ),
            models.CheckConstraint(condition=Q(scale__gte=1), name="rule_scale_positive"),
            models.CheckConstraint(
                condition=(
                    ~Q(numerator="") & Q(numerator_measure__isnull=True) & Q(denominator_measure__isnull=True)
                )
                | (Q(numerator="") & Q(denominator="") & Q(numerator_measure__isnull=False)),
                name="rule_builtin_or_data_defined",
            ),
        ]

    def __str__(self) -> str:
        return str(self.indicator)

    @property
    def is_ratio(self) -> bool:
        return bool(self.denominator) or self.denominator_measure_id is not None

    @property
    def is_data_defined(self) -> bool:
        return self.numerator_measure_id is not None


class RollupMap(models.Model):
    """Source unit -> a unit its facts count toward, for months in [month_from, month_to].

    Derived from paths and successors (``progress.rollup.rollup_map_rebuild``): a unit counts toward
    itself and its ancestors while it exists, and toward its successor's chain after its valid_to.
    """

    source = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    month_from = models.DateField()
    month_to = models.DateField()

    class Meta:
        verbose_name = _("rollup map row")
        verbose_name_plural = _("rollup map")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "month_from"], name="rollupmap_unique"),
            models.CheckConstraint(condition=Q(month_to__gte=models.F("month_from")), name="rollupmap_range"),
        ]
        indexes = [models.Index(fields=["target", "source"], name="rollupmap_target")]

    def __str__(self) -> str:
        return f"{self.source_id} -> {self.target_id} {self.month_from:%m/%Y}-{self.month_to:%m/%Y}"


class Fact(models.Model):
    """The facts of one source unit and month, before the rollup: a column per measure (NULL where
    there is none), pre-aggregated from the raw tables by ``progress.rollup``."""

    # Derived rows, written only by the rollup from the unit map (a join of org_orgunit): no database
    # foreign key, whose per-row check at commit cost a full run ~0.4-0.8 s for 80,000 facts and
    # 114,000 period values; Django still cascades a deleted unit. No index of its own either: the
    # unique (unit, month) constraint leads with it.
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    month = models.DateField()
    citizens_assisted = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    dossiers_assisted = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    vneid_activations = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    volunteer_hours = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    teams_active = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    communes_with_team = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    communes = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    official_dossiers_total = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    official_dossiers_online = models.DecimalField(max_digits=18, decimal_places=2, null=True)

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        constraints = [models.UniqueConstraint(fields=["org_unit", "month"], name="fact_unit_month")]

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.month:%m/%Y}"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")
    TARGET = "target", _("Target window")


def _measure_field(measure: Measure) -> models.DecimalField:
    return models.DecimalField(measure.label, max_digits=18, decimal_places=2, null=True)


# How each measure is aggregated over time: a flow is summed over the months of a period, a stock
# is its value at the period's last month, volunteers are counted once per person over the period.
MEASURE_AGGREGATION = {
    Measure.CITIZENS_ASSISTED: Aggregation.FLOW,
    Measure.DOSSIERS_ASSISTED: Aggregation.FLOW,
    Measure.VNEID_ACTIVATIONS: Aggregation.FLOW,
    Measure.VOLUNTEER_HOURS: Aggregation.FLOW,
    Measure.OFFICIAL_DOSSIERS_TOTAL: Aggregation.FLOW,
    Measure.OFFICIAL_DOSSIERS_ONLINE: Aggregation.FLOW,
    Measure.TEAMS_ACTIVE: Aggregation.STOCK,
    Measure.COMMUNES_WITH_TEAM: Aggregation.STOCK,
    Measure.COMMUNES: Aggregation.STOCK,
    Measure.VOLUNTEERS_ACTIVE: Aggregation.DISTINCT,
}


class PeriodValue(models.Model):
    """Every measure of an org unit (its whole subtree) over one period: what the rollup writes.

    One row per unit and period, a column per measure (NULL: no facts for it), rather than a row per
    indicator: the rollup computes, compares and writes a tenth of the rows. ``Progress`` reads these
    rows per indicator (a database view), so ratios are Σnumerator / Σdenominator by construction.
    """

    # As on Fact: rollup-written, no database foreign key; the unique key below leads with the unit.
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    citizens_assisted = _measure_field(Measure.CITIZENS_ASSISTED)
    dossiers_assisted = _measure_field(Measure.DOSSIERS_ASSISTED)
    vneid_activations = _measure_field(Measure.VNEID_ACTIVATIONS)
    volunteer_hours = _measure_field(Measure.VOLUNTEER_HOURS)
    teams_active = _measure_field(Measure.TEAMS_ACTIVE)
    volunteers_active = _measure_field(Measure.VOLUNTEERS_ACTIVE)
    communes_with_team = _measure_field(Measure.COMMUNES_WITH_TEAM)
    communes = _measure_field(Measure.COMMUNES)
    official_dossiers_total = _measure_field(Measure.OFFICIAL_DOSSIERS_TOTAL)
    official_dossiers_online = _measure_field(Measure.OFFICIAL_DOSSIERS_ONLINE)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("period value")
        verbose_name_plural = _("period values")
        constraints = [
            # A target window is keyed by its end as well: two targets may share a start.
            models.UniqueConstraint(
                fields=["org_unit", "period_kind", "period_start", "period_end"], name="periodvalue_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="periodvalue_range"
            ),
        ]
        indexes = [models.Index(fields=["period_kind", "period_start"], name="periodvalue_period")]

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.period_kind} {self.period_start}"


class MeasureFact(models.Model):
    """A data-defined measure's value for one source unit and month, before the rollup (as ``Fact``
    is for the built-in ones: one row per measure, since the measures are data, not columns)."""

    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    month = models.DateField()
    measure = models.ForeignKey(DataMeasure, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    value = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("data-defined fact")
        verbose_name_plural = _("data-defined facts")
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "month", "measure"], name="measurefact_unit_month")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.month:%m/%Y} #{self.measure_id}"


class MeasureValue(models.Model):
    """A data-defined measure over a unit's subtree and one period: ``PeriodValue``'s rows for the
    measures that are data. ``Progress`` reads both, so an indicator defined in admin has the same
    figures, targets and statuses as the built-in ones."""

    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    measure = models.ForeignKey(DataMeasure, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("data-defined period value")
        verbose_name_plural = _("data-defined period values")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "period_kind", "period_start", "period_end", "measure"],
                name="measurevalue_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["measure", "period_kind", "period_start"], name="measurevalue_measure")
        ]

    def __str__(self) -> str:
        return f"{self.org_unit_id} #{self.measure_id} {self.period_kind} {self.period_start}"


class Progress(models.Model):
    """An indicator's value for an org unit (its whole subtree) over one period.

    Read-only: a database view over ``PeriodValue`` x ``IndicatorRule`` (migration 0003) and, for
    data-defined indicators, ``MeasureValue`` x ``IndicatorRule`` (migration 0008), with a row
    where the indicator's numerator or denominator has facts. ``id`` is derived (period value id x
    10,000 + indicator id); foreign keys do nothing on delete (the view follows its tables).
    """

    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="progress_rows",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="progress_rows",
    )
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    numerator = models.DecimalField(_("numerator"), max_digits=18, decimal_places=2)
    denominator = models.DecimalField(_("denominator"), max_digits=18, decimal_places=2, null=True)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        managed = False
        db_table = "progress_progress"
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        ordering = ["org_unit", "indicator", "period_kind", "period_start"]

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.indicator_id} {self.period_kind} {self.period_start}"


class TargetStatus(models.Model):
    """Where a target stands: value so far, linear projection to the deadline, status.

    One row per partnerships Target (an agreement's) or per egov_support CampaignTarget (a
    campaign's): the same assessment, the same read model, exactly one of the two set.
    """

    class Status(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")
        NO_DATA = "no_data", _("No data yet")

    target = models.OneToOneField(
        Target,
        verbose_name=_("target"),
        on_delete=models.CASCADE,
        related_name="progress_status",
        null=True,
        blank=True,
    )
    campaign_target = models.OneToOneField(
        CampaignTarget,
        verbose_name=_("campaign target"),
        on_delete=models.CASCADE,
        related_name="progress_status",
        null=True,
        blank=True,
    )
    window_start = models.DateField(_("window start"))
    numerator = models.DecimalField(_("numerator"), max_digits=18, decimal_places=2, default=0)
    denominator = models.DecimalField(_("denominator"), max_digits=18, decimal_places=2, null=True)
    value = models.DecimalField(_("value so far"), max_digits=18, decimal_places=4, null=True)
    projected = models.DecimalField(_("projected at deadline"), max_digits=18, decimal_places=4, null=True)
    needs_per_week = models.DecimalField(_("needed per week"), max_digits=18, decimal_places=4, null=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("target status")
        verbose_name_plural = _("target statuses")
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=False, campaign_target__isnull=True)
                | Q(target__isnull=True, campaign_target__isnull=False),
                name="targetstatus_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_id or f'c{self.campaign_target_id}'}: {self.status}"


class RollupState(models.Model):
    """One row: the lock row of the rollup, and when it last ran (shown as "computed at")."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    map_signature = models.CharField(max_length=64, blank=True)
    last_full_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_run_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup state")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="rollupstate_singleton")]

    def __str__(self) -> str:
        return f"rollup {self.last_run_at}"

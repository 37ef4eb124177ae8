"""Indicators defined as data (issue #22 item 4): measures an administrator defines (``DataMeasure``),
their facts and period values (``MeasureFact``, ``MeasureValue``: a row per measure, since measures
are data), and rules that name them. The Progress view reads both the built-in columns of
``PeriodValue`` and the data-defined rows, with the same formulas (Σnumerator ÷ Σdenominator x scale).
The view is dropped first and recreated last: SQLite rebuilds the rule table, which a view over it
would not survive.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def _previous_view() -> str:
    from importlib import import_module

    return import_module("progress.migrations.0005_progress_view_numeric").CREATE_VIEW


# A data-defined indicator's numerator and denominator, summed from the measure value rows of each
# unit and period (one row per measure); the same formulas as the built-in part above it.
DATA_DEFINED = """
SELECT -(x.first_id * 10000 + x.indicator_id) AS id,
       x.org_unit_id AS org_unit_id,
       x.indicator_id AS indicator_id,
       x.period_kind AS period_kind,
       x.period_start AS period_start,
       x.period_end AS period_end,
       CAST(COALESCE(x.num, 0) AS NUMERIC) AS numerator,
       CAST(CASE WHEN x.dm IS NULL THEN NULL ELSE COALESCE(x.den, 0) END AS NUMERIC) AS denominator,
       CAST(CASE WHEN x.dm IS NULL THEN COALESCE(x.num, 0)
                 WHEN COALESCE(x.den, 0) = 0 THEN NULL
                 ELSE ROUND(1.0 * COALESCE(x.num, 0) * x.scale / x.den, 4) END AS NUMERIC) AS value,
       x.computed_at AS computed_at
FROM (
    SELECT ir.indicator_id AS indicator_id, ir.scale AS scale, ir.denominator_measure_id AS dm,
           mv.org_unit_id AS org_unit_id, mv.period_kind AS period_kind,
           mv.period_start AS period_start, mv.period_end AS period_end,
           MIN(mv.id) AS first_id, MAX(mv.computed_at) AS computed_at,
           SUM(CASE WHEN mv.measure_id = ir.numerator_measure_id THEN mv.value END) AS num,
           SUM(CASE WHEN mv.measure_id = ir.denominator_measure_id THEN mv.value END) AS den
    FROM progress_indicatorrule ir
    JOIN progress_measurevalue mv
      ON mv.measure_id = ir.numerator_measure_id OR mv.measure_id = ir.denominator_measure_id
    GROUP BY ir.indicator_id, ir.scale, ir.denominator_measure_id, ir.numerator_measure_id,
             mv.org_unit_id, mv.period_kind, mv.period_start, mv.period_end
) x
"""


def _view() -> str:
    return _previous_view().rstrip() + "\nUNION ALL" + DATA_DEFINED


class Migration(migrations.Migration):
    dependencies = [
        ("egov_support", "0012_service_app_tnvn"),
        ("org", "0002_report_signature"),
        ("partnerships", "0002_indicators_catalogue"),
        ("progress", "0008_target_status_for_campaign_targets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL("DROP VIEW progress_progress", _previous_view()),
        migrations.CreateModel(
            name="HistoricalDataMeasure",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("service_lines", "Help-session lines (per service)"),
                            ("activities", "Team activities"),
                            ("memberships", "Team memberships"),
                            ("statistics", "Official statistics"),
                        ],
                        max_length=16,
                        verbose_name="source",
                    ),
                ),
                (
                    "operation",
                    models.CharField(
                        choices=[("count", "Count of records"), ("sum", "Sum of a field")],
                        max_length=8,
                        verbose_name="operation",
                    ),
                ),
                (
                    "field",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("line_citizens_assisted", "Help-session lines: citizens assisted"),
                            ("line_dossiers_online", "Help-session lines: dossiers submitted online"),
                            ("line_successful", "Help-session lines: successful completions"),
                            ("activity_participants", "Activities: people reached"),
                            ("activity_volunteers_count", "Activities: volunteers taking part"),
                            ("activity_volunteer_hours", "Activities: volunteer-hours"),
                            ("stat_dossiers_total", "Official statistics: dossiers received"),
                            ("stat_dossiers_online", "Official statistics: dossiers received online"),
                            ("stat_online_payments", "Official statistics: online payments"),
                        ],
                        help_text="Only for a sum.",
                        max_length=32,
                        verbose_name="field summed",
                    ),
                ),
                (
                    "service_category",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("public_service", "Online public service"),
                            ("payment", "Online payment"),
                            ("identity", "Electronic identity (VNeID)"),
                            ("signature", "Digital signature"),
                            ("skills", "Digital skills"),
                            ("ecommerce", "E-commerce"),
                        ],
                        max_length=20,
                        verbose_name="service group",
                    ),
                ),
                (
                    "activity_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("communication", "Communication / propaganda"),
                            ("training", "Training"),
                            ("digital_street", "“Digital street” model"),
                            ("three_no_pilot", "“3 Không” model pilot site"),
                            ("community_visit", "Community visit"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="activity kind",
                    ),
                ),
                (
                    "aggregation",
                    models.CharField(
                        choices=[
                            ("flow", "Flow: summed over the period"),
                            ("stock", "Stock: the value at the period's last month"),
                            ("distinct", "Distinct: counted once over the period"),
                        ],
                        max_length=8,
                        verbose_name="aggregation over time",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical data-defined measure",
                "verbose_name_plural": "historical data-defined measures",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="MeasureFact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("value", models.DecimalField(decimal_places=2, max_digits=18)),
            ],
            options={
                "verbose_name": "data-defined fact",
                "verbose_name_plural": "data-defined facts",
            },
        ),
        migrations.CreateModel(
            name="MeasureValue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "period_kind",
                    models.CharField(
                        choices=[
                            ("month", "Month"),
                            ("quarter", "Quarter"),
                            ("year", "Year"),
                            ("target", "Target window"),
                        ],
                        max_length=8,
                        verbose_name="period",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="period start")),
                ("period_end", models.DateField(verbose_name="period end")),
                ("value", models.DecimalField(decimal_places=2, max_digits=18, verbose_name="value")),
                ("computed_at", models.DateTimeField(verbose_name="computed at")),
            ],
            options={
                "verbose_name": "data-defined period value",
                "verbose_name_plural": "data-defined period values",
            },
        ),
        migrations.AlterField(
            model_name="indicatorrule",
            name="numerator",
            field=models.CharField(
                blank=True,
                choices=[
                    ("citizens_assisted", "Citizens assisted"),
                    ("dossiers_assisted", "Dossiers submitted with help"),
                    ("vneid_activations", "VNeID activations assisted"),
                    ("volunteer_hours", "Volunteer-hours"),
                    ("teams_active", "Teams active"),
                    ("volunteers_active", "Volunteers active"),
                    ("communes_with_team", "Communes with an active team"),
                    ("communes", "Communes"),
                    ("official_dossiers_total", "Dossiers received (official)"),
                    ("official_dossiers_online", "Dossiers received online (official)"),
                ],
                max_length=32,
                verbose_name="numerator",
            ),
        ),
        migrations.CreateModel(
            name="DataMeasure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("service_lines", "Help-session lines (per service)"),
                            ("activities", "Team activities"),
                            ("memberships", "Team memberships"),
                            ("statistics", "Official statistics"),
                        ],
                        max_length=16,
                        verbose_name="source",
                    ),
                ),
                (
                    "operation",
                    models.CharField(
                        choices=[("count", "Count of records"), ("sum", "Sum of a field")],
                        max_length=8,
                        verbose_name="operation",
                    ),
                ),
                (
                    "field",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("line_citizens_assisted", "Help-session lines: citizens assisted"),
                            ("line_dossiers_online", "Help-session lines: dossiers submitted online"),
                            ("line_successful", "Help-session lines: successful completions"),
                            ("activity_participants", "Activities: people reached"),
                            ("activity_volunteers_count", "Activities: volunteers taking part"),
                            ("activity_volunteer_hours", "Activities: volunteer-hours"),
                            ("stat_dossiers_total", "Official statistics: dossiers received"),
                            ("stat_dossiers_online", "Official statistics: dossiers received online"),
                            ("stat_online_payments", "Official statistics: online payments"),
                        ],
                        help_text="Only for a sum.",
                        max_length=32,
                        verbose_name="field summed",
                    ),
                ),
                (
                    "service_category",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("public_service", "Online public service"),
                            ("payment", "Online payment"),
                            ("identity", "Electronic identity (VNeID)"),
                            ("signature", "Digital signature"),
                            ("skills", "Digital skills"),
                            ("ecommerce", "E-commerce"),
                        ],
                        max_length=20,
                        verbose_name="service group",
                    ),
                ),
                (
                    "activity_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("communication", "Communication / propaganda"),
                            ("training", "Training"),
                            ("digital_street", "“Digital street” model"),
                            ("three_no_pilot", "“3 Không” model pilot site"),
                            ("community_visit", "Community visit"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="activity kind",
                    ),
                ),
                (
                    "aggregation",
                    models.CharField(
                        choices=[
                            ("flow", "Flow: summed over the period"),
                            ("stock", "Stock: the value at the period's last month"),
                            ("distinct", "Distinct: counted once over the period"),
                        ],
                        max_length=8,
                        verbose_name="aggregation over time",
                    ),
                ),
                ("revision", models.PositiveIntegerField(default=1, editable=False)),
                ("computed_revision", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "service",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="egov_support.service",
                        verbose_name="service",
                    ),
                ),
            ],
            options={
                "verbose_name": "data-defined measure",
                "verbose_name_plural": "data-defined measures",
            },
        ),
        migrations.AddField(
            model_name="indicatorrule",
            name="denominator_measure",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="progress.datameasure",
                verbose_name="denominator (data-defined)",
            ),
        ),
        migrations.AddField(
            model_name="indicatorrule",
            name="numerator_measure",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="progress.datameasure",
                verbose_name="numerator (data-defined)",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorrule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        models.Q(("numerator", ""), _negated=True),
                        ("numerator_measure__isnull", True),
                        ("denominator_measure__isnull", True),
                    ),
                    models.Q(("numerator", ""), ("denominator", ""), ("numerator_measure__isnull", False)),
                    _connector="OR",
                ),
                name="rule_builtin_or_data_defined",
            ),
        ),
        migrations.AddField(
            model_name="historicaldatameasure",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicaldatameasure",
            name="service",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="egov_support.service",
                verbose_name="service",
            ),
        ),
        migrations.AddField(
            model_name="measurefact",
            name="measure",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="progress.datameasure",
            ),
        ),
        migrations.AddField(
            model_name="measurefact",
            name="org_unit",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="org.orgunit",
            ),
        ),
        migrations.AddField(
            model_name="measurevalue",
            name="measure",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="progress.datameasure",
            ),
        ),
        migrations.AddField(
            model_name="measurevalue",
            name="org_unit",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="org.orgunit",
                verbose_name="org unit",
            ),
        ),
        migrations.AddConstraint(
            model_name="datameasure",
            constraint=models.CheckConstraint(
                condition=models.Q(("aggregation", "distinct"), _negated=True),
                name="datameasure_flow_or_stock",
            ),
        ),
        migrations.AddConstraint(
            model_name="datameasure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("field", ""), ("operation", "count")),
                    models.Q(("operation", "sum"), models.Q(("field", ""), _negated=True)),
                    _connector="OR",
                ),
                name="datameasure_sum_has_field",
            ),
        ),
        migrations.AddConstraint(
            model_name="measurefact",
            constraint=models.UniqueConstraint(
                fields=("org_unit", "month", "measure"), name="measurefact_unit_month"
            ),
        ),
        migrations.AddIndex(
            model_name="measurevalue",
            index=models.Index(
                fields=["measure", "period_kind", "period_start"], name="measurevalue_measure"
            ),
        ),
        migrations.AddConstraint(
            model_name="measurevalue",
            constraint=models.UniqueConstraint(
                fields=("org_unit", "period_kind", "period_start", "period_end", "measure"),
                name="measurevalue_unique",
            ),
        ),
        migrations.RunSQL(_view(), "DROP VIEW progress_progress"),
    ]

"""The rollup writes one row per unit and period with a column per measure (``PeriodValue``);
``progress_progress`` becomes a view that reads it per indicator (issue #6: a tenth of the rows to
compute, compare and write). The old rows are derived data: the next rollup run writes the new ones.
"""

import django.db.models.deletion
from django.db import migrations, models

MEASURES = [  # frozen: the columns of PeriodValue
    "citizens_assisted",
    "dossiers_assisted",
    "vneid_activations",
    "volunteer_hours",
    "teams_active",
    "volunteers_active",
    "communes_with_team",
    "communes",
    "official_dossiers_total",
    "official_dossiers_online",
]


def _column(rule_field: str) -> str:
    cases = " ".join(f"WHEN '{m}' THEN pv.{m}" for m in MEASURES)
    return f"(CASE ir.{rule_field} {cases} END)"


NUM, DEN = _column("numerator"), _column("denominator")
# One row per indicator where its numerator or denominator has facts; value = ratio x scale, rounded
# as stored before (1.0 x: SQLite would divide integers as integers).
CREATE_VIEW = f"""
CREATE VIEW progress_progress AS
SELECT pv.id * 10000 + ir.indicator_id AS id,
       pv.org_unit_id AS org_unit_id,
       ir.indicator_id AS indicator_id,
       pv.period_kind AS period_kind,
       pv.period_start AS period_start,
       pv.period_end AS period_end,
       COALESCE({NUM}, 0) AS numerator,
       CASE WHEN ir.denominator = '' THEN NULL ELSE COALESCE({DEN}, 0) END AS denominator,
       CASE WHEN ir.denominator = '' THEN COALESCE({NUM}, 0)
            WHEN COALESCE({DEN}, 0) = 0 THEN NULL
            ELSE ROUND(1.0 * COALESCE({NUM}, 0) * ir.scale / {DEN}, 4) END AS value,
       pv.computed_at AS computed_at
FROM progress_periodvalue pv CROSS JOIN progress_indicatorrule ir
WHERE {NUM} IS NOT NULL OR (ir.denominator <> '' AND {DEN} IS NOT NULL)
"""


LABELS = {
    "citizens_assisted": "Citizens assisted",
    "dossiers_assisted": "Dossiers submitted with help",
    "vneid_activations": "VNeID activations assisted",
    "volunteer_hours": "Volunteer-hours",
    "teams_active": "Teams active",
    "volunteers_active": "Volunteers active",
    "communes_with_team": "Communes with an active team",
    "communes": "Communes",
    "official_dossiers_total": "Dossiers received (official)",
    "official_dossiers_online": "Dossiers received online (official)",
}


def _measure(name):
    return models.DecimalField(decimal_places=2, max_digits=18, null=True, verbose_name=LABELS[name])


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("partnerships", "0001_initial"),
        ("progress", "0002_indicator_rules"),
    ]

    operations = [
        migrations.DeleteModel(name="Progress"),
        migrations.CreateModel(
            name="PeriodValue",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "period_kind",
                    models.CharField(
                        choices=[("month", "Month"), ("quarter", "Quarter"), ("year", "Year"), ("target", "Target window")],
                        max_length=8,
                        verbose_name="period",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="period start")),
                ("period_end", models.DateField(verbose_name="period end")),
                *[(m, _measure(m)) for m in MEASURES],
                ("computed_at", models.DateTimeField(verbose_name="computed at")),
                (
                    "org_unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="org.orgunit",
                        verbose_name="org unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "period value",
                "verbose_name_plural": "period values",
                "indexes": [models.Index(fields=["period_kind", "period_start"], name="periodvalue_period")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("org_unit", "period_kind", "period_start", "period_end"), name="periodvalue_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("period_end__gte", models.F("period_start"))), name="periodvalue_range"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Progress",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "period_kind",
                    models.CharField(
                        choices=[("month", "Month"), ("quarter", "Quarter"), ("year", "Year"), ("target", "Target window")],
                        max_length=8,
                        verbose_name="period",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="period start")),
                ("period_end", models.DateField(verbose_name="period end")),
                ("numerator", models.DecimalField(decimal_places=2, max_digits=18, verbose_name="numerator")),
                ("denominator", models.DecimalField(decimal_places=2, max_digits=18, null=True, verbose_name="denominator")),
                ("value", models.DecimalField(decimal_places=4, max_digits=18, null=True, verbose_name="value")),
                ("computed_at", models.DateTimeField(verbose_name="computed at")),
                (
                    "org_unit",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="progress_rows",
                        to="org.orgunit",
                        verbose_name="org unit",
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="progress_rows",
                        to="partnerships.indicator",
                        verbose_name="indicator",
                    ),
                ),
            ],
            options={
                "verbose_name": "progress",
                "verbose_name_plural": "progress",
                "db_table": "progress_progress",
                "ordering": ["org_unit", "indicator", "period_kind", "period_start"],
                "managed": False,
            },
        ),
        migrations.RunSQL(CREATE_VIEW, "DROP VIEW progress_progress"),
    ]

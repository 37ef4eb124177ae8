"""The Progress view's figures typed as numbers (CAST ... AS NUMERIC): SQLite gives an expression in a
view no type affinity, so ``Progress.objects.filter(value=17)`` compared 17 with the text '17' and
found nothing. PostgreSQL is unaffected (the cast is a no-op on numeric)."""

from django.db import migrations

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
CREATE_VIEW = f"""
CREATE VIEW progress_progress AS
SELECT pv.id * 10000 + ir.indicator_id AS id,
       pv.org_unit_id AS org_unit_id,
       ir.indicator_id AS indicator_id,
       pv.period_kind AS period_kind,
       pv.period_start AS period_start,
       pv.period_end AS period_end,
       CAST(COALESCE({NUM}, 0) AS NUMERIC) AS numerator,
       CAST(CASE WHEN ir.denominator = '' THEN NULL ELSE COALESCE({DEN}, 0) END AS NUMERIC) AS denominator,
       CAST(CASE WHEN ir.denominator = '' THEN COALESCE({NUM}, 0)
                 WHEN COALESCE({DEN}, 0) = 0 THEN NULL
                 ELSE ROUND(1.0 * COALESCE({NUM}, 0) * ir.scale / {DEN}, 4) END AS NUMERIC) AS value,
       pv.computed_at AS computed_at
FROM progress_periodvalue pv CROSS JOIN progress_indicatorrule ir
WHERE {NUM} IS NOT NULL OR (ir.denominator <> '' AND {DEN} IS NOT NULL)
"""


def _previous_view() -> str:
    from importlib import import_module

    return import_module("progress.migrations.0003_period_values").CREATE_VIEW


class Migration(migrations.Migration):
    dependencies = [("progress", "0004_wide_facts")]

    operations = [
        migrations.RunSQL(
            ["DROP VIEW progress_progress", CREATE_VIEW],
            ["DROP VIEW progress_progress", _previous_view()],
        ),
    ]

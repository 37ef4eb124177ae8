"""Facts and period values without a database foreign key to their unit, nor an index of their own on it.

Both tables are written only by the rollup, from the unit map; the deferred per-row foreign-key check
at commit cost a full run on empty tables ~0.4-0.8 s for 194,000 rows, and the unique keys lead with
the unit anyway. The Progress view over period values is dropped and recreated around the change
(SQLite rebuilds the table, which a view over it would not survive).
"""

import django.db.models.deletion
from django.db import migrations, models


def _view() -> str:
    from importlib import import_module

    return import_module("progress.migrations.0005_progress_view_numeric").CREATE_VIEW


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
        ("progress", "0006_session_month_statistics"),
    ]

    operations = [
        migrations.RunSQL("DROP VIEW progress_progress", _view()),
        migrations.AlterField(
            model_name="fact",
            name="org_unit",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="org.orgunit",
            ),
        ),
        migrations.AlterField(
            model_name="periodvalue",
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
        migrations.RunSQL(_view(), "DROP VIEW progress_progress"),
    ]

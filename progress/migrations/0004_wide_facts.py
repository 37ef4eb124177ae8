"""Facts become one row per source unit and month with a column per measure (issue #6).

They are derived data: the old rows are dropped, and the next rollup run is a full one and writes them again.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
        ('progress', '0003_period_values'),
    ]

    operations = [
        # No facts left: the next run must be a full one (a cleared map signature makes it so).
        migrations.RunSQL(
            ["DELETE FROM progress_fact", "UPDATE progress_rollupstate SET map_signature = ''"],
            migrations.RunSQL.noop,
        ),
        migrations.RemoveConstraint(
            model_name='fact',
            name='fact_unit_measure_month',
        ),
        migrations.RemoveIndex(
            model_name='fact',
            name='fact_month_measure',
        ),
        migrations.RemoveField(
            model_name='fact',
            name='measure',
        ),
        migrations.RemoveField(
            model_name='fact',
            name='value',
        ),
        migrations.AddField(
            model_name='fact',
            name='citizens_assisted',
            field=models.DecimalField(decimal_places=2, max_digits=18, null=True),
        ),
        migrations.AddField(
            model_name='fact',
            name='communes',
            field=models.DecimalField(decimal_places=2, max_digits=18, null=True),
        ),
        migrations.AddField(
            model_name='fact',
            name='communes_with_team',
            field=models.DecimalField(decimal_places=2, max_digits=18, null=True),
        ),
        migrations.AddField(
            model_name='fact',
            name='dossiers_assisted',
            field=models.DecimalField(decimal_places=2, max_digits=18, null=True),
        ),
        migrations.AddField(
            model_name='fact',
            name='official_dossiers_online',
            field=models.DecimalField(decimal_places=2, max_digits=18, null=True),
        ),
        migrations.AddField(
            model_name='fact',
            name='official_dossiers_total',
            field=models.DecimalField(decimal_places=2, max_digits=18, null=True),
        ),
        migrations.AddField(
            model_name='fact',
            name='teams_active',
            field=models.DecimalField(decimal_places=2, max_digits=18, null=True),
        ),
        migrations.AddField(
            model_name='fact',
            name='vneid_activations',
            field=models.DecimalField(decimal_places=2, max_digits=18, null=True),
        ),
        migrations.AddField(
            model_name='fact',
            name='volunteer_hours',
            field=models.DecimalField(decimal_places=2, max_digits=18, null=True),
        ),
        migrations.AddConstraint(
            model_name='fact',
            constraint=models.UniqueConstraint(fields=('org_unit', 'month'), name='fact_unit_month'),
        ),
    ]

"""Dirty marks say whether rosters changed (issue #6: the incremental rollup skips the volunteers
otherwise). Marks pending at the upgrade may be roster changes: they are kept as such."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_dirty_marks'),
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='dirtymark',
            name='dirtymark_unit_month',
        ),
        migrations.AddField(
            model_name='dirtymark',
            name='rosters',
            field=models.BooleanField(default=False, verbose_name='rosters changed'),
        ),
        migrations.RunSQL("UPDATE core_dirtymark SET rosters = TRUE", migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name='dirtymark',
            constraint=models.UniqueConstraint(fields=('org_unit', 'month', 'rosters'), name='dirtymark_unit_month_kind'),
        ),
    ]

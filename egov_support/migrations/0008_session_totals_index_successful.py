"""The totals index also carries total_successful (the session list's totals read it alone), and the
plain index on org_unit goes: the (org_unit, date) index leads with the same column.

The FK's index is dropped by name in SQL rather than by AlterField, which on PostgreSQL would drop and
re-add the foreign key (re-checking every session under a lock); the name is Django's, the same on
every database.
"""

from django.db import migrations, models

FK_INDEX = "egov_support_helpsession_org_unit_id_3ac6cf95"


class Migration(migrations.Migration):
    dependencies = [
        ("egov_support", "0007_session_totals_index"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="helpsession", name="helpsession_unit_date_totals"),
        migrations.AddIndex(
            model_name="helpsession",
            index=models.Index(
                fields=["org_unit", "date"],
                include=(
                    "total_assisted",
                    "total_submitted_online",
                    "total_successful",
                    "total_vneid_activations",
                    "volunteer_minutes",
                ),
                name="helpsession_unit_date_totals",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="helpsession",
                    name="org_unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.PROTECT,
                        related_name="help_sessions",
                        to="org.orgunit",
                        verbose_name="where it took place",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {FK_INDEX}",
                    reverse_sql=f"CREATE INDEX {FK_INDEX} ON egov_support_helpsession (org_unit_id)",
                ),
            ],
        ),
    ]

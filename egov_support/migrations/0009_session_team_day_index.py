"""The team index also orders a day by start time: the duplicate warning reads the first few of a
team's day (and a team's list its newest page) in index order, however many sessions that day holds.
The plain index on team goes: the new one leads with the same column.

The FK's index is dropped by name in SQL rather than by AlterField, which on PostgreSQL would drop and
re-add the foreign key (re-checking every session under a lock); the name is Django's, the same on
every database.
"""

from django.db import migrations, models

FK_INDEX = "egov_support_helpsession_team_id_bee4e46f"


class Migration(migrations.Migration):
    dependencies = [
        ("egov_support", "0008_session_totals_index_successful"),
        ("volunteers", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="helpsession", name="helpsession_team_date"),
        migrations.AddIndex(
            model_name="helpsession",
            index=models.Index(fields=["team", "date", "start_time", "id"], name="helpsession_team_day"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="helpsession",
                    name="team",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.PROTECT,
                        related_name="help_sessions",
                        to="volunteers.team",
                        verbose_name="team",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {FK_INDEX}",
                    reverse_sql=f"CREATE INDEX {FK_INDEX} ON egov_support_helpsession (team_id)",
                ),
            ],
        ),
    ]

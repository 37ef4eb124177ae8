"""TargetStatus holds campaign targets' status as well as agreement targets' (issue #22 item 3).

Its key was the agreement target; a row now names exactly one of an agreement target or a campaign
target, with an id of its own. The rows are derived (the rollup writes all of them on every run), so
the table is recreated empty rather than converted: the next rollup fills it again.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("egov_support", "0011_campaign_targets_and_activities"),
        ("partnerships", "0002_indicators_catalogue"),
        ("progress", "0007_derived_rows_without_fk"),
    ]

    operations = [
        migrations.DeleteModel(name="TargetStatus"),
        migrations.CreateModel(
            name="TargetStatus",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "target",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="progress_status",
                        to="partnerships.target",
                        verbose_name="target",
                    ),
                ),
                (
                    "campaign_target",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="progress_status",
                        to="egov_support.campaigntarget",
                        verbose_name="campaign target",
                    ),
                ),
                ("window_start", models.DateField(verbose_name="window start")),
                (
                    "numerator",
                    models.DecimalField(decimal_places=2, default=0, max_digits=18, verbose_name="numerator"),
                ),
                (
                    "denominator",
                    models.DecimalField(
                        decimal_places=2, max_digits=18, null=True, verbose_name="denominator"
                    ),
                ),
                (
                    "value",
                    models.DecimalField(
                        decimal_places=4, max_digits=18, null=True, verbose_name="value so far"
                    ),
                ),
                (
                    "projected",
                    models.DecimalField(
                        decimal_places=4, max_digits=18, null=True, verbose_name="projected at deadline"
                    ),
                ),
                (
                    "needs_per_week",
                    models.DecimalField(
                        decimal_places=4, max_digits=18, null=True, verbose_name="needed per week"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("achieved", "Achieved"),
                            ("on_track", "On track"),
                            ("at_risk", "At risk"),
                            ("off_track", "Off track"),
                            ("no_data", "No data yet"),
                        ],
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("computed_at", models.DateTimeField(verbose_name="computed at")),
            ],
            options={
                "verbose_name": "target status",
                "verbose_name_plural": "target statuses",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("campaign_target__isnull", True), ("target__isnull", False)),
                            models.Q(("campaign_target__isnull", False), ("target__isnull", True)),
                            _connector="OR",
                        ),
                        name="targetstatus_one_target",
                    )
                ],
            },
        ),
    ]

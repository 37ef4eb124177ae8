"""How each catalogued indicator is computed (issue #6), one rule per partnerships Indicator.

Data frozen in the migration; an indicator without a rule is simply not computed.
"""

from django.db import migrations

RULES = [
    # indicator code, numerator, denominator, aggregation, scale, source, order
    ("online_service_rate", "official_dossiers_online", "official_dossiers_total", "flow", 100, "official", 10),
    ("team_coverage", "communes_with_team", "communes", "stock", 100, "volunteers", 20),
    ("teams_active", "teams_active", "", "stock", 1, "volunteers", 30),
    ("communes_with_team", "communes_with_team", "", "stock", 1, "volunteers", 40),
    ("citizens_assisted", "citizens_assisted", "", "flow", 1, "volunteers", 50),
    ("dossiers_assisted", "dossiers_assisted", "", "flow", 1, "volunteers", 60),
    ("vneid_activations", "vneid_activations", "", "flow", 1, "volunteers", 70),
    ("volunteers_active", "volunteers_active", "", "distinct", 1, "volunteers", 80),
    ("volunteer_hours", "volunteer_hours", "", "flow", 1, "volunteers", 90),
]


def add_rules(apps, schema_editor):
    Indicator = apps.get_model("partnerships", "Indicator")
    IndicatorRule = apps.get_model("progress", "IndicatorRule")
    for code, numerator, denominator, aggregation, scale, source, order in RULES:
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            continue
        IndicatorRule.objects.update_or_create(
            indicator=indicator,
            defaults={
                "numerator": numerator,
                "denominator": denominator,
                "aggregation": aggregation,
                "scale": scale,
                "source": source,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("progress", "0001_initial"), ("partnerships", "0002_indicators_catalogue")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]

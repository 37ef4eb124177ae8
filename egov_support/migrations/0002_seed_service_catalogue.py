"""Seed the service catalogue (idempotent: existing codes are left as staff edited them)."""

from django.db import migrations

from egov_support.data.catalogue import SERVICES


def seed_services(apps, schema_editor):
    Service = apps.get_model("egov_support", "Service")
    for order, (code, name_vi, name_en, category, level) in enumerate(SERVICES, start=1):
        Service.objects.get_or_create(
            code=code,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "category": category,
                "online_level": level,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("egov_support", "0001_catalogue_campaigns_statistics")]

    operations = [migrations.RunPython(seed_services, migrations.RunPython.noop)]

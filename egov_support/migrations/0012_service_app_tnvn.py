"""The catalogue's services added since 0002 (App Thanh niên Việt Nam, issue #22): the same
idempotent seeding, so a database seeded before gets them and staff edits stay as they are."""

from importlib import import_module

from django.db import migrations


def seed_services(apps, schema_editor):
    import_module("egov_support.migrations.0002_seed_service_catalogue").seed_services(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("egov_support", "0011_campaign_targets_and_activities")]

    operations = [migrations.RunPython(seed_services, migrations.RunPython.noop)]

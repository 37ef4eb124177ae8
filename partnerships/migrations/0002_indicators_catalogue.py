"""The indicator catalogue that targets refer to (issue #6 lists them; the progress app adds rules).

Data frozen in the migration: later changes to the catalogue come in new migrations.
"""

from django.db import migrations

INDICATORS = [
    # code, name_vi, name_en, unit, kind, description
    (
        "online_service_rate",
        "Tỷ lệ hồ sơ dịch vụ công trực tuyến",
        "Online public-service rate",
        "%",
        "ratio",
        "Online dossiers / all dossiers, from the official statistics.",
    ),
    ("teams_active", "Số đội hình tình nguyện hoạt động", "Volunteer teams active", "đội", "count", ""),
    (
        "communes_with_team",
        "Số xã, phường có đội hình hoạt động",
        "Communes with an active team",
        "xã",
        "count",
        "",
    ),
    (
        "team_coverage",
        "Tỷ lệ xã, phường có đội hình",
        "Commune coverage by teams",
        "%",
        "ratio",
        "Communes with an active team / communes.",
    ),
    ("citizens_assisted", "Lượt người dân được hỗ trợ", "Citizens assisted", "lượt", "count", ""),
    (
        "dossiers_assisted",
        "Hồ sơ trực tuyến nộp có hỗ trợ",
        "Dossiers submitted with help",
        "hồ sơ",
        "count",
        "",
    ),
    (
        "vneid_activations",
        "Tài khoản VNeID được hỗ trợ kích hoạt",
        "VNeID activations assisted",
        "tài khoản",
        "count",
        "",
    ),
    ("volunteers_active", "Tình nguyện viên hoạt động", "Volunteers active", "người", "count", ""),
    ("volunteer_hours", "Giờ tình nguyện", "Volunteer-hours", "giờ", "count", ""),
]


def add_indicators(apps, schema_editor):
    Indicator = apps.get_model("partnerships", "Indicator")
    for code, name_vi, name_en, unit, kind, description in INDICATORS:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name_vi": name_vi,
                "name_en": name_en,
                "unit": unit,
                "kind": kind,
                "direction": "at_least",
                "description": description,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(add_indicators, migrations.RunPython.noop)]

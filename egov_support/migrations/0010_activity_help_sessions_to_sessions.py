"""One record of citizens helped: activities of the former kind "help_session" become help sessions.

Help sessions are the only record of citizens helped (the dashboard counted them, the team page
counted activities, so one event could be logged twice and give two answers). Each such activity
becomes a help session of its team, on its day and at its place, whose one service line counts its
"people reached" as citizens assisted (service "public-service-apps", guidance on public-service
apps: the activity did not say which service). The activity stays, as kind "other" with 0 people,
because it still carries the team's volunteer-hours; its note says where the people went. The
unit's months are marked for the progress rollup.
"""

import datetime

from django.db import migrations

SERVICE_CODE = "public-service-apps"


def forwards(apps, schema_editor):
    Activity = apps.get_model("volunteers", "Activity")
    HelpSession = apps.get_model("egov_support", "HelpSession")
    ServiceLine = apps.get_model("egov_support", "ServiceLine")
    Service = apps.get_model("egov_support", "Service")
    DirtyMark = apps.get_model("core", "DirtyMark")
    service = Service.objects.filter(code=SERVICE_CODE).first() or Service.objects.order_by("pk").first()
    if service is None:
        return
    for activity in Activity.objects.filter(kind="help_session").select_related("team").iterator():
        hours = 3
        if activity.volunteers_count and activity.volunteer_hours:
            hours = max(1, min(10, round(float(activity.volunteer_hours) / activity.volunteers_count)))
        session = HelpSession.objects.create(
            team_id=activity.team_id,
            org_unit_id=activity.team.org_unit_id,
            location_kind="other",
            address=activity.place[:255],
            date=activity.date,
            start_time=datetime.time(8, 0),
            end_time=datetime.time(8 + hours, 0),
            notes=activity.title,
            created_by_id=activity.created_by_id,
            total_assisted=activity.participants,
        )
        if activity.participants:
            ServiceLine.objects.create(
                session=session, service=service, citizens_assisted=activity.participants
            )
        moved = f"{activity.participants} người được hỗ trợ: buổi hỗ trợ #{session.pk}."
        activity.note = f"{activity.note}\n{moved}".strip()
        activity.kind = "other"
        activity.participants = 0
        activity.save(update_fields=["note", "kind", "participants"])
        DirtyMark.objects.get_or_create(
            org_unit_id=activity.team.org_unit_id, month=activity.date.replace(day=1), rosters=False
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_dirty_mark_rosters"),
        ("egov_support", "0009_session_team_day_index"),
        ("volunteers", "0007_activity_kind_without_help_session"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

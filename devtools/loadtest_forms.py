"""The "log a help session" POST for devtools/loadtest.py: a valid form body for province staff.

Built from the data in the database (a team of the province and the service catalogue), in the same
field names the page's form posts. ``{uuid}`` is replaced by loadtest.lua with a new idempotency key
per request, so every POST saves a new session (the form refuses a replayed key), and ``{date}`` with
a day of the last four weeks.
"""

import urllib.parse


def help_session_post(province_code: str = "86") -> dict:
    from django.urls import reverse

    from egov_support.models import Service
    from volunteers.models import Team

    team = (
        Team.objects.filter(org_unit__path__contains=f"/{province_code}/", status="active")
        .select_related("org_unit")
        .order_by("pk")
        .first()
    )
    if team is None:
        raise LookupError(f"no active team under the province with code {province_code}")
    service = Service.objects.order_by("pk").first()
    fields = {
        "idempotency_key": "{uuid}",
        "team": team.pk,
        "org_unit": team.org_unit_id,
        "location_kind": "one_stop_desk",
        "address": "Bộ phận một cửa",
        # A day of the last four weeks, drawn per request by loadtest.lua ({date}): runs after runs
        # do not pile thousands of sessions on one team's day (its duplicate check reads that day).
        "date": "{date}",
        "start_time": "07:30",
        "end_time": "11:00",
        # The same team, place and day on every request: confirm, as a leader holding a second
        # session there would (otherwise the form asks first and answers 400).
        "confirm_duplicate": "on",
        f"svc-{service.pk}-citizens_assisted": "5",
        f"svc-{service.pk}-dossiers_online": "3",
        f"svc-{service.pk}-successful": "4",
    }
    body = urllib.parse.urlencode(fields, safe="{}")
    return {"method": "POST", "path": reverse("egov_support:session_create"), "body": body}

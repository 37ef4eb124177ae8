"""Access expectations for teams, volunteers, memberships and activities: pages, API, exports,
imports, uploads and downloads, admin (format: tests/access.py).

Each position holds one team of that unit (with a decision PDF, a partner organisation, a weekly
report, an activity with a photo) and one volunteer living there, member of the team.
"""

import io

from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.access import (
    LOG,
    MANAGE,
    POSITIONS,
    VIEW,
    Entry,
    Saves,
    anywhere,
    by_scope,
    per_persona,
)
from tests.partnerships.factories import PartnerFactory
from tests.volunteers.factories import (
    ActivityFactory,
    MembershipFactory,
    TeamFactory,
    VolunteerFactory,
    WeeklyReportFactory,
)
from volunteers.models import (
    Activity,
    ActivityPhoto,
    Membership,
    Team,
    TeamOrganisation,
    Training,
    Volunteer,
    WeeklyReport,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def populate(world) -> None:
    if hasattr(world, "teams"):
        return
    partner = PartnerFactory(name="Bưu điện tỉnh")
    world.teams, world.volunteers, world.memberships, world.activities = {}, {}, {}, {}
    world.team_partners, world.photos = {}, {}
    for position, unit in world.units.items():
        team = TeamFactory(name=f"Đội {position}", org_unit=unit)
        team.decision_file.save("quyet-dinh.pdf", ContentFile(PDF))
        volunteer = VolunteerFactory(given_name=f"Lan {position}", home_unit=unit)
        world.teams[position] = team
        world.volunteers[position] = volunteer
        world.memberships[position] = MembershipFactory(team=team, volunteer=volunteer)
        world.team_partners[position] = TeamOrganisation.objects.create(team=team, partner=partner)
        activity = ActivityFactory(team=team, title=f"Hoạt động {position}", created_by=world.personas.admin)
        world.activities[position] = activity
        photo = ActivityPhoto(activity=activity)
        photo.image.save("anh.png", ContentFile(PNG))
        world.photos[position] = photo
        WeeklyReportFactory(team=team, submitted_by=world.personas.admin)


def team_at(world, position) -> Team:
    return world.teams[position]


def volunteer_at(world, position) -> Volunteer:
    return world.volunteers[position]


def _snapshot(world):
    return [
        list(model.objects.order_by("pk").values())
        for model in (Team, Volunteer, Membership, Activity, ActivityPhoto, TeamOrganisation, Training)
    ] + [list(WeeklyReport.objects.order_by("pk").values())]


def _team_url(name, *extra):
    return lambda world, position: reverse(name, args=[team_at(world, position).pk, *extra])


def _volunteer_url(name):
    return lambda world, position: reverse(name, args=[volunteer_at(world, position).pk])


def _activity_url(name):
    return lambda world, position: reverse(name, args=[world.activities[position].pk])


def _xlsx_names(response, column: int) -> set[str]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}


def _page_rows(response):
    rows = response.context["page"].object_list
    return {getattr(r, "pk", None) or r["team"].pk for r in rows}


def _api_rows(response):
    return {row["id"] for row in response.json()["results"]}


signed_in = per_persona(anonymous=302, default=200)
api_signed_in = per_persona(anonymous=401, default=200)
_teams = {"row_objects": team_at, "row_scope": VIEW}
_volunteers = {"row_objects": volunteer_at, "row_scope": VIEW}
_loggers = anywhere(LOG)

ENTRIES = [
    # --- Team pages ---
    Entry("volunteers:team_list", {"GET": signed_in}, rows=_page_rows, **_teams),
    Entry(
        "volunteers:team_list",
        {"GET": signed_in},
        url=lambda world, variant: reverse("volunteers:team_list") + "?format=xlsx",
        rows=lambda r: set(Team.objects.filter(name__in=_xlsx_names(r, 0)).values_list("pk", flat=True)),
        **_teams,
    ),
    Entry(
        "volunteers:my_teams",
        {"GET": signed_in},
        rows=lambda r: {row["team"].pk for row in r.context["rows"]},
        row_objects=team_at,
        row_scope=LOG,
    ),
    Entry(
        "volunteers:unreported",
        {"GET": signed_in},
        rows=lambda r: {t.pk for t in r.context["page"].object_list},
        row_objects=team_at,
        row_scope=LOG,
    ),
    Entry(
        "volunteers:team_create",
        {"GET": _loggers, "POST": _loggers},
        snapshot=_snapshot,
        data={"name": ""},
    ),
    Entry(
        "volunteers:team_detail",
        {"GET": by_scope(VIEW)},
        url=_team_url("volunteers:team_detail"),
        variants=POSITIONS,
    ),
    Entry(
        "volunteers:team_edit",
        {"GET": by_scope(LOG), "POST": by_scope(LOG)},
        url=_team_url("volunteers:team_edit"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"name": ""},
    ),
    Entry(
        "volunteers:team_organisation_add",
        {"GET": per_persona(anonymous=302, default=405), "POST": by_scope(LOG, inside=302)},
        url=_team_url("volunteers:team_organisation_add"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"partner": ""},
    ),
    Entry(
        "volunteers:team_organisation_remove",
        # Only refused removals are posted: an allowed one would remove the fixture.
        {"POST": by_scope(LOG, inside=None)},
        url=lambda world, position: reverse(
            "volunteers:team_organisation_remove",
            args=[team_at(world, position).pk, world.team_partners[position].pk],
        ),
        variants=POSITIONS,
        snapshot=_snapshot,
    ),
    Entry(
        "volunteers:team_decision_file",
        {"GET": by_scope(VIEW)},
        url=_team_url("volunteers:team_decision_file"),
        variants=POSITIONS,
    ),
    Entry(
        "volunteers:roster_export",
        {"GET": by_scope(VIEW)},
        url=_team_url("volunteers:roster_export"),
        variants=POSITIONS,
    ),
    Entry(
        "volunteers:roster_template",
        {"GET": by_scope(LOG)},
        url=_team_url("volunteers:roster_template"),
        variants=POSITIONS,
    ),
    Entry(
        "volunteers:roster_import",
        {"GET": by_scope(LOG), "POST": by_scope(LOG)},
        url=_team_url("volunteers:roster_import"),
        variants=POSITIONS,
        snapshot=_snapshot,
    ),
    Entry(
        "volunteers:membership_add",
        {"GET": by_scope(LOG), "POST": by_scope(LOG)},
        url=_team_url("volunteers:membership_add"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"volunteer": ""},
    ),
    Entry(
        "volunteers:membership_end",
        {"POST": by_scope(LOG, inside=None)},
        url=lambda world, position: reverse(
            "volunteers:membership_end",
            args=[team_at(world, position).pk, world.memberships[position].pk],
        ),
        variants=POSITIONS,
        snapshot=_snapshot,
    ),
    # --- Activities ---
    Entry(
        "volunteers:activity_log",
        {"GET": _loggers, "POST": _loggers},
        snapshot=_snapshot,
        data={"title": ""},
    ),
    Entry(
        "volunteers:activity_log",
        # A team outside the log scope, posted by hand: 404, nothing saved.
        {"POST": by_scope(LOG, inside=200, outside=404, viewer=403)},
        url=lambda world, position: reverse("volunteers:activity_log"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data=lambda world, position: {"team": team_at(world, position).pk, "title": ""},
    ),
    Entry(
        "volunteers:activity_detail",
        {"GET": by_scope(VIEW)},
        url=_activity_url("volunteers:activity_detail"),
        variants=POSITIONS,
    ),
    Entry(
        "volunteers:activity_edit",
        {"GET": by_scope(LOG), "POST": by_scope(LOG)},
        url=_activity_url("volunteers:activity_edit"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"title": ""},
    ),
    Entry(
        "volunteers:activity_photo",
        {"GET": by_scope(VIEW)},
        url=lambda world, position: reverse(
            "volunteers:activity_photo", args=[world.activities[position].pk, world.photos[position].pk]
        ),
        variants=POSITIONS,
    ),
    # --- Volunteers ---
    Entry("volunteers:volunteer_list", {"GET": signed_in}, rows=_page_rows, **_volunteers),
    Entry(
        "volunteers:volunteer_list",
        {"GET": signed_in},
        url=lambda world, variant: reverse("volunteers:volunteer_list") + "?format=xlsx",
        rows=lambda r: set(
            Volunteer.objects.filter(given_name__in=_xlsx_names(r, 2)).values_list("pk", flat=True)
        ),
        **_volunteers,
    ),
    Entry(
        "volunteers:volunteer_join",
        {"GET": _loggers, "POST": _loggers},
        snapshot=_snapshot,
        data={"given_name": ""},
    ),
    Entry(
        "volunteers:volunteer_detail",
        {"GET": by_scope(VIEW)},
        url=_volunteer_url("volunteers:volunteer_detail"),
        variants=POSITIONS,
    ),
    Entry(
        "volunteers:training_add",
        {"POST": by_scope(LOG, inside=302)},
        url=_volunteer_url("volunteers:training_add"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"course": ""},
    ),
    Entry(
        "volunteers:volunteer_edit",
        {"GET": by_scope(LOG), "POST": by_scope(LOG)},
        url=_volunteer_url("volunteers:volunteer_edit"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"given_name": ""},
    ),
    Entry(
        "volunteers:volunteer_export",
        {"GET": by_scope(LOG)},
        url=_volunteer_url("volunteers:volunteer_export"),
        variants=POSITIONS,
    ),
    Entry(
        "volunteers:volunteer_erase",
        # Without the confirmation box nothing is erased, even where it is allowed.
        {"GET": by_scope(MANAGE), "POST": by_scope(MANAGE)},
        url=_volunteer_url("volunteers:volunteer_erase"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"confirm": "no"},
    ),
    # --- API: lists show the view scope; writes need the log scope (404 outside it) ---
    Entry(
        "team-list",
        {"GET": api_signed_in, "POST": by_scope(LOG, inside=Saves(201), outside=400, anonymous=401)},
        rows=_api_rows,
        variants=POSITIONS,
        snapshot=_snapshot,
        data=lambda world, position: {
            "name": f"Đội mới {position}",
            "kind": "digital_youth",
            "org_unit": world.units[position].pk,
        },
        **_teams,
    ),
    Entry(
        "team-detail",
        {
            "GET": by_scope(VIEW, anonymous=401),
            "PUT": by_scope(LOG, inside=(Saves(200), 400), anonymous=401),
            "PATCH": by_scope(LOG, inside=Saves(200), anonymous=401),
        },
        url=_team_url("team-detail"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"name": "Đội (API)"},
    ),
    Entry(
        "volunteer-list",
        {"GET": api_signed_in, "POST": by_scope(LOG, inside=Saves(201), outside=400, anonymous=401)},
        rows=_api_rows,
        variants=POSITIONS,
        snapshot=_snapshot,
        data=lambda world, position: {
            "family_name": "Trần",
            "given_name": f"Mới {position}",
            "home_unit": world.units[position].pk,
            "consent_on": "2025-09-01",
            "consent_purpose": "Tham gia đội",
        },
        **_volunteers,
    ),
    Entry(
        "volunteer-detail",
        {
            "GET": by_scope(VIEW, anonymous=401),
            "PUT": by_scope(LOG, inside=(Saves(200), 400), anonymous=401),
            "PATCH": by_scope(LOG, inside=Saves(200), anonymous=401),
        },
        url=_volunteer_url("volunteer-detail"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"middle_name": "Thu"},
    ),
    Entry(
        "membership-list",
        {"GET": api_signed_in, "POST": by_scope(LOG, inside=(Saves(201), 400), outside=400, anonymous=401)},
        rows=_api_rows,
        row_objects=lambda world, position: world.memberships[position],
        row_scope=VIEW,
        variants=POSITIONS,
        snapshot=_snapshot,
        data=lambda world, position: {
            "team": team_at(world, position).pk,
            "volunteer": volunteer_at(world, position).pk,
            "role": "leader",
        },
    ),
    Entry(
        "membership-detail",
        {
            "GET": by_scope(VIEW, anonymous=401),
            "PUT": by_scope(LOG, inside=(Saves(200), 400), anonymous=401),
            "PATCH": by_scope(LOG, inside=Saves(200), anonymous=401),
        },
        url=lambda world, position: reverse("membership-detail", args=[world.memberships[position].pk]),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"role": "deputy"},
    ),
    Entry(
        "activity-list",
        {"GET": api_signed_in, "POST": by_scope(LOG, inside=Saves(201), outside=400, anonymous=401)},
        rows=_api_rows,
        row_objects=lambda world, position: world.activities[position],
        row_scope=VIEW,
        variants=POSITIONS,
        snapshot=_snapshot,
        data=lambda world, position: {
            "team": team_at(world, position).pk,
            "date": "2025-10-07",
            "kind": "communication",
            "title": f"Hoạt động mới {position}",
        },
    ),
    Entry(
        "activity-detail",
        {
            "GET": by_scope(VIEW, anonymous=401),
            "PUT": by_scope(LOG, inside=(Saves(200), 400), anonymous=401),
            "PATCH": by_scope(LOG, inside=Saves(200), anonymous=401),
        },
        url=_activity_url("activity-detail"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"title": "Hoạt động (API)"},
    ),
]

ADMIN_OBJECTS = {
    Team: team_at,
    Volunteer: volunteer_at,
    Membership: lambda world, position: world.memberships[position],
    Activity: lambda world, position: world.activities[position],
    WeeklyReport: lambda world, position: WeeklyReport.objects.get(team=team_at(world, position)),
}

_not_staff = {"anonymous": 302, "viewer": 302, "leader_a": 302}
# A past version of a volunteer or membership would show personal fields in full: refused to all.
_refused = per_persona(**_not_staff, default=403)
ADMIN_OVERRIDES = {
    "admin:volunteers_volunteer_simple_history": {"GET": _refused},
    "admin:volunteers_membership_simple_history": {"GET": _refused},
}

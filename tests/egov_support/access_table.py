"""Access expectations for help sessions, campaigns and official statistics: pages, API, export,
import, admin (format: tests/access.py).

Each position holds one help session of its team (tests/volunteers/access_table.py builds the
teams) with a follow-up contact, one campaign run by the unit and one month of statistics.
"""

import datetime

from django.urls import reverse

from egov_support.models import (
    Campaign,
    CampaignTarget,
    FollowUpContact,
    HelpSession,
    ServiceLine,
    ServiceStatistic,
)
from partnerships.models import Indicator
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
from tests.egov_support.factories import (
    CampaignFactory,
    HelpSessionFactory,
    ServiceFactory,
    ServiceLineFactory,
    ServiceStatisticFactory,
)
from tests.volunteers import access_table as volunteers_table


def populate(world) -> None:
    if hasattr(world, "sessions"):
        return
    volunteers_table.populate(world)
    world.service = ServiceFactory(code="vneid-level2")
    world.sessions, world.campaigns, world.statistics, world.contacts = {}, {}, {}, {}
    world.campaign_targets = {}
    indicator = Indicator.objects.get(code="citizens_assisted")
    for position, unit in world.units.items():
        session = HelpSessionFactory(team=world.teams[position], org_unit=unit)
        ServiceLineFactory(session=session, service=world.service)
        world.sessions[position] = session
        world.contacts[position] = FollowUpContact.objects.create(
            session=session,
            name="Trần Văn Dân",
            phone="0912345678",
            consent_recorded_at=datetime.datetime(2025, 9, 10, 8, tzinfo=datetime.UTC),
            purpose="Gọi lại hướng dẫn",
            purge_on=datetime.date(2025, 10, 10),
        )
        world.campaigns[position] = CampaignFactory(name=f"Chiến dịch {position}", org_unit=unit)
        world.campaign_targets[position] = CampaignTarget.objects.create(
            campaign=world.campaigns[position], indicator=indicator, org_unit=unit, target_value=100
        )
        world.statistics[position] = ServiceStatisticFactory(org_unit=unit)


def session_at(world, position) -> HelpSession:
    return world.sessions[position]


def _snapshot(world):
    return [
        list(model.objects.order_by("pk").values())
        for model in (
            HelpSession,
            ServiceLine,
            FollowUpContact,
            Campaign,
            CampaignTarget,
            Campaign.activities.through,
            ServiceStatistic,
        )
    ]


def _url(name, collection):
    return lambda world, position: reverse(name, args=[getattr(world, collection)[position].pk])


def _page_rows(response):
    return {r.pk for r in response.context["page"].object_list}


def _filter_team_rows(response):
    return {team.pk for team in response.context["form"].fields["team"].queryset}


def _api_rows(response):
    body = response.json()
    return {row["id"] for row in (body["results"] if isinstance(body, dict) else body)}


def _session_body(world, position):
    return {
        "team": world.teams[position].pk,
        "location_kind": "one_stop_desk",
        "date": "2025-09-11",
        "start_time": "07:30",
        "end_time": "11:00",
        "lines": [{"service": "vneid-level2", "citizens_assisted": 3}],
    }


def _statistic_body(world, position):
    unit = world.units[position]
    return {
        "org_unit": unit.pk,
        # A dissolved unit's figures are for a month it existed (issue #22): its last one.
        "month": f"{unit.valid_to:%m/%Y}" if unit.valid_to else "10/2025",
        "source": "provincial_portal",
        "dossiers_total": 50,
        "dossiers_online": 10,
    }


signed_in = per_persona(anonymous=302, default=200)
api_signed_in = per_persona(anonymous=401, default=200)
_sessions = {"row_objects": session_at, "row_scope": VIEW}
_statistics = {"row_objects": lambda world, position: world.statistics[position], "row_scope": VIEW}
# Statistics pages are the province staff's: leaders and viewers are refused before any lookup.
_statistic_object = {"viewer": 403, "leader_a": 403}

ENTRIES = [
    # --- Help sessions ---
    Entry("egov_support:session_list", {"GET": signed_in}, rows=_page_rows, **_sessions),
    Entry(
        "egov_support:session_list",
        {"GET": signed_in},
        url=lambda world, variant: reverse("egov_support:session_list") + "?format=xlsx",
    ),
    # The list's filter, loaded when opened: the teams it offers are those the user sees.
    Entry(
        "egov_support:session_filter",
        {"GET": signed_in},
        rows=_filter_team_rows,
        row_objects=lambda world, position: world.teams[position],
        row_scope=VIEW,
    ),
    Entry(
        "egov_support:session_create",
        {"GET": anywhere(LOG), "POST": anywhere(LOG, allowed=400)},
        snapshot=_snapshot,
        data={"team": ""},
    ),
    Entry(
        "egov_support:session_roster",
        # A team's roster (names) only for those who may log for that team: elsewhere a 404.
        {"GET": by_scope(LOG), "POST": per_persona(anonymous=302, default=405)},
        url=lambda world, position: (
            reverse("egov_support:session_roster") + f"?team={world.teams[position].pk}"
        ),
        variants=POSITIONS,
    ),
    Entry(
        "egov_support:session_detail",
        # Viewers read the session but may not add a contact: 404, like an object outside scope.
        {"GET": by_scope(VIEW), "POST": by_scope(LOG, inside=400)},
        url=_url("egov_support:session_detail", "sessions"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"name": ""},
    ),
    Entry(
        "egov_support:session_edit",
        # Whoever logs for the team, within 7 days (all the world's sessions are new); a bad form is a
        # 400 and saves nothing. Viewers: 404, like an object outside scope.
        {"GET": by_scope(LOG), "POST": by_scope(LOG, inside=400)},
        url=_url("egov_support:session_edit", "sessions"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"location_kind": ""},
    ),
    Entry(
        "egov_support:session_delete",
        # Inside the scope it deletes (tested in test_session_change.py); refused elsewhere, nothing lost.
        {"POST": by_scope(LOG, inside=None)},
        url=_url("egov_support:session_delete", "sessions"),
        variants=POSITIONS,
        snapshot=_snapshot,
    ),
    # --- Campaigns: read where seen, run (edited, targets set) where managed ---
    Entry(
        "egov_support:campaign_list",
        {"GET": signed_in},
        rows=_page_rows,
        row_objects=lambda world, position: world.campaigns[position],
        row_scope=VIEW,
    ),
    Entry(
        "egov_support:campaign_create",
        # A form without a name is a 400 and saves nothing.
        {"GET": anywhere(MANAGE), "POST": anywhere(MANAGE, allowed=400)},
        snapshot=_snapshot,
        data={"name": ""},
    ),
    Entry(
        "egov_support:campaign_detail",
        {"GET": by_scope(VIEW)},
        url=_url("egov_support:campaign_detail", "campaigns"),
        variants=POSITIONS,
    ),
    Entry(
        "egov_support:campaign_edit",
        # Leaders and viewers read campaigns but do not run them: a 404, like one outside scope.
        {"GET": by_scope(MANAGE), "POST": by_scope(MANAGE, inside=400)},
        url=_url("egov_support:campaign_edit", "campaigns"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"name": ""},
    ),
    Entry(
        "egov_support:campaign_target_create",
        {"GET": by_scope(MANAGE), "POST": by_scope(MANAGE, inside=400)},
        url=_url("egov_support:campaign_target_create", "campaigns"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"target_value": "-1"},
    ),
    Entry(
        "egov_support:campaign_target_edit",
        {"GET": by_scope(MANAGE), "POST": by_scope(MANAGE, inside=400)},
        url=lambda world, position: reverse(
            "egov_support:campaign_target_edit",
            args=[world.campaigns[position].pk, world.campaign_targets[position].pk],
        ),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"target_value": "-1"},
    ),
    Entry(
        "egov_support:campaign_target_delete",
        # Inside the scope it removes the target (tested in test_campaigns.py); refused elsewhere.
        {"POST": by_scope(MANAGE, inside=None)},
        url=lambda world, position: reverse(
            "egov_support:campaign_target_delete",
            args=[world.campaigns[position].pk, world.campaign_targets[position].pk],
        ),
        variants=POSITIONS,
        snapshot=_snapshot,
    ),
    Entry(
        "egov_support:campaign_activities",
        # Whoever logs for a unit that sees the campaign tags activities; none chosen is a 400.
        {"POST": by_scope(LOG, inside=400)},
        url=_url("egov_support:campaign_activities", "campaigns"),
        variants=POSITIONS,
        snapshot=_snapshot,
    ),
    # --- Official statistics ---
    Entry("egov_support:statistic_list", {"GET": signed_in}, rows=_page_rows, **_statistics),
    Entry(
        "egov_support:statistic_create",
        {
            "GET": anywhere(MANAGE),
            # A unit outside the manage scope is not a choice of the form: 400, nothing saved.
            # The first persona saves the month, the next ones find it taken (400).
            "POST": by_scope(MANAGE, inside=(Saves(302), 400), outside=400, **_statistic_object),
        },
        variants=POSITIONS,
        snapshot=_snapshot,
        data=lambda world, position: {
            "org_unit": world.units[position].pk,
            "month": "10/2025",
            "source": "provincial_portal",
            "dossiers_total": 40,
            "dossiers_online": 4,
        },
    ),
    Entry(
        "egov_support:statistic_edit",
        {
            "GET": by_scope(MANAGE, **_statistic_object),
            "POST": by_scope(MANAGE, inside=400, **_statistic_object),
        },
        url=_url("egov_support:statistic_edit", "statistics"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"dossiers_total": ""},
    ),
    Entry(
        "egov_support:statistic_import",
        {"GET": anywhere(MANAGE), "POST": anywhere(MANAGE, allowed=400)},
        snapshot=_snapshot,
    ),
    Entry("egov_support:statistic_template", {"GET": anywhere(MANAGE)}),
    # --- API ---
    Entry("service-list", {"GET": api_signed_in, "POST": per_persona(anonymous=401, default=405)}),
    Entry(
        "service-detail",
        {"GET": api_signed_in},
        url=lambda world, variant: reverse("service-detail", args=[world.service.pk]),
    ),
    Entry(
        "campaign-list",
        # A name is unique per unit: the first persona creates it, the next ones get 400.
        {
            "GET": api_signed_in,
            "POST": by_scope(MANAGE, inside=(Saves(201), 400), outside=400, anonymous=401),
        },
        rows=_api_rows,
        row_objects=lambda world, position: world.campaigns[position],
        row_scope=VIEW,
        variants=POSITIONS,
        snapshot=_snapshot,
        data=lambda world, position: {
            "name": f"Chiến dịch mới {position}",
            "org_unit": world.units[position].pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-03-31",
            "participating_units": [],
        },
    ),
    Entry(
        "campaign-detail",
        {"GET": by_scope(VIEW, anonymous=401)},
        url=_url("campaign-detail", "campaigns"),
        variants=POSITIONS,
    ),
    Entry(
        "service-stat-list",
        {
            "GET": api_signed_in,
            "POST": by_scope(MANAGE, inside=(Saves(201), Saves(200)), outside=400, anonymous=401),
        },
        rows=_api_rows,
        variants=POSITIONS,
        snapshot=_snapshot,
        data=_statistic_body,
        **_statistics,
    ),
    Entry(
        "service-stat-detail",
        {
            "GET": by_scope(VIEW, anonymous=401),
            "PUT": by_scope(MANAGE, inside=(Saves(200), 400), anonymous=401),
            "PATCH": by_scope(MANAGE, inside=Saves(200), anonymous=401),
        },
        url=_url("service-stat-detail", "statistics"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data={"dossiers_total": 120},
    ),
    Entry(
        "help-session-list",
        {"GET": api_signed_in, "POST": by_scope(LOG, inside=Saves(201), outside=400, anonymous=401)},
        rows=_api_rows,
        variants=POSITIONS,
        snapshot=_snapshot,
        data=_session_body,
        **_sessions,
    ),
    # --- A team's week (activities and sessions) and its citizens-helped card ---
    Entry(
        "egov_support:weekly_report",
        {
            "GET": by_scope(VIEW),
            # Viewers see the report but may not submit it: a 404, like an object outside scope.
            "POST": by_scope(LOG, inside=(Saves(302), 200)),
        },
        url=lambda world, position: reverse(
            "egov_support:weekly_report", args=[world.teams[position].pk, 2025, 41]
        ),
        variants=POSITIONS,
        snapshot=volunteers_table._snapshot,
        data={"note": "Tuần này đội làm tốt"},
    ),
    Entry(
        "egov_support:team_help_summary",
        {"GET": by_scope(VIEW)},
        url=lambda world, position: reverse(
            "egov_support:team_help_summary", args=[world.teams[position].pk]
        ),
        variants=POSITIONS,
    ),
    Entry(
        "help-session-detail",
        {"GET": by_scope(VIEW, anonymous=401)},
        url=_url("help-session-detail", "sessions"),
        variants=POSITIONS,
    ),
    Entry(
        "help-session-bulk-create",
        {"POST": by_scope(LOG, inside=Saves(201), outside=400, anonymous=401)},
        url=lambda world, position: reverse("help-session-bulk-create"),
        variants=POSITIONS,
        snapshot=_snapshot,
        data=lambda world, position: {"items": [_session_body(world, position)]},
    ),
]

ADMIN_OBJECTS = {
    Campaign: lambda world, position: world.campaigns[position],
    HelpSession: session_at,
    FollowUpContact: lambda world, position: world.contacts[position],
    ServiceStatistic: lambda world, position: world.statistics[position],
}

_not_staff = {"anonymous": 302, "viewer": 302, "leader_a": 302}
_nobody = per_persona(**_not_staff, default=403)
ADMIN_OVERRIDES = {
    # Follow-up contacts are added on the session page, where consent is recorded.
    "admin:egov_support_followupcontact_add": {"GET": _nobody},
    # Import batches are a read-only log.
    "admin:egov_support_statisticimport_add": {"GET": _nobody},
    "admin:egov_support_statisticimport_change": {
        "GET": per_persona(**_not_staff, default=403, admin=302),
        "POST": _nobody,
    },
}

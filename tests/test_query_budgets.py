"""Query budgets: every list page and API list, the dashboard and the detail pages run a fixed number of
queries, the same with 1 row as with 50 (an N+1 shows up as a difference), and at most a stated budget.

Each case is measured twice on the same world: with one row of everything in province A, then after it
grew to 50 rows (50 teams, volunteers, sessions, lines, activities, statistics, agreements, objectives,
partners, users, campaigns, child units). A page whose size is below 50 shows a full page the second time.
Logging a help session (the busiest form) is held the same way: one line, then a line for every service.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from accounts.services import role_assign
from egov_support.models import HelpSession, Service
from partnerships.models import Agreement, Commitment, Objective, Target
from progress import rollup
from tests.egov_support.factories import (
    CampaignFactory,
    HelpSessionFactory,
    ServiceLineFactory,
    ServiceStatisticFactory,
)
from tests.factories import OrgUnitFactory, UserFactory
from tests.partnerships.factories import PartnerFactory, indicator, make_agreement
from tests.volunteers.factories import ActivityFactory, MembershipFactory, TeamFactory, VolunteerFactory
from volunteers.models import Activity, Team

MANY = 50
DAY = datetime.date(2025, 9, 1)


class World:
    """Rows of every kind in province A, grown on demand; the 'first' objects carry the detail pages."""

    def __init__(self, tree, personas):
        self.tree, self.personas, self.n = tree, personas, 0
        self.services = list(Service.objects.order_by("pk"))
        self.first_team = self.first_session = self.first_agreement = None
        self.first_volunteer = self.first_activity = None

    def grow(self, n: int, *, rollup_after: bool = False) -> None:
        t = self.tree
        for i in range(self.n, n):
            unit = OrgUnitFactory(code=f"Q{i}", name=f"Đoàn xã Q{i}", parent=t.province_a)
            team = TeamFactory(org_unit=t.commune_a if i == 0 else unit, name=f"Đội hình Q{i}")
            self.first_team = self.first_team or team
            member = MembershipFactory(team=self.first_team).volunteer
            MembershipFactory(team=team)
            self.first_volunteer = self.first_volunteer or member
            session = HelpSessionFactory(team=team, date=DAY + datetime.timedelta(days=i % 60))
            session.volunteers.add(member)
            ServiceLineFactory(session=session, service=self.services[0], citizens_assisted=10)
            self.first_session = self.first_session or session
            if i < len(self.services) - 1:  # one line per service: the first session collects them
                ServiceLineFactory(
                    session=self.first_session, service=self.services[i + 1], citizens_assisted=10
                )
            activity = ActivityFactory(team=self.first_team if i % 2 else team, date=DAY)
            self.first_activity = self.first_activity or activity
            ServiceStatisticFactory(org_unit=t.commune_a, month=datetime.date(2020 + i // 12, 1 + i % 12, 1))
            ServiceStatisticFactory(org_unit=unit, month=DAY)
            CampaignFactory(org_unit=t.province_a, name=f"Chiến dịch Q{i}")
            PartnerFactory(name=f"Đối tác Q{i}")
            user = UserFactory(username=f"user_q{i}")
            role_assign(user=user, role=Role.UNIT_LEADER, org_unit=unit)
            make_agreement(units=[t.province_a], title=f"Thỏa thuận Q{i}", status=Agreement.Status.ACTIVE)
            self._objective_on_first_agreement(i)
        self.n = n
        if rollup_after:  # the dashboard and the progress API read the rollup's rows
            rollup.rollup_full(today=datetime.date(2025, 11, 20))

    def _objective_on_first_agreement(self, i: int) -> None:
        if self.first_agreement is None:
            self.first_agreement = make_agreement(
                units=[self.tree.province_a], title="Thỏa thuận chi tiết", status=Agreement.Status.ACTIVE
            )
        party = self.first_agreement.parties.order_by("position").first()
        objective = Objective.objects.create(
            agreement=self.first_agreement, number=i + 1, text=f"Mục tiêu {i + 1}", area="digital_government"
        )
        Commitment.objects.create(objective=objective, party=party, text=f"Cam kết {i + 1}")
        Target.objects.create(
            objective=objective,
            indicator=indicator(),
            org_unit=self.tree.province_a,
            target_value=80,
            deadline=datetime.date(2026, 12, 31),
        )


@dataclass
class Case:
    name: str
    url: Callable[[World], str]
    budget: int
    api: bool = False
    persona: str = "staff_a"
    progress: bool = False  # reads the rollup's rows

    def __str__(self):
        return self.name


def _pk(attr):
    return lambda w: getattr(w, attr).pk


# Issue 19: +1 on every page of staff_a, whose province took in a dissolved one (+2 where the
# ancestors' merged units are asked too): the scope reads the merges into it, then those into what
# they brought (two indexed reads of a few rows), instead of all 725 merges of the 2025 reform at once.
PAGES = [
    Case("unit list", lambda w: reverse("org:unit_list"), 6),
    Case("unit detail", lambda w: reverse("org:unit_detail", args=[w.tree.province_a.pk]), 8),
    Case("user list", lambda w: reverse("accounts:user_list"), 7),
    Case("agreement list", lambda w: reverse("partnerships:agreement_list"), 10),
    Case(
        "agreement detail",
        lambda w: reverse("partnerships:agreement_detail", args=[_pk("first_agreement")(w)]),
        # issue #8: was 19 (the merged units read twice, followers twice, a query per target relation);
        # issue #22: +2, the witnesses and attendees, and the teams serving it with their sizes
        16,
    ),
    Case("partner list", lambda w: reverse("partnerships:partner_list"), 6),
    Case("team list", lambda w: reverse("volunteers:team_list"), 6),
    Case(
        "team detail",
        lambda w: reverse("volunteers:team_detail", args=[_pk("first_team")(w)]),
        # issue #22: +2, the agreements it serves in the reader's scope (they were one joined FK)
        18,
    ),
    Case("volunteer list", lambda w: reverse("volunteers:volunteer_list"), 10),
    Case(
        "volunteer detail",
        lambda w: reverse("volunteers:volunteer_detail", args=[_pk("first_volunteer")(w)]),
        11,
    ),
    Case(
        "activity detail",
        lambda w: reverse("volunteers:activity_detail", args=[_pk("first_activity")(w)]),
        6,
    ),
    Case("unreported teams", lambda w: reverse("volunteers:unreported"), 6),
    Case("help-session list", lambda w: reverse("egov_support:session_list"), 12),
    Case(
        "help-session detail",
        lambda w: reverse("egov_support:session_detail", args=[_pk("first_session")(w)]),
        # with the change history: the session's and its lines' versions, and who was present; and
        # whether its month is locked (asked only of someone who could otherwise change it)
        13,
    ),
    Case("statistics list", lambda w: reverse("egov_support:statistic_list"), 8),
    # issue #23: every commune with its teams, last report, leader and the reminders of the week.
    Case("reporting status", lambda w: reverse("reporting:status"), 12),
    Case("notifications", lambda w: reverse("notifications:list"), 5),
    Case(
        "dashboard",
        lambda w: reverse("progress:dashboard", args=[w.tree.province_a.pk]),
        # issue #23: +1, the communes that have not reported this week (one count);
        # +1, how many communes approved the last month (one aggregate)
        16,
        progress=True,
    ),
]
API = [
    Case(f"API {name}", (lambda path: lambda w: f"/api/v1/{path}/")(name), budget, api=True)
    for name, budget in [
        ("org-units", 2),
        ("partners", 2),
        ("agreements", 3),
        ("teams", 4),  # issue #22: +1, the agreements each team serves (one prefetch)
        ("volunteers", 2),
        ("memberships", 2),
        ("activities", 1),
        ("services", 1),
        ("campaigns", 3),
        ("service-stats", 2),
        ("help-sessions", 3),
        ("indicators", 2),
    ]
] + [
    Case("API reporting-status", lambda w: "/api/v1/reporting-status/", 7, api=True),
    Case(
        "API progress",
        lambda w: f"/api/v1/progress/?unit={w.tree.province_a.pk}&indicator=citizens_assisted",
        4,
        api=True,
        progress=True,
    ),
]


UNPAGINATED = {
    "API services",
    "API indicators",
    "API progress",
    "API reporting-status",
}  # catalogues and one series


def _page_queries(queries: CaptureQueriesContext) -> int:
    """The queries the page ran, without the signed-in session's row: ``cached_db`` (with Redis) reads
    it from the cache, ``db`` from the table, so it depends on the setup, not on the page."""
    return sum('"django_session"' not in q["sql"] for q in queries.captured_queries)


def _measure(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return _page_queries(queries), response


@pytest.mark.parametrize("case", PAGES + API, ids=str)
def test_query_count_is_fixed_and_within_budget(case, tree, personas, as_user, api_as):
    world = World(tree, personas)
    world.grow(1, rollup_after=case.progress)
    user = getattr(personas, case.persona)
    client = api_as(user) if case.api else as_user(user)
    client.get(case.url(world))  # warm per-process caches (content types, site, translations)
    one, _ = _measure(client, case.url(world))

    world.grow(MANY, rollup_after=case.progress)
    client.get(case.url(world))  # the same warm start
    many, response = _measure(client, case.url(world))

    assert many == one, f"{case}: {one} queries with 1 row, {many} with {MANY}: a query per row"
    assert many <= case.budget, f"{case}: {many} queries, budget {case.budget}"
    if case.api and case.name not in UNPAGINATED:  # a full page of the grown rows
        assert len(response.json()["results"]) == MANY


SESSION_LOG_BUDGET = 26  # issue #8: was 43 with one line, 134 with a line per service; +1 as below


def _log_session(client, world: World, *, day: datetime.date, services: list, volunteers: list) -> int:
    """POST the "log a help session" form; the number of queries it ran."""
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "team": world.first_team.pk,
        "org_unit": world.first_team.org_unit_id,
        "location_kind": "school",  # a place and days where the world logged nothing: no duplicate
        "address": f"Trường THPT {day:%d/%m}",
        "date": day.strftime("%d/%m/%Y"),
        "start_time": "07:30",
        "end_time": "11:00",
        "volunteers": [v.pk for v in volunteers],
    }
    for service in services:
        data[f"svc-{service.pk}-citizens_assisted"] = "12"
        data[f"svc-{service.pk}-dossiers_online"] = "3"
        data[f"svc-{service.pk}-successful"] = "10"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("egov_support:session_create"), data)
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["form"].line_errors,
    )
    return _page_queries(queries)


def test_logging_a_help_session_runs_a_fixed_number_of_queries(tree, personas, as_user):
    """The same queries with one line and one volunteer present as with a line for every service
    and 50 volunteers: nothing is checked per line or per volunteer."""
    world = World(tree, personas)
    world.grow(1)
    client = as_user(personas.staff_a)
    active = [s for s in world.services if s.is_active]
    first = world.first_team.memberships.select_related("volunteer").first().volunteer
    later = [DAY + datetime.timedelta(days=70 + n) for n in range(3)]
    _log_session(client, world, day=later[0], services=active[:1], volunteers=[first])  # warm caches
    one = _log_session(client, world, day=later[1], services=active[:1], volunteers=[first])

    world.grow(MANY)
    client.get(reverse("egov_support:session_create"))  # the same warm start (growing wrote units)
    everyone = [m.volunteer for m in world.first_team.memberships.select_related("volunteer")]
    assert len(everyone) > MANY
    many = _log_session(client, world, day=later[2], services=active, volunteers=everyone)

    assert many == one, f"{one} queries with one line, {many} with {len(active)} lines"
    assert many <= SESSION_LOG_BUDGET, f"{many} queries, budget {SESSION_LOG_BUDGET}"
    session = HelpSession.objects.get(date=later[2])
    assert (session.lines.count(), session.volunteers.count()) == (len(active), len(everyone))


def test_the_world_really_grows(tree, personas):
    world = World(tree, personas)
    world.grow(1)
    world.grow(MANY)
    assert Team.objects.filter(org_unit__path__startswith=tree.province_a.path).count() == MANY
    assert HelpSession.objects.count() == MANY
    assert Activity.objects.count() == MANY
    assert world.first_agreement.objectives.count() == MANY
    assert world.first_session.lines.count() == len(world.services)
    assert VolunteerFactory._meta.model.objects.count() == 2 * MANY

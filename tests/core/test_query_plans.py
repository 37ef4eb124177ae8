"""Index use on PostgreSQL, checked with EXPLAIN on the querysets the list pages and API really run,
over enough rows that the planner would rather scan the table if no index fitted."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov_support import selectors as egov_selectors
from egov_support import services as egov_services
from egov_support.models import HelpSession
from tests.conftest import require_service
from tests.factories import OrgUnitFactory
from tests.volunteers.factories import TeamFactory
from volunteers.models import Activity, Team

pytestmark = pytest.mark.django_db
SESSIONS = 30_000
COMMUNES = 150


@pytest.fixture
def national(tree):
    """30,000 sessions and activities over 150 communes of a province, 3 years of dates."""
    require_service(connection.vendor == "postgresql", "EXPLAIN plans are PostgreSQL's")
    rng = random.Random(7)
    communes = [tree.commune_a] + [
        OrgUnitFactory(code=f"plan{n}", name=f"Đoàn xã Kế hoạch {n}", parent=tree.province_a)
        for n in range(COMMUNES - 1)
    ]
    teams = [TeamFactory(org_unit=unit) for unit in communes]
    first = datetime.date(2023, 1, 1)
    sessions, activities = [], []
    for _ in range(SESSIONS):
        team = rng.choice(teams)
        day = first + datetime.timedelta(days=rng.randrange(1000))
        sessions.append(
            HelpSession(
                team=team,
                org_unit_id=team.org_unit_id,
                location_kind="one_stop_desk",
                date=day,
                start_time=datetime.time(7, 30),
                end_time=datetime.time(11, 0),
            )
        )
        activities.append(Activity(team=team, date=day, kind="communication", title="Tuyên truyền"))
    HelpSession.objects.bulk_create(sessions, batch_size=5000)
    Activity.objects.bulk_create(activities, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return communes


def _plan(queryset) -> str:
    return queryset.explain()


def test_session_lists_read_by_index(national, personas):
    # A commune's list: a small slice of the table, found by (org_unit, date).
    plan = _plan(egov_selectors.help_session_list(user=personas.leader_a)[:50])
    assert "Seq Scan on egov_support_helpsession" not in plan, plan
    # A province's newest page: most rows are in scope, read newest first and stopped after a page
    # (the totals are per-row subqueries, so nothing groups the whole province first).
    plan = _plan(egov_selectors.help_session_list(user=personas.staff_a)[:50])
    assert "Index Scan using helpsession_recent" in plan, plan
    # The API's cursor: reads on from the last position.
    after = egov_selectors.help_session_list(user=personas.staff_a).filter(date__lt=datetime.date(2024, 6, 1))
    plan = _plan(after.order_by("-date", "-id")[:51])
    assert "Seq Scan on egov_support_helpsession" not in plan, plan


def _totals_plan(user) -> str:
    """The plan of the list's totals query, as the page runs it."""
    with CaptureQueriesContext(connection) as queries:
        egov_selectors.help_session_totals(user=user)
    (sql,) = [q["sql"] for q in queries.captured_queries if "SUM(" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_session_totals_read_the_totals_index_not_the_table(national, personas):
    # A commune's totals (1 unit of 150 here): summed from the (unit, date) index that carries them,
    # never by scanning the sessions (a province of the national data reads it index-only: README).
    plan = _totals_plan(personas.leader_a)
    assert "Seq Scan on egov_support_helpsession" not in plan, plan
    assert "helpsession_unit_date_totals" in plan, plan


def test_a_teams_activities_newest_first_read_by_index(national):
    team = Team.objects.filter(org_unit=national[3]).get()
    plan = _plan(Activity.objects.filter(team=team).order_by("-date", "-id")[:50])
    assert "Seq Scan on volunteers_activity" not in plan, plan
    plan = _plan(Activity.objects.order_by("-date", "-id")[:50])
    assert "Seq Scan on volunteers_activity" not in plan, plan


def test_the_duplicate_warning_reads_the_first_few_of_a_busy_day_by_index(national):
    """A one-stop desk's campaign day: 3,000 sessions of one team on one day. The warning names the
    first few (egov_support.services.DUPLICATES_SHOWN): read in index order and stopped, never all of
    the day's sessions sorted."""
    team = Team.objects.filter(org_unit=national[5]).get()
    day = datetime.date(2025, 3, 8)
    HelpSession.objects.bulk_create(
        HelpSession(
            team=team,
            org_unit_id=team.org_unit_id,
            location_kind="one_stop_desk",
            address="Bộ phận một cửa",
            date=day,
            start_time=datetime.time(7 + n % 10, n % 60),
            end_time=datetime.time(18, 0),
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE egov_support_helpsession")
    duplicates = egov_services.duplicate_sessions(
        team=team, org_unit=team.org_unit, location_kind="one_stop_desk", address="bộ phận một cửa", date=day
    )
    plan = _plan(duplicates[:6])
    assert "helpsession_team_day" in plan, plan
    assert "Sort" not in plan, plan

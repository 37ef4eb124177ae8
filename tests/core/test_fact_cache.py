"""Cached totals over facts: reused until any fact changes, never shared across scopes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov_support import selectors
from tests.egov_support.factories import HelpSessionFactory, ServiceLineFactory
from tests.volunteers.factories import TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)  # the version moves on commit


def _totals(user):
    with CaptureQueriesContext(connection) as queries:
        totals = selectors.help_session_totals(user=user)
    return totals, sum("SUM(" in q["sql"] for q in queries)  # the totals computed, not read from the cache


def _log(team, citizens):
    from core.progress_marks import mark_dirty

    session = HelpSessionFactory(team=team)
    ServiceLineFactory(session=session, citizens_assisted=citizens, successful=0)
    mark_dirty(org_unit_id=team.org_unit_id, day=session.date)  # what every service write does


def test_totals_are_cached_until_a_fact_changes(tree, personas):
    team = TeamFactory(org_unit=tree.commune_a)
    _log(team, 7)
    first, read = _totals(personas.staff_a)
    assert (first["assisted"], read) == (7, 1)
    again, read = _totals(personas.staff_a)
    assert (again, read) == (first, 0)  # served from the cache

    _log(team, 5)  # a new session anywhere retires every cached total
    after, read = _totals(personas.staff_a)
    assert (after["assisted"], read) == (12, 1)


def test_a_cached_total_is_never_served_to_another_scope(tree, personas):
    _log(TeamFactory(org_unit=tree.commune_a), 7)
    _log(TeamFactory(org_unit=tree.commune_b), 20)
    assert _totals(personas.staff_a)[0]["assisted"] == 7
    assert _totals(personas.staff_b)[0]["assisted"] == 20
    assert _totals(personas.outsider)[0]["assisted"] == 0
    assert _totals(personas.viewer)[0]["assisted"] == 27


def test_a_change_in_another_province_keeps_a_provinces_cache_but_not_the_countrys(tree, personas):
    _log(TeamFactory(org_unit=tree.commune_a), 7)
    _totals(personas.staff_a)  # warm the cache
    assert _totals(personas.viewer)[0]["assisted"] == 7

    _log(TeamFactory(org_unit=tree.commune_b), 20)  # province B
    again, read = _totals(personas.staff_a)
    assert (again["assisted"], read) == (7, 0)  # province A's figures did not change: still cached
    country, read = _totals(personas.viewer)
    assert (country["assisted"], read) == (27, 1)  # the whole country's did: recomputed

    _log(TeamFactory(org_unit=tree.commune_a), 5)  # province A again
    after, read = _totals(personas.staff_a)
    assert (after["assisted"], read) == (12, 1)


def test_a_merged_provinces_change_retires_its_successors_cache(tree, personas):
    """Vĩnh Long's staff see Bến Tre's units (merged into it): a session there is theirs too."""
    _log(TeamFactory(org_unit=tree.commune_a), 7)
    _totals(personas.staff_a)
    _log(TeamFactory(org_unit=tree.dissolved_district_a), 3)  # in the dissolved Tỉnh đoàn Bến Tre
    after, read = _totals(personas.staff_a)
    assert (after["assisted"], read) == (10, 1)

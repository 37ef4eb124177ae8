"""The help-session list's totals: each scope sums its own sessions (a merged province's too) and a
new session counts on the next read."""

import pytest

from egov_support import selectors
from tests.egov_support.factories import HelpSessionFactory, ServiceLineFactory
from tests.volunteers.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _log(team, citizens):
    session = HelpSessionFactory(team=team)
    ServiceLineFactory(session=session, citizens_assisted=citizens, successful=0)


def _assisted(user) -> int:
    return selectors.help_session_totals(user=user)["assisted"]


def test_each_scope_sums_its_own_sessions(tree, personas):
    _log(TeamFactory(org_unit=tree.commune_a), 7)
    _log(TeamFactory(org_unit=tree.commune_b), 20)

    assert _assisted(personas.staff_a) == 7
    assert _assisted(personas.staff_b) == 20
    assert _assisted(personas.outsider) == 0
    assert _assisted(personas.viewer) == 27


def test_a_session_in_a_merged_province_counts_for_its_successor_at_once(tree, personas):
    """Vĩnh Long's staff see Bến Tre's units (merged into it): a session there is theirs too."""
    _log(TeamFactory(org_unit=tree.commune_a), 7)
    assert _assisted(personas.staff_a) == 7

    _log(TeamFactory(org_unit=tree.dissolved_district_a), 3)  # in the dissolved Tỉnh đoàn Bến Tre

    assert _assisted(personas.staff_a) == 10
    assert _assisted(personas.staff_b) == 0

from types import SimpleNamespace

import pytest

from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerFactory
from volunteers.models import Membership


@pytest.fixture
def teams(tree, personas):
    """A team in commune A (led by leader_a's volunteer record), one in the sibling commune, one in province B."""
    team_a = TeamFactory(name="Đội TNCS An Hội", org_unit=tree.commune_a)
    sibling = TeamFactory(name="Đội TNCS Phú Khương", org_unit=tree.sibling_a)
    team_b = TeamFactory(name="Đội TNCS Hạc Thành", org_unit=tree.commune_b)
    leader = VolunteerFactory(home_unit=tree.commune_a, user=personas.leader_a, given_name="Hồng")
    MembershipFactory(team=team_a, volunteer=leader, role=Membership.Role.LEADER)
    return SimpleNamespace(a=team_a, sibling=sibling, b=team_b, leader_volunteer=leader)

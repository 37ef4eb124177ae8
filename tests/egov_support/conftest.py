"""Fixtures of the e-government support tests: a team in each persona's commune, with its roster."""

from types import SimpleNamespace

import pytest

from tests.egov_support.factories import MembershipFactory, ServiceFactory, TeamFactory


@pytest.fixture
def egov(tree, personas):
    team_a = TeamFactory(org_unit=tree.commune_a, name="Đội hình CĐS phường An Hội")
    team_b = TeamFactory(org_unit=tree.commune_b, name="Đội hình CĐS phường Hạc Thành")
    member_a = MembershipFactory(team=team_a).volunteer
    member_a2 = MembershipFactory(team=team_a).volunteer
    member_b = MembershipFactory(team=team_b).volunteer
    return SimpleNamespace(
        team_a=team_a,
        team_b=team_b,
        member_a=member_a,
        member_a2=member_a2,
        member_b=member_b,
        vneid=ServiceFactory(code="vneid-level2", name_vi="Kích hoạt tài khoản định danh điện tử mức độ 2"),
        dvc=ServiceFactory(code="dvc-provincial-full", name_vi="Nộp hồ sơ trực tuyến toàn trình"),
    )

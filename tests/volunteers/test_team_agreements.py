"""A team can serve several agreements (issue #22 item 6): a "Tổ công nghệ số cộng đồng" serves both
the VNPT and the Department agreements. Shown on the team page and on each agreement's page, each
side scoped as the rest: nobody sees an agreement or a team outside their scope."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.partnerships.factories import PartnerFactory, make_agreement
from tests.volunteers.factories import TeamFactory
from volunteers import services
from volunteers.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreements(tree):
    return {
        "vnpt": make_agreement(units=[tree.province_a], partners=[PartnerFactory(name="VNPT Vĩnh Long")]),
        "department": make_agreement(
            units=[tree.province_a], partners=[PartnerFactory(name="Sở Khoa học và Công nghệ tỉnh Vĩnh Long")]
        ),
        "central": make_agreement(units=[tree.central], title="Thỏa thuận Trung ương Đoàn - VNPT"),
        "thanh_hoa": make_agreement(units=[tree.province_b], title="Thỏa thuận Thanh Hóa"),
    }


def test_a_team_serves_two_agreements_and_both_pages_show_it(tree, personas, as_user, agreements):
    team = services.team_create(
        by=personas.leader_a,
        org_unit=tree.commune_a,
        name="Tổ công nghệ số cộng đồng An Hội",
        agreements=[agreements["vnpt"], agreements["department"]],
    )
    client = as_user(personas.staff_a)

    page = client.get(reverse("volunteers:team_detail", args=[team.pk]))
    assert {a.pk for a in page.context["agreements"]} == {agreements["vnpt"].pk, agreements["department"].pk}
    for agreement in (agreements["vnpt"], agreements["department"]):
        detail = client.get(reverse("partnerships:agreement_detail", args=[agreement.pk]))
        assert [t.pk for t in detail.context["teams"]] == [team.pk]
        assert "Tổ công nghệ số cộng đồng An Hội" in detail.content.decode()


def test_each_side_shows_only_what_the_reader_may_see(tree, personas, as_user, agreements):
    own = TeamFactory(org_unit=tree.commune_a, name="Đội An Hội")
    other = TeamFactory(org_unit=tree.commune_b, name="Đội Hạc Thành")
    own.agreements.set([agreements["central"], agreements["thanh_hoa"]])  # an admin linked both
    other.agreements.set([agreements["central"]])
    url = reverse("partnerships:agreement_detail", args=[agreements["central"].pk])

    seen_by_a = as_user(personas.staff_a).get(url).context["teams"]
    seen_by_b = as_user(personas.staff_b).get(url).context["teams"]
    own_page = as_user(personas.staff_a).get(reverse("volunteers:team_detail", args=[own.pk]))

    assert ([t.name for t in seen_by_a], [t.name for t in seen_by_b]) == (["Đội An Hội"], ["Đội Hạc Thành"])
    assert [a.pk for a in own_page.context["agreements"]] == [agreements["central"].pk]
    assert "Thỏa thuận Thanh Hóa" not in own_page.content.decode()


def test_an_edit_keeps_the_links_its_author_cannot_see(tree, personas, agreements):
    team = TeamFactory(org_unit=tree.commune_a)
    team.agreements.set([agreements["thanh_hoa"]])

    services.team_update(by=personas.staff_a, team=team, agreements=[agreements["vnpt"]])

    assert set(team.agreements.values_list("pk", flat=True)) == {
        agreements["vnpt"].pk,
        agreements["thanh_hoa"].pk,
    }


def test_another_province_s_agreement_is_refused_and_nothing_changes(tree, personas, agreements):
    team = TeamFactory(org_unit=tree.commune_a)
    team.agreements.set([agreements["vnpt"]])

    with pytest.raises(ValidationError) as refused:
        services.team_update(
            by=personas.leader_a,
            team=team,
            name="Đổi tên",
            agreements=[agreements["vnpt"], agreements["thanh_hoa"]],
        )

    assert "agreements" in refused.value.message_dict
    assert list(team.agreements.values_list("pk", flat=True)) == [agreements["vnpt"].pk]
    assert Team.objects.get(pk=team.pk).name != "Đổi tên"


def test_the_api_reads_and_writes_the_list(tree, personas, api_as, agreements):
    team = TeamFactory(org_unit=tree.commune_a)
    client = api_as(personas.leader_a)
    url = reverse("team-detail", args=[team.pk])

    response = client.patch(
        url, {"agreements": [agreements["vnpt"].pk, agreements["central"].pk]}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert sorted(response.json()["agreements"]) == sorted([agreements["vnpt"].pk, agreements["central"].pk])
    assert client.patch(url, {"name": "Đội mới"}, format="json").status_code == 200
    assert team.agreements.count() == 2  # a write without the list leaves it as it is


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_each_team_s_one_agreement_into_its_list(tree):
    agreement = make_agreement(units=[tree.province_a])
    team = TeamFactory(org_unit=tree.commune_a)
    team.agreements.set([agreement])
    executor = MigrationExecutor(connection)
    before, after = (
        ("volunteers", "0007_activity_kind_without_help_session"),
        (
            "volunteers",
            "0009_team_serves_several_agreements",
        ),
    )
    executor.migrate([before])  # back: the list becomes the one agreement
    old_team = executor.loader.project_state([before]).apps.get_model("volunteers", "Team")
    assert old_team.objects.get(pk=team.pk).agreement_id == agreement.pk

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])

    assert list(Team.objects.get(pk=team.pk).agreements.values_list("pk", flat=True)) == [agreement.pk]
    # Forward to the latest state again: a later migration's tables (or their absence) are what the
    # next test and the database flush expect.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

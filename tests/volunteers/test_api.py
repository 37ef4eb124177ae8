import uuid

import pytest

from core.models import DirtyMark
from tests.volunteers.factories import ActivityFactory, MembershipFactory, TeamFactory, VolunteerFactory
from volunteers.models import Activity, Membership, Team, Volunteer

pytestmark = pytest.mark.django_db


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_lists_are_scoped(api_as, personas, teams):
    ActivityFactory(team=teams.a)
    ActivityFactory(team=teams.b)
    VolunteerFactory(home_unit=teams.b.org_unit)

    assert _ids(api_as(personas.staff_b).get("/api/v1/teams/")) == {teams.b.pk}
    assert _ids(api_as(personas.leader_a).get("/api/v1/teams/")) == {teams.a.pk}
    assert _ids(api_as(personas.staff_a).get("/api/v1/teams/")) == {teams.a.pk, teams.sibling.pk}
    assert {a["team"] for a in api_as(personas.staff_b).get("/api/v1/activities/").json()["results"]} == {
        teams.b.pk
    }
    assert {
        m["team"] for m in api_as(personas.staff_b).get("/api/v1/memberships/").json()["results"]
    } == set()
    staff_b_volunteers = api_as(personas.staff_b).get("/api/v1/volunteers/").json()["results"]
    assert {v["home_unit"] for v in staff_b_volunteers} == {teams.b.org_unit_id}
    assert api_as(personas.outsider).get("/api/v1/teams/").json()["count"] == 0


def test_detail_out_of_scope_is_404(api_as, personas, teams):
    activity = ActivityFactory(team=teams.b)
    client = api_as(personas.leader_a)
    assert client.get(f"/api/v1/teams/{teams.b.pk}/").status_code == 404
    assert client.get(f"/api/v1/teams/{teams.sibling.pk}/").status_code == 404
    assert client.get(f"/api/v1/activities/{activity.pk}/").status_code == 404
    assert client.get(f"/api/v1/volunteers/{teams.leader_volunteer.pk}/").status_code == 200


def test_filters(api_as, personas, tree, teams):
    TeamFactory(org_unit=tree.commune_a, kind=Team.Kind.CONSULTING, name="Tổ Tham vấn")
    ActivityFactory(team=teams.a, kind="training")
    ActivityFactory(team=teams.a, kind="communication")
    client = api_as(personas.staff_a)

    assert [t["name"] for t in client.get("/api/v1/teams/?kind=consulting").json()["results"]] == [
        "Tổ Tham vấn"
    ]
    assert [t["name"] for t in client.get("/api/v1/teams/?q=tham van").json()["results"]] == ["Tổ Tham vấn"]
    assert {t["id"] for t in client.get("/api/v1/teams/?unit=28756").json()["results"]} == {teams.sibling.pk}
    assert [t["id"] for t in client.get("/api/v1/teams/?active_days=100000").json()["results"]] == [
        teams.a.pk
    ]
    assert [
        a["kind"]
        for a in client.get(f"/api/v1/activities/?team={teams.a.pk}&kind=training").json()["results"]
    ] == ["training"]
    assert len(client.get("/api/v1/volunteers/?q=hong").json()["results"]) == 1
    assert client.get(f"/api/v1/memberships/?team={teams.a.pk}&active=true").json()["count"] == 1


def test_activity_create_through_the_service_and_idempotent(api_as, personas, teams):
    client = api_as(personas.leader_a)
    key = str(uuid.uuid4())
    body = {
        "team": teams.a.pk,
        "date": "06/10/2025",
        "kind": "training",
        "participants": 20,
        "volunteer_hours": "8.5",
        "idempotency_key": key,
    }

    first = client.post("/api/v1/activities/", body, format="json")
    second = client.post("/api/v1/activities/", body, format="json")

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    activity = Activity.objects.get()
    assert (activity.title, activity.created_by) == ("Tập huấn", personas.leader_a)  # the kind, in Vietnamese
    assert DirtyMark.objects.filter(org_unit=teams.a.org_unit).exists()


def test_api_writes_outside_scope_change_nothing(api_as, personas, teams):
    client = api_as(personas.leader_a)
    activity = ActivityFactory(team=teams.sibling, title="Gốc")
    volunteer = VolunteerFactory(home_unit=teams.a.org_unit)

    created = client.post(
        "/api/v1/activities/", {"team": teams.b.pk, "date": "06/10/2025", "kind": "other"}, format="json"
    )
    patched = client.patch(f"/api/v1/activities/{activity.pk}/", {"title": "Sửa"}, format="json")
    joined = client.post(
        "/api/v1/memberships/", {"team": teams.sibling.pk, "volunteer": volunteer.pk}, format="json"
    )
    team = client.post(
        "/api/v1/teams/", {"name": "Đội mới", "kind": "other", "org_unit": teams.b.org_unit_id}, format="json"
    )

    assert (created.status_code, patched.status_code, joined.status_code, team.status_code) == (
        400,
        404,
        400,
        400,
    )
    activity.refresh_from_db()
    assert activity.title == "Gốc"
    assert Activity.objects.count() == 1
    assert not Membership.objects.filter(team=teams.sibling).exists()
    assert not Team.objects.filter(name="Đội mới").exists()


def test_viewer_cannot_write(api_as, personas, teams):
    response = api_as(personas.viewer).post(
        "/api/v1/activities/", {"team": teams.a.pk, "date": "06/10/2025", "kind": "other"}, format="json"
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_volunteer_and_membership_writes(api_as, personas, teams):
    client = api_as(personas.leader_a)
    response = client.post(
        "/api/v1/volunteers/",
        {
            "family_name": "Lê",
            "given_name": "Tâm",
            "phone": "0988 123 456",
            "home_unit": teams.a.org_unit_id,
            "consent_on": "01/11/2025",
            "consent_purpose": "Đội",
            "skill_names": ["VNeID"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["phone"] == "0988123456"
    volunteer = Volunteer.objects.get(given_name="Tâm")

    duplicate = client.post(
        "/api/v1/volunteers/",
        {
            "family_name": "Lê",
            "given_name": "Tâm",
            "phone": "0988123456",
            "home_unit": teams.a.org_unit_id,
            "consent_on": "01/11/2025",
            "consent_purpose": "Đội",
        },
        format="json",
    )
    assert duplicate.status_code == 400 and "phone" in duplicate.json()

    joined = client.post(
        "/api/v1/memberships/",
        {"team": teams.a.pk, "volunteer": volunteer.pk, "joined_on": "01/11/2025"},
        format="json",
    )
    assert joined.status_code == 201
    again = client.post(
        "/api/v1/memberships/", {"team": teams.a.pk, "volunteer": volunteer.pk}, format="json"
    )
    assert again.status_code == 400
    ended = client.patch(
        f"/api/v1/memberships/{joined.json()['id']}/", {"left_on": "02/11/2025"}, format="json"
    )
    assert ended.status_code == 200
    assert Membership.objects.get(pk=joined.json()["id"]).left_on.isoformat() == "2025-11-02"
    too_early = client.patch(
        f"/api/v1/memberships/{joined.json()['id']}/", {"left_on": "01/01/2025"}, format="json"
    )
    assert too_early.status_code == 200  # already ended: the first leaving date stays


@pytest.mark.parametrize(
    "url", ["/api/v1/teams/", "/api/v1/volunteers/", "/api/v1/memberships/", "/api/v1/activities/"]
)
def test_api_lists_have_a_bounded_query_count(api_as, personas, tree, django_assert_max_num_queries, url):
    client = api_as(personas.staff_a)

    def rows(n):
        for _ in range(n):
            team = TeamFactory(org_unit=tree.commune_a)
            MembershipFactory(team=team)
            ActivityFactory(team=team)

    rows(1)
    with django_assert_max_num_queries(8):
        client.get(url)
    rows(30)
    with django_assert_max_num_queries(8):
        assert len(client.get(url).json()["results"]) >= 30


def test_endpoints_are_in_the_openapi_schema(api_as, personas):
    schema = api_as(personas.admin).get("/api/schema/?format=json").json()
    for path in ("/api/v1/teams/", "/api/v1/volunteers/", "/api/v1/memberships/", "/api/v1/activities/"):
        assert path in schema["paths"]

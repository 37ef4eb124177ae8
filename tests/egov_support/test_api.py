import datetime
import uuid

import pytest

from egov_support.models import Campaign, HelpSession, ServiceStatistic
from tests.egov_support.factories import (
    CampaignFactory,
    HelpSessionFactory,
    ServiceLineFactory,
    ServiceStatisticFactory,
)

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/help-sessions/"
STATS = "/api/v1/service-stats/"


def _item(egov, **overrides):
    item = {
        "team": egov.team_a.pk,
        "location_kind": "market",
        "address": "Chợ phường An Hội",
        "date": "2025-09-10",
        "start_time": "07:00",
        "end_time": "10:30",
        "volunteers": [egov.member_a.pk],
        "lines": [
            {"service": "vneid-level2", "citizens_assisted": 9, "successful": 8},
            {"service": "dvc-provincial-full", "citizens_assisted": 4, "dossiers_online": 4, "successful": 3},
        ],
    }
    item.update(overrides)
    return item


def test_services_catalogue_is_listed(personas, api_as):
    response = api_as(personas.viewer).get("/api/v1/services/", {"category": "identity"})

    assert response.status_code == 200
    assert {s["code"] for s in response.json()} == {"vneid-install", "vneid-level2"}


def test_create_a_session_with_nested_lines_and_read_it_back(egov, personas, api_as):
    client = api_as(personas.leader_a)
    response = client.post(SESSIONS, _item(egov), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["org_unit"] == egov.team_a.org_unit.pk
    assert (body["total_assisted"], body["total_submitted_online"], body["total_successful"]) == (13, 4, 11)
    # Lines come in catalogue order.
    assert [line["service"] for line in body["lines"]] == ["dvc-provincial-full", "vneid-level2"]
    detail = client.get(f"{SESSIONS}{body['id']}/").json()
    assert detail["lines"] == body["lines"]


def test_a_second_session_at_the_same_place_that_day_is_logged_with_the_pages_warning(egov, personas, api_as):
    """The same-day duplicate warning is the service's, not the page's: the API logs the session (201)
    and says it, naming the session already logged; a resend of the same session is no duplicate."""
    client = api_as(personas.leader_a)
    first = client.post(SESSIONS, _item(egov), format="json")
    assert first.status_code == 201 and first.json()["warnings"] == []

    key = str(uuid.uuid4())
    second = client.post(
        SESSIONS, _item(egov, start_time="13:00", end_time="15:00", idempotency_key=key), format="json"
    )
    again = client.post(
        SESSIONS, _item(egov, start_time="13:00", end_time="15:00", idempotency_key=key), format="json"
    )
    elsewhere = client.post(SESSIONS, _item(egov, address="Nhà văn hóa khu phố 3"), format="json")

    assert second.status_code == 201, second.json()
    assert second.json()["warnings"] == [
        {
            "code": "same_day_duplicate",
            "message": "Đội hình đã ghi nhận một buổi tại địa điểm này trong ngày này.",
            "sessions": [first.json()["id"]],
        }
    ]
    assert again.json()["id"] == second.json()["id"]
    assert again.json()["warnings"][0]["sessions"] == [first.json()["id"]]  # not itself
    assert elsewhere.json()["warnings"] == []
    assert HelpSession.objects.count() == 3


def test_the_create_answers_warnings_are_in_the_openapi_schema(personas, api_as):
    schema = api_as(personas.admin).get("/api/schema/", {"format": "json"}).json()
    created = schema["paths"]["/api/v1/help-sessions/"]["post"]["responses"]["201"]
    ref = created["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    warnings = schema["components"]["schemas"][ref]["properties"]["warnings"]
    item = schema["components"]["schemas"][warnings["items"]["$ref"].rsplit("/", 1)[-1]]
    assert set(item["properties"]) == {"code", "message", "sessions"}


def test_the_same_idempotency_key_does_not_log_twice(egov, personas, api_as):
    client = api_as(personas.leader_a)
    key = str(uuid.uuid4())
    first = client.post(SESSIONS, _item(egov, idempotency_key=key), format="json")
    second = client.post(SESSIONS, _item(egov, idempotency_key=key), format="json")

    assert first.json()["id"] == second.json()["id"]
    assert HelpSession.objects.count() == 1


def test_bad_input_gets_field_and_line_errors_and_saves_nothing(egov, personas, api_as):
    bad = _item(
        egov,
        end_time="06:00",
        lines=[
            {"service": "vneid-level2", "citizens_assisted": 3, "successful": 4},
            {"service": "no-such-service", "citizens_assisted": -1},
        ],
    )
    response = api_as(personas.leader_a).post(SESSIONS, bad, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert "successful" in errors["lines"]["0"]  # per line, by position
    assert set(errors["lines"]["1"]) == {"service", "citizens_assisted"}
    assert not HelpSession.objects.exists()


def test_leader_a_cannot_log_for_commune_bs_team(egov, personas, api_as):
    response = api_as(personas.leader_a).post(
        SESSIONS, _item(egov, team=egov.team_b.pk, volunteers=[]), format="json"
    )

    assert response.status_code == 400
    assert "team" in response.json()
    assert not HelpSession.objects.exists()


def test_volunteer_not_on_the_roster_is_refused(egov, personas, api_as):
    response = api_as(personas.leader_a).post(
        SESSIONS, _item(egov, volunteers=[egov.member_b.pk]), format="json"
    )

    assert response.status_code == 400
    assert "volunteers" in response.json()


def test_bulk_create_rejects_the_whole_batch_with_per_item_errors(egov, personas, api_as):
    client = api_as(personas.leader_a)
    batch = [
        _item(egov),
        _item(egov, end_time="06:00"),
        _item(egov, team=egov.team_b.pk, volunteers=[]),
        _item(egov, volunteers=[egov.member_b.pk]),
    ]

    response = client.post(f"{SESSIONS}bulk/", batch, format="json")

    assert response.status_code == 400
    assert set(response.json()["items"]) == {"1", "2", "3"}
    assert not HelpSession.objects.exists()

    ok = client.post(
        f"{SESSIONS}bulk/", {"items": [_item(egov), _item(egov, date="2025-09-11")]}, format="json"
    )
    assert ok.status_code == 201
    assert len(ok.json()) == 2
    assert HelpSession.objects.count() == 2
    assert client.post(f"{SESSIONS}bulk/", [], format="json").status_code == 400


def test_session_list_is_scoped_filterable_and_bounded(egov, personas, api_as, django_assert_max_num_queries):
    session_b = HelpSessionFactory(team=egov.team_b)
    ServiceLineFactory(session=session_b, service=egov.vneid)
    client = api_as(personas.staff_a)
    with django_assert_max_num_queries(12) as one:
        assert client.get(SESSIONS).json()["results"] == []
    for i in range(25):
        session = HelpSessionFactory(
            team=egov.team_a, date=datetime.date(2025, 8, 1) + datetime.timedelta(days=i)
        )
        ServiceLineFactory(session=session, service=egov.vneid)
        ServiceLineFactory(
            session=session, service=egov.dvc, citizens_assisted=2, dossiers_online=1, successful=1
        )
        session.volunteers.add(egov.member_a)
    with django_assert_max_num_queries(len(one.captured_queries) + 3):
        body = client.get(SESSIONS).json()
    assert len(body["results"]) == 25 and body["next"] is None
    assert client.get(f"{SESSIONS}{session_b.pk}/").status_code == 404
    filtered = client.get(SESSIONS, {"date_from": "2025-08-20", "service": "dvc-provincial-full"}).json()
    assert len(filtered["results"]) == 6


def test_statistics_api_upserts_and_is_scoped(tree, personas, api_as):
    client = api_as(personas.staff_a)
    payload = {
        "org_unit": tree.commune_a.pk,
        "month": "2025-09",
        "dossiers_total": 100,
        "dossiers_online": 30,
    }

    created = client.post(STATS, payload, format="json")
    again = client.post(STATS, {**payload, "dossiers_online": 35}, format="json")

    assert (created.status_code, again.status_code) == (201, 200)
    assert created.json()["id"] == again.json()["id"]
    assert again.json()["online_rate"] == pytest.approx(0.35)
    assert again.json()["month"] == "2025-09"

    other = api_as(personas.staff_b)
    statistic_id = created.json()["id"]
    assert other.get(f"{STATS}{statistic_id}/").status_code == 404
    assert other.patch(f"{STATS}{statistic_id}/", {"dossiers_online": 1}, format="json").status_code == 404
    assert other.get(STATS).json()["count"] == 0
    assert other.post(STATS, payload, format="json").status_code == 400  # unit not in their scope
    assert ServiceStatistic.objects.get().dossiers_online == 35


def test_statistics_api_bad_input_is_field_errors(tree, personas, api_as):
    client = api_as(personas.staff_a)
    response = client.post(
        STATS,
        {"org_unit": tree.commune_a.pk, "month": "13/2025", "dossiers_total": -1, "dossiers_online": 5},
        format="json",
    )

    assert response.status_code == 400
    assert {"month", "dossiers_total"} <= set(response.json())
    too_many = client.post(
        STATS,
        {"org_unit": tree.commune_a.pk, "month": "2025-09", "dossiers_total": 5, "dossiers_online": 6},
        format="json",
    )
    assert "dossiers_online" in too_many.json()
    assert not ServiceStatistic.objects.exists()


def test_leader_cannot_write_statistics_and_viewer_can_read(tree, personas, api_as):
    ServiceStatisticFactory(org_unit=tree.commune_a)
    payload = {"org_unit": tree.commune_a.pk, "month": "2025-10", "dossiers_total": 10, "dossiers_online": 1}

    assert api_as(personas.leader_a).post(STATS, payload, format="json").status_code == 400
    assert api_as(personas.viewer).get(STATS).json()["count"] == 1
    assert ServiceStatistic.objects.count() == 1


def test_statistics_list_query_count_is_bounded(tree, personas, api_as, django_assert_max_num_queries):
    client = api_as(personas.staff_a)
    ServiceStatisticFactory(org_unit=tree.commune_a)
    with django_assert_max_num_queries(10) as one:
        client.get(STATS)
    for month in range(1, 13):
        ServiceStatisticFactory(org_unit=tree.sibling_a, month=datetime.date(2024, month, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(STATS, {"org_unit": tree.province_a.pk}).json()["count"] == 13


def test_campaigns_are_scoped_and_created_by_staff(tree, personas, api_as):
    CampaignFactory(org_unit=tree.province_b, name="Chiến dịch Thanh Hóa")
    client = api_as(personas.staff_a)
    payload = {
        "name": "Tháng Thanh niên 2026",
        "theme": "Tuổi trẻ tiên phong chuyển đổi số",
        "org_unit": tree.province_a.pk,
        "participating_units": [tree.commune_a.pk],
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-31",
    }

    assert client.post("/api/v1/campaigns/", payload, format="json").status_code == 201
    assert [c["name"] for c in client.get("/api/v1/campaigns/").json()["results"]] == [
        "Tháng Thanh niên 2026"
    ]
    assert (
        api_as(personas.leader_a)
        .post("/api/v1/campaigns/", {**payload, "name": "x"}, format="json")
        .status_code
        == 400
    )
    client = api_as(personas.staff_a)
    reversed_dates = client.post(
        "/api/v1/campaigns/", {**payload, "name": "y", "ends_on": "2026-02-01"}, format="json"
    )
    assert "ends_on" in reversed_dates.json()
    assert Campaign.objects.count() == 2


def test_schema_lists_the_endpoints(personas, api_as, tree):
    schema = api_as(personas.admin).get("/api/schema/").content.decode()
    for path in (
        "/api/v1/services/",
        "/api/v1/help-sessions/",
        "/api/v1/help-sessions/bulk/",
        "/api/v1/service-stats/",
        "/api/v1/campaigns/",
    ):
        assert path in schema


def test_long_session_lists_page_by_cursor_without_gaps_or_repeats(egov, personas, api_as):
    """Keyset pages: following ``next`` visits every session once, newest first, at a fixed cost."""
    day = datetime.date(2025, 3, 1)
    for i in range(7):
        HelpSessionFactory(team=egov.team_a, date=day + datetime.timedelta(days=i // 2))
    client = api_as(personas.staff_a)
    seen, url, pages = [], f"{SESSIONS}?page_size=3", 0
    while url:
        body = client.get(url).json()
        assert "count" not in body  # counting would scan the whole list
        seen += [(row["date"], row["id"]) for row in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    assert seen == sorted(seen, reverse=True)
    assert client.get(f"{SESSIONS}?cursor=garbage").status_code == 404

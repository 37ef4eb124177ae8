import datetime

import pytest

from partnerships.models import Agreement, Objective, Partner
from tests.partnerships.factories import PartnerFactory, make_agreement, objective_with_everything

pytestmark = pytest.mark.django_db

S = Agreement.Status


@pytest.fixture
def vinh_long(tree):
    return make_agreement(
        units=[tree.province_a],
        partners=[PartnerFactory(name="VNPT Vĩnh Long")],
        title="Thỏa thuận Vĩnh Long",
        status=S.ACTIVE,
        objectives=[objective_with_everything(unit=tree.province_a, due=datetime.date(2026, 6, 30))],
    )


def payload(tree, partner, **changes):
    body = {
        "title": "Chương trình phối hợp 2026 - 2028",
        "kind": "coordination",
        "start_date": "2026-03-05",
        "end_date": "31/12/2028",
        "parties": [{"org_unit": tree.province_a.pk, "role": "signatory"}, {"partner": partner.pk}],
        "objectives": [
            {
                "number": 1,
                "text": "Hỗ trợ dịch vụ công",
                "area": "digital_government",
                "commitments": [{"text": "Đội hình mỗi xã", "party_number": 1, "due_date": "2026-12-31"}],
                "targets": [
                    {
                        "indicator": "online_service_rate",
                        "org_unit": tree.commune_a.pk,
                        "target_value": "30.00",
                        "deadline": "2026-12-31",
                    }
                ],
            }
        ],
    }
    body.update(changes)
    return body


def test_detail_nests_parties_objectives_commitments_and_targets(api_as, personas, vinh_long):
    response = api_as(personas.staff_a).get(f"/api/v1/agreements/{vinh_long.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert [p["name"] for p in body["parties"]] == ["Tỉnh đoàn Vĩnh Long", "VNPT Vĩnh Long"]
    objective = body["objectives"][0]
    assert objective["commitments"][0]["party_number"] == 1
    assert objective["commitments"][0]["status"] == "open"
    assert objective["targets"][0]["indicator"] == "online_service_rate"
    assert body["status"] == "active"


def test_other_province_gets_404_and_an_empty_list(api_as, personas, vinh_long):
    client = api_as(personas.staff_b)

    assert client.get(f"/api/v1/agreements/{vinh_long.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/agreements/{vinh_long.pk}/", {"title": "x"}, format="json").status_code == 404
    )
    assert (
        client.post(f"/api/v1/agreements/{vinh_long.pk}/transition/", {"to": "terminated"}).status_code == 404
    )
    assert client.get("/api/v1/agreements/").json()["count"] == 0
    assert Agreement.objects.get(pk=vinh_long.pk).status == S.ACTIVE


def test_create_goes_through_the_services(api_as, personas, tree):
    partner = PartnerFactory()
    response = api_as(personas.staff_a).post("/api/v1/agreements/", payload(tree, partner), format="json")

    assert response.status_code == 201, response.json()
    agreement = Agreement.objects.get(pk=response.json()["id"])
    assert agreement.start_date == datetime.date(2026, 3, 5)
    assert agreement.end_date == datetime.date(2028, 12, 31)
    assert agreement.created_by == personas.staff_a
    assert "chuong trinh phoi hop" in agreement.search_text
    objective = Objective.objects.get(agreement=agreement)
    assert objective.commitments.get().party.org_unit == tree.province_a
    assert response.json()["objectives"][0]["targets"][0]["target_value"] == "30.00"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"end_date": "2020-01-01"}, "end_date"),
        ({"parties": []}, "parties"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_saved(api_as, personas, tree, changes, field):
    response = api_as(personas.staff_a).post(
        "/api/v1/agreements/", payload(tree, PartnerFactory(), **changes), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert Agreement.objects.count() == 0


def test_leader_cannot_write_and_viewer_reads(api_as, personas, tree, vinh_long):
    leader = api_as(personas.leader_a)
    assert (
        leader.post("/api/v1/agreements/", payload(tree, PartnerFactory()), format="json").status_code == 403
    )
    assert (
        leader.patch(f"/api/v1/agreements/{vinh_long.pk}/", {"title": "x"}, format="json").status_code == 403
    )
    assert (
        leader.post(f"/api/v1/agreements/{vinh_long.pk}/transition/", {"to": "suspended"}).status_code == 403
    )
    assert Agreement.objects.get(pk=vinh_long.pk).title == "Thỏa thuận Vĩnh Long"

    viewer = api_as(personas.viewer)
    assert viewer.get(f"/api/v1/agreements/{vinh_long.pk}/").status_code == 200
    assert (
        viewer.patch(f"/api/v1/agreements/{vinh_long.pk}/", {"title": "x"}, format="json").status_code == 403
    )


def test_patch_and_transition(api_as, personas, vinh_long):
    client = api_as(personas.staff_a)

    response = client.patch(f"/api/v1/agreements/{vinh_long.pk}/", {"summary": "Tóm tắt mới"}, format="json")
    assert response.status_code == 200
    assert response.json()["objectives"][0]["number"] == 1  # PATCH without objectives keeps them

    response = client.post(f"/api/v1/agreements/{vinh_long.pk}/transition/", {"to": "draft"})
    assert response.status_code == 400
    assert "status" in response.json()
    response = client.post(f"/api/v1/agreements/{vinh_long.pk}/transition/", {"to": "suspended"})
    assert response.status_code == 200
    assert response.json()["status"] == "suspended"


def test_list_filters(api_as, personas, tree, vinh_long):
    make_agreement(units=[tree.dissolved_a], title="Thỏa thuận Bến Tre", status=S.ENDED)
    client = api_as(personas.staff_a)

    def titles(**params):
        return {a["title"] for a in client.get("/api/v1/agreements/", params).json()["results"]}

    assert titles() == {"Thỏa thuận Vĩnh Long", "Thỏa thuận Bến Tre"}
    assert titles(q="ben tre") == {"Thỏa thuận Bến Tre"}
    assert titles(status="active") == {"Thỏa thuận Vĩnh Long"}
    assert titles(year=2020) == {"Thỏa thuận Vĩnh Long", "Thỏa thuận Bến Tre"}
    assert titles(ordering="title") == {"Thỏa thuận Vĩnh Long", "Thỏa thuận Bến Tre"}


def test_partners_read_by_all_written_by_managers(api_as, personas):
    PartnerFactory(name="Tập đoàn Bưu chính Viễn thông Việt Nam", short_name="VNPT")

    assert api_as(personas.leader_b).get("/api/v1/partners/", {"q": "buu chinh"}).json()["count"] == 1
    assert api_as(personas.outsider).get("/api/v1/partners/").status_code == 200
    denied = api_as(personas.leader_a).post("/api/v1/partners/", {"name": "Viettel", "kind": "enterprise"})
    assert denied.status_code == 403
    created = api_as(personas.staff_b).post(
        "/api/v1/partners/", {"name": "Viettel Thanh Hóa", "kind": "enterprise"}
    )
    assert created.status_code == 201
    assert Partner.objects.get(name="Viettel Thanh Hóa").search_name == "viettel thanh hoa"


def test_list_query_count_is_bounded(api_as, personas, tree, django_assert_max_num_queries):
    for i in range(20):
        make_agreement(units=[tree.province_a], title=f"Thỏa thuận {i}")
    client = api_as(personas.staff_a)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/agreements/").json()["count"] == 20


def test_schema_lists_the_endpoints(api_as, personas):
    response = api_as(personas.staff_a).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/agreements/{id}/transition/" in response.content
    assert b"/api/v1/partners/" in response.content


def test_detail_carries_the_witnesses_and_attendees_and_the_illustrative_flag(api_as, personas, vinh_long):
    from partnerships.services import AttendeeInput, agreement_update

    agreement_update(
        by=None,
        agreement=vinh_long,
        attendees=[
            AttendeeInput(name="Đào Xuân Yên", title="Trưởng ban", organisation="Tỉnh ủy", role="witness")
        ],
    )
    client = api_as(personas.staff_a)

    body = client.get(f"/api/v1/agreements/{vinh_long.pk}/").json()
    patched = client.patch(f"/api/v1/agreements/{vinh_long.pk}/", {"is_illustrative": True}, format="json")

    assert body["attendees"] == [
        {"role": "witness", "name": "Đào Xuân Yên", "title": "Trưởng ban", "organisation": "Tỉnh ủy"}
    ]
    assert body["is_illustrative"] is False
    assert (
        patched.status_code == 200 and not Agreement.objects.get(pk=vinh_long.pk).is_illustrative
    )  # read only

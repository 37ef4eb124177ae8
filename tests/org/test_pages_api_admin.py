"""Org units in pages, API and admin, tried by every persona."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, tree):
    response = client.get(reverse("org:unit_list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("staff_a", ["Tỉnh đoàn Vĩnh Long", "Tỉnh đoàn Bến Tre"], ["Tỉnh đoàn Thanh Hóa"]),
        ("leader_a", ["Đoàn phường An Hội"], ["Đoàn phường Phú Khương", "Tỉnh đoàn Thanh Hóa"]),
        ("staff_b", ["Tỉnh đoàn Thanh Hóa"], ["Tỉnh đoàn Vĩnh Long", "Tỉnh đoàn Bến Tre"]),
        ("viewer", ["Tỉnh đoàn Vĩnh Long", "Tỉnh đoàn Thanh Hóa"], []),
        ("outsider", [], ["Tỉnh đoàn Vĩnh Long", "Tỉnh đoàn Thanh Hóa"]),
    ],
)
def test_unit_list_shows_only_the_scope(as_user, personas, persona, visible, hidden):
    response = as_user(getattr(personas, persona)).get(reverse("org:unit_list"))

    body = response.content.decode()
    assert response.status_code == 200
    for name in visible:
        assert name in body
    for name in hidden:
        assert name not in body


def test_unit_list_search_ignores_diacritics_and_htmx_gets_rows_only(as_user, personas):
    client = as_user(personas.staff_a)

    response = client.get(reverse("org:unit_list"), {"q": "phu khuong"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "Đoàn phường Phú Khương" in body
    assert "Đoàn phường An Hội" not in body
    assert "<html" not in body


@pytest.mark.parametrize(
    ("persona", "unit", "status"),
    [
        ("staff_a", "commune_a", 200),
        ("staff_a", "dissolved_a", 200),
        ("staff_a", "dissolved_district_a", 200),
        ("staff_a", "province_b", 404),
        ("leader_a", "commune_a", 200),
        ("leader_a", "sibling_a", 404),
        ("leader_a", "province_a", 404),
        ("leader_a", "commune_b", 404),
        ("staff_b", "province_a", 404),
        ("staff_b", "commune_b", 200),
        ("viewer", "commune_b", 200),
        ("outsider", "commune_a", 404),
        ("admin", "commune_b", 200),
    ],
)
def test_unit_detail_is_404_outside_the_scope(as_user, personas, tree, persona, unit, status):
    response = as_user(getattr(personas, persona)).get(
        reverse("org:unit_detail", args=[getattr(tree, unit).pk])
    )

    assert response.status_code == status


def test_unit_detail_shows_successor_and_predecessors(as_user, personas, tree):
    dissolved = (
        as_user(personas.staff_a).get(reverse("org:unit_detail", args=[tree.dissolved_a.pk])).content.decode()
    )
    successor = (
        as_user(personas.staff_a).get(reverse("org:unit_detail", args=[tree.province_a.pk])).content.decode()
    )

    assert "Sáp nhập vào" in dissolved and "Tỉnh đoàn Vĩnh Long" in dissolved
    assert "Tiếp nhận từ" in successor and "Tỉnh đoàn Bến Tre" in successor


def test_unit_pages_have_a_fixed_query_budget(as_user, personas, tree, django_assert_max_num_queries):
    from tests.factories import OrgUnitFactory

    client = as_user(personas.staff_a)
    for n in range(40):
        OrgUnitFactory(code=f"9{n:04d}", parent=tree.province_a)

    # Session, user, roles, merged units, count, rows, session save: the same for 1 or 1,000 rows.
    with django_assert_max_num_queries(10):
        client.get(reverse("org:unit_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("org:unit_detail", args=[tree.province_a.pk]))


# --- API ----------------------------------------------------------------------------------


def test_api_requires_authentication(api_client, tree):
    assert api_client.get("/api/v1/org-units/").status_code in (401, 403)


def test_api_token_login_and_scoped_list(api_client, personas, tree):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": personas.staff_b.username, "password": "correct-horse-battery-9"}
    )
    assert response.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")

    listing = api_client.get("/api/v1/org-units/").json()

    assert {u["code"] for u in listing["results"]} == {"38", "16066"}
    assert listing["count"] == 2


def test_api_token_refuses_a_wrong_password(api_client, personas):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": personas.staff_b.username, "password": "nope"}
    )

    assert response.status_code == 400


def test_api_filters_by_parent_kind_and_validity(api_as, personas, tree):
    client = api_as(personas.viewer)

    children = client.get("/api/v1/org-units/", {"parent": tree.province_a.pk}).json()
    provinces_2024 = client.get("/api/v1/org-units/", {"kind": "province", "valid_on": "2024-12-31"}).json()
    provinces_now = client.get("/api/v1/org-units/", {"kind": "province", "valid_on": "2026-01-01"}).json()

    assert {u["code"] for u in children["results"]} == {"28777", "28756", "28789"}
    assert {u["code"] for u in provinces_2024["results"]} == {"old-83"}
    assert {u["code"] for u in provinces_now["results"]} == {"86", "38"}


def test_api_detail_is_404_for_another_province(api_as, personas, tree):
    client = api_as(personas.leader_a)

    assert client.get(f"/api/v1/org-units/{tree.commune_a.pk}/").status_code == 200
    assert client.get(f"/api/v1/org-units/{tree.province_b.pk}/").status_code == 404
    assert client.get(f"/api/v1/org-units/{tree.sibling_a.pk}/").status_code == 404


def test_api_org_units_are_read_only(api_as, personas, tree):
    response = api_as(personas.admin).post(
        "/api/v1/org-units/", {"code": "X", "name": "X", "kind": "commune"}
    )

    assert response.status_code == 405


def test_api_list_query_budget(api_as, personas, tree, django_assert_max_num_queries):
    client = api_as(personas.viewer)

    with django_assert_max_num_queries(6):
        client.get("/api/v1/org-units/")


def test_openapi_schema_and_docs(as_user, personas):
    client = as_user(personas.viewer)

    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200 and b"/api/v1/org-units/" in schema.content
    assert docs.status_code == 200


# --- Admin --------------------------------------------------------------------------------


def test_admin_lists_only_units_in_scope(as_user, personas, tree):
    response = as_user(personas.staff_b).get(reverse("admin:org_orgunit_changelist"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Tỉnh đoàn Thanh Hóa" in body
    assert "Tỉnh đoàn Vĩnh Long" not in body


def test_admin_change_page_of_another_province_is_not_reachable(as_user, personas, tree):
    client = as_user(personas.staff_b)

    response = client.get(reverse("admin:org_orgunit_change", args=[tree.province_a.pk]))

    # Django admin answers an object outside the queryset with a redirect and "does not exist".
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_admin_denied_write_changes_nothing(as_user, personas, tree):
    client = as_user(personas.staff_b)

    client.post(
        reverse("admin:org_orgunit_change", args=[tree.province_a.pk]), {"name": "Hacked", "kind": "province"}
    )

    tree.province_a.refresh_from_db()
    assert tree.province_a.name == "Tỉnh đoàn Vĩnh Long"


def test_leaders_and_viewers_cannot_use_admin(as_user, personas):
    for persona in (personas.leader_a, personas.viewer, personas.outsider):
        response = as_user(persona).get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response.url


def test_admin_role_assignments_are_scoped(as_user, personas):
    body = as_user(personas.staff_a).get(reverse("admin:accounts_roleassignment_changelist")).content.decode()

    assert personas.leader_a.username in body
    assert personas.leader_b.username not in body


def test_admin_staff_cannot_grant_roles_outside_their_province(as_user, personas, tree):
    from accounts.models import RoleAssignment

    client = as_user(personas.staff_a)
    response = client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": personas.leader_a.pk, "role": "unit_leader", "org_unit": tree.commune_b.pk},
    )

    assert response.status_code == 200  # the form comes back with an error on org unit
    assert "org_unit" in response.context["adminform"].form.errors
    assert not RoleAssignment.objects.filter(user=personas.leader_a, org_unit=tree.commune_b).exists()

"""Province staff create and manage staff accounts in their province; nobody else can."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_staff_create_an_account_with_a_role_in_their_province(as_user, personas, tree):
    client = as_user(personas.staff_a)

    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "leader_phu_khuong",
            "last_name": "Lê Thị",
            "first_name": "Mai",
            "email": "",
            "password": "mot-mat-khau-dai-2026",
            "role": Role.UNIT_LEADER,
            "org_unit": tree.sibling_a.pk,
        },
    )

    account = User.objects.get(username="leader_phu_khuong")
    assert response.status_code == 302
    assert account.check_password("mot-mat-khau-dai-2026")
    assert account.get_full_name() == "Lê Thị Mai"
    assert [(a.role, a.org_unit.code) for a in account.role_assignments.all()] == [
        (Role.UNIT_LEADER, "28756")
    ]
    assert RoleAssignment.objects.get(user=account).granted_by == personas.staff_a


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("password", "short", "password"),
        ("username", "Có Dấu", "username"),
        ("org_unit", "other-province", "org_unit"),
        ("role", Role.ADMIN, "role"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(as_user, personas, tree, field, value, error_field):
    data = {
        "username": "new_one",
        "last_name": "",
        "first_name": "",
        "email": "",
        "password": "mot-mat-khau-dai-2026",
        "role": Role.UNIT_LEADER,
        "org_unit": tree.sibling_a.pk,
    }
    data[field] = tree.commune_b.pk if value == "other-province" else value

    response = as_user(personas.staff_a).post(reverse("accounts:user_create"), data)

    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert not User.objects.filter(username__in=["new_one", "Có Dấu"]).exists()


def test_account_list_is_scoped(as_user, personas):
    body = as_user(personas.staff_a).get(reverse("accounts:user_list")).content.decode()

    assert personas.leader_a.username in body
    assert personas.leader_b.username not in body
    assert personas.staff_b.username not in body


@pytest.mark.parametrize("persona", ["leader_a", "viewer", "outsider"])
def test_account_pages_do_not_exist_for_leaders_viewers_and_outsiders(as_user, personas, persona):
    client = as_user(getattr(personas, persona))

    assert client.get(reverse("accounts:user_list")).status_code == 404
    assert client.post(reverse("accounts:user_create"), {"username": "x"}).status_code == 404
    assert not User.objects.filter(username="x").exists()


def test_another_provinces_account_is_404_and_unchanged(as_user, personas):
    client = as_user(personas.staff_a)

    assert client.get(reverse("accounts:user_detail", args=[personas.leader_b.pk])).status_code == 404
    assert client.post(reverse("accounts:user_deactivate", args=[personas.leader_b.pk])).status_code == 404
    personas.leader_b.refresh_from_db()
    assert personas.leader_b.is_active


def test_staff_grant_and_remove_roles_inside_their_province_only(as_user, personas, tree):
    client = as_user(personas.staff_a)
    url = reverse("accounts:user_detail", args=[personas.leader_a.pk])

    client.post(url, {"role": Role.VIEWER, "org_unit": tree.province_a.pk})
    refused = client.post(url, {"role": Role.VIEWER, "org_unit": tree.province_b.pk})
    viewer_role = RoleAssignment.objects.get(user=personas.leader_a, role=Role.VIEWER)
    client.post(reverse("accounts:role_revoke", args=[personas.leader_a.pk, viewer_role.pk]))

    assert "org_unit" in refused.context["form"].errors
    assert list(
        RoleAssignment.objects.filter(user=personas.leader_a).values_list("role", "org_unit__code")
    ) == [(Role.UNIT_LEADER, "28777")]


def test_staff_cannot_remove_a_role_held_in_another_province(as_user, personas, tree):
    from accounts.services import role_assign

    outside = role_assign(user=personas.leader_a, role=Role.VIEWER, org_unit=tree.province_b)

    response = as_user(personas.staff_a).post(
        reverse("accounts:role_revoke", args=[personas.leader_a.pk, outside.pk])
    )

    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=outside.pk).exists()


def test_disabling_an_account_ends_its_sessions(client, as_user, personas):
    from django.test import Client

    leader_client = Client()
    leader_client.force_login(personas.leader_a, backend="django.contrib.auth.backends.ModelBackend")
    assert leader_client.get(reverse("portal:home")).status_code == 200

    as_user(personas.staff_a).post(reverse("accounts:user_deactivate", args=[personas.leader_a.pk]))

    personas.leader_a.refresh_from_db()
    assert not personas.leader_a.is_active
    assert leader_client.get(reverse("portal:home")).status_code == 302


def test_account_list_query_budget(as_user, personas, tree, django_assert_max_num_queries):
    from accounts.services import role_assign
    from tests.factories import UserFactory

    for n in range(30):
        role_assign(user=UserFactory(username=f"bulk{n}"), role=Role.VIEWER, org_unit=tree.commune_a)
    client = as_user(personas.staff_a)

    with django_assert_max_num_queries(10):
        client.get(reverse("accounts:user_list"))

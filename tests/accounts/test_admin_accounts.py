"""Province staff manage accounts in their provinces through admin, never above their own rights."""

import pytest

from accounts.models import Role, RoleAssignment
from accounts.services import role_assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_with_role_in_a(personas, tree):
    # A system administrator who also holds a viewer role in province A (e.g. to see it as they do).
    role_assign(user=personas.admin, role=Role.VIEWER, org_unit=tree.commune_a)
    return personas.admin


def test_staff_cannot_set_the_password_of_a_superuser_in_their_province(
    as_user, personas, superuser_with_role_in_a
):
    client = as_user(personas.staff_a)
    url = f"/admin/accounts/user/{superuser_with_role_in_a.pk}/password/"
    before = superuser_with_role_in_a.password

    assert client.get(url).status_code in (403, 404)
    response = client.post(
        url, {"password1": "a-new-long-passphrase-1", "password2": "a-new-long-passphrase-1"}
    )

    assert response.status_code in (403, 404)
    superuser_with_role_in_a.refresh_from_db()
    assert superuser_with_role_in_a.password == before


def test_staff_cannot_change_or_deactivate_a_superuser_in_their_province(
    as_user, personas, superuser_with_role_in_a
):
    client = as_user(personas.staff_a)
    url = f"/admin/accounts/user/{superuser_with_role_in_a.pk}/change/"

    assert client.get(url).status_code in (302, 403, 404)
    client.post(url, {"first_name": "X", "last_name": "Y", "email": "", "is_active": ""})

    superuser_with_role_in_a.refresh_from_db()
    assert superuser_with_role_in_a.is_active
    assert superuser_with_role_in_a.first_name != "X"


def test_staff_can_set_the_password_of_an_account_they_manage(as_user, personas):
    client = as_user(personas.staff_a)
    response = client.post(
        f"/admin/accounts/user/{personas.leader_a.pk}/password/",
        {"password1": "a-new-long-passphrase-1", "password2": "a-new-long-passphrase-1"},
    )
    assert response.status_code == 302
    personas.leader_a.refresh_from_db()
    assert personas.leader_a.check_password("a-new-long-passphrase-1")


def test_staff_cannot_take_over_an_account_that_also_holds_a_role_elsewhere(as_user, personas, tree):
    # Province staff B also leads a commune in A: staff A must not be able to reset B's password.
    role_assign(user=personas.staff_b, role=Role.UNIT_LEADER, org_unit=tree.commune_a)
    client = as_user(personas.staff_a)
    before = personas.staff_b.password

    response = client.post(
        f"/admin/accounts/user/{personas.staff_b.pk}/password/",
        {"password1": "a-new-long-passphrase-1", "password2": "a-new-long-passphrase-1"},
    )

    assert response.status_code == 404
    personas.staff_b.refresh_from_db()
    assert personas.staff_b.password == before
    changelist = client.get("/admin/accounts/user/")
    assert personas.staff_b not in changelist.context["cl"].result_list
    assert personas.leader_a in changelist.context["cl"].result_list


def test_staff_cannot_remove_an_administrator_role_with_the_bulk_delete_action(as_user, personas, tree):
    """The change page's delete asks role_revoke; "delete selected" in the list must too."""
    admin_role = role_assign(user=personas.outsider, role=Role.ADMIN, org_unit=tree.province_a)
    client = as_user(personas.staff_a)
    response = client.post(
        "/admin/accounts/roleassignment/",
        {"action": "delete_selected", "_selected_action": [admin_role.pk], "post": "yes"},
    )
    assert response.status_code in (302, 403)
    assert RoleAssignment.objects.filter(pk=admin_role.pk).exists()

"""Every way a user's roles change takes effect on the next request."""

import pytest
from django.urls import reverse

from accounts.access import Action, roles_of, scope_for
from accounts.models import Role, RoleAssignment
from accounts.services import role_assign, role_revoke

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The same account as a new request sees it (roles and scopes are kept on the user per request)."""
    return type(user).objects.get(pk=user.pk)


def _dashboard(unit):
    return reverse("progress:dashboard", args=[unit.pk])


def test_a_revoked_role_is_gone_on_the_next_request(tree, personas, as_user):
    client = as_user(personas.staff_a)
    assert client.get(_dashboard(tree.province_a)).status_code == 200

    role_revoke(assignment=RoleAssignment.objects.get(user=personas.staff_a))

    assert client.get(_dashboard(tree.province_a)).status_code == 404
    assert roles_of(_fresh(personas.staff_a)) == []


def test_a_role_deleted_in_the_admin_or_by_a_cascade_is_gone_at_once(tree, personas):
    assert scope_for(_fresh(personas.leader_a), Action.VIEW).contains(tree.commune_a)
    RoleAssignment.objects.filter(user=personas.leader_a).delete()  # what the admin's bulk delete does

    assert scope_for(_fresh(personas.leader_a), Action.VIEW).is_empty


def test_a_granted_role_shows_on_the_next_request(tree, personas, as_user):
    client = as_user(personas.staff_b)
    assert client.get(_dashboard(tree.province_a)).status_code == 404

    role_assign(user=personas.staff_b, role=Role.VIEWER, org_unit=tree.province_a)

    assert client.get(_dashboard(tree.province_a)).status_code == 200


def test_a_renamed_unit_is_renamed_in_the_roles(tree, personas):
    """The roles carry their units (the home page lists them)."""
    assert roles_of(_fresh(personas.leader_a))[0].org_unit.name == tree.commune_a.name
    commune = tree.commune_a
    commune.name = "Đoàn phường An Hội (mới)"
    commune.save()

    assert roles_of(_fresh(personas.leader_a))[0].org_unit.name == "Đoàn phường An Hội (mới)"

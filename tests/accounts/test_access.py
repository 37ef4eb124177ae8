import pytest
from django.core.exceptions import PermissionDenied

from accounts.access import Action, can, scope_for
from accounts.models import Role, RoleAssignment
from accounts.services import role_assign, role_revoke, user_create
from org.models import OrgUnit

pytestmark = pytest.mark.django_db


def codes(scope):
    return set(scope.units().values_list("code", flat=True))


def test_each_role_gets_its_subtree_for_its_actions(tree, personas):
    province_a = {"86", "28777", "28756", "28789", "old-83", "old-d829"}

    assert codes(scope_for(personas.staff_a, Action.MANAGE)) == province_a
    assert codes(scope_for(personas.leader_a, Action.LOG)) == {"28777"}
    assert scope_for(personas.leader_a, Action.MANAGE).is_empty
    assert codes(scope_for(personas.viewer, Action.VIEW)) == set(
        OrgUnit.objects.values_list("code", flat=True)
    )
    assert scope_for(personas.viewer, Action.LOG).is_empty
    assert codes(scope_for(personas.staff_b, Action.VIEW)) == {"38", "16066"}
    assert scope_for(personas.admin, Action.MANAGE).everything


def test_no_role_and_anonymous_see_nothing(tree, personas):
    from django.contrib.auth.models import AnonymousUser

    assert scope_for(personas.outsider).is_empty
    assert not scope_for(personas.outsider).units().exists()
    assert scope_for(AnonymousUser()).is_empty


def test_inactive_user_has_no_scope(tree, personas):
    personas.staff_a.is_active = False

    assert scope_for(personas.staff_a, Action.VIEW).is_empty


def test_several_roles_add_up(tree, personas):
    role_assign(user=personas.leader_a, role=Role.UNIT_LEADER, org_unit=tree.commune_b)
    fresh = type(personas.leader_a).objects.get(pk=personas.leader_a.pk)

    assert codes(scope_for(fresh, Action.LOG)) == {"28777", "16066"}


def test_province_staff_grant_roles_only_inside_their_province(tree, personas):
    role_assign(user=personas.outsider, role=Role.UNIT_LEADER, org_unit=tree.sibling_a, by=personas.staff_a)

    with pytest.raises(PermissionDenied):
        role_assign(
            user=personas.outsider,
            role=Role.UNIT_LEADER,
            org_unit=tree.commune_b,
            by=personas.staff_a,
        )
    with pytest.raises(PermissionDenied):
        role_assign(user=personas.outsider, role=Role.ADMIN, org_unit=tree.province_a, by=personas.staff_a)
    assert list(
        RoleAssignment.objects.filter(user=personas.outsider).values_list("org_unit__code", flat=True)
    ) == ["28756"]


def test_staff_roles_make_admin_site_users_and_revoking_undoes_it(tree, personas):
    assignment = role_assign(user=personas.outsider, role=Role.PROVINCE_STAFF, org_unit=tree.province_a)
    personas.outsider.refresh_from_db()
    assert personas.outsider.is_staff

    role_revoke(assignment=assignment)
    personas.outsider.refresh_from_db()
    assert not personas.outsider.is_staff


def test_user_create_refuses_a_short_password_and_saves_nothing(tree, personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        user_create(
            username="new_leader",
            password="short",
            role=Role.UNIT_LEADER,
            org_unit=tree.commune_a,
            by=personas.staff_a,
        )

    assert "password" in excinfo.value.message_dict
    assert not type(personas.staff_a).objects.filter(username="new_leader").exists()


def test_can_checks_one_unit(tree, personas):
    assert can(personas.staff_a, Action.MANAGE, tree.dissolved_a)
    assert not can(personas.staff_a, Action.MANAGE, tree.commune_b)
    assert can(personas.leader_a, Action.LOG, tree.commune_a)
    assert not can(personas.leader_a, Action.LOG, tree.sibling_a)

"""A dissolved unit follows its successor's scope: every way a unit is written shows on the next request."""

import datetime

import pytest
from django.urls import reverse

from accounts.access import Action, scope_for
from org.models import OrgUnit
from org.services import org_unit_dissolve
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The same account as a new request sees it (scopes are kept on the user object per request)."""
    return type(user).objects.get(pk=user.pk)


def test_dissolving_a_unit_puts_it_in_its_successors_scope_at_once(tree, personas, as_user):
    orphan = OrgUnitFactory(
        code="old-99", name="Tỉnh đoàn Cũ", kind=OrgUnit.Kind.PROVINCE, parent=tree.central
    )
    client = as_user(personas.staff_a)
    page = reverse("org:unit_detail", args=[orphan.pk])
    assert client.get(page).status_code == 404
    assert not scope_for(_fresh(personas.staff_a), Action.VIEW).contains(orphan)

    org_unit_dissolve(unit=orphan, last_day=datetime.date(2025, 6, 30), successor=tree.province_a)

    assert client.get(page).status_code == 200
    assert scope_for(_fresh(personas.staff_a), Action.VIEW).contains(orphan)


def test_a_successor_changed_in_a_plain_save_leaves_the_old_successors_scope(tree, personas):
    assert scope_for(_fresh(personas.staff_a), Action.VIEW).contains(tree.dissolved_a)
    ben_tre = tree.dissolved_a
    ben_tre.successor = tree.province_b  # an admin correcting the merge
    ben_tre.save()

    assert not scope_for(_fresh(personas.staff_a), Action.VIEW).contains(ben_tre)
    assert scope_for(_fresh(personas.staff_b), Action.VIEW).contains(ben_tre)


def test_deleting_a_dissolved_unit_drops_it_from_its_successors_scope(tree, personas):
    stray = OrgUnitFactory(
        code="old-98", parent=tree.central, valid_to=datetime.date(2025, 6, 30), successor=tree.province_b
    )
    assert stray.path in scope_for(_fresh(personas.staff_b), Action.VIEW).paths
    stray.delete()
    assert stray.path not in scope_for(_fresh(personas.staff_b), Action.VIEW).paths

"""The access layer's merges come from the cache: every way a unit is written drops them at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.access import Action, scope_for
from org.merges import merges
from org.models import OrgUnit
from org.services import org_unit_dissolve, org_units_load_real_tree
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The same account as a new request sees it (scopes are kept on the user object per request)."""
    return type(user).objects.get(pk=user.pk)


def test_a_page_reads_the_merges_from_the_cache(tree, personas, as_user):
    client = as_user(personas.staff_a)
    client.get(reverse("org:unit_detail", args=[tree.commune_a.pk]))
    assert (tree.dissolved_a.path, tree.province_a.path) in merges()

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("org:unit_detail", args=[tree.commune_a.pk]))
    assert not [q for q in queries.captured_queries if 'successor_id" IS NOT NULL' in q["sql"]]


def test_dissolving_a_unit_puts_it_in_its_successors_scope_at_once(tree, personas, as_user):
    orphan = OrgUnitFactory(
        code="old-99", name="Tỉnh đoàn Cũ", kind=OrgUnit.Kind.PROVINCE, parent=tree.central
    )
    client = as_user(personas.staff_a)
    page = reverse("org:unit_detail", args=[orphan.pk])
    assert client.get(page).status_code == 404  # and the merges are now cached
    assert not scope_for(_fresh(personas.staff_a), Action.VIEW).contains(orphan)

    org_unit_dissolve(unit=orphan, last_day=datetime.date(2025, 6, 30), successor=tree.province_a)

    assert client.get(page).status_code == 200
    assert scope_for(_fresh(personas.staff_a), Action.VIEW).contains(orphan)


def test_a_successor_changed_in_a_plain_save_leaves_the_old_successors_scope(tree, personas):
    assert scope_for(_fresh(personas.staff_a), Action.VIEW).contains(tree.dissolved_a)  # cached now
    ben_tre = tree.dissolved_a
    ben_tre.successor = tree.province_b  # an admin correcting the merge
    ben_tre.save()

    assert not scope_for(_fresh(personas.staff_a), Action.VIEW).contains(ben_tre)
    assert scope_for(_fresh(personas.staff_b), Action.VIEW).contains(ben_tre)


def test_deleting_a_unit_drops_it_from_the_merges(tree):
    stray = OrgUnitFactory(
        code="old-98", parent=tree.central, valid_to=datetime.date(2025, 6, 30), successor=tree.province_b
    )
    assert (stray.path, tree.province_b.path) in merges()
    stray.delete()
    assert (stray.path, tree.province_b.path) not in merges()


def test_loading_the_real_tree_with_bulk_writes_drops_the_cached_merges():
    assert merges() == []  # cached: an empty tree
    org_units_load_real_tree()
    assert any(p.endswith("/old-83/") and s.endswith("/86/") for p, s in merges())

"""The dashboard's unit comes from the cache, still checked against each caller's scope."""

import pytest
from django.urls import reverse

from org.cached import unit_with_parent
from tests.queries import sql_of_get

pytestmark = pytest.mark.django_db


def _dashboard(unit):
    return reverse("progress:dashboard", args=[unit.pk])


def test_the_unit_is_read_once_then_from_the_cache(tree, personas, as_user):
    client = as_user(personas.staff_a)
    client.get(_dashboard(tree.commune_a))

    queries, _ = sql_of_get(client, _dashboard(tree.commune_a))
    assert not [sql for sql in queries if 'FROM "org_orgunit"' in sql]


def test_a_unit_cached_for_one_scope_is_still_a_404_for_another(tree, personas, as_user):
    assert as_user(personas.staff_a).get(_dashboard(tree.commune_a)).status_code == 200

    assert as_user(personas.staff_b).get(_dashboard(tree.commune_a)).status_code == 404
    assert as_user(personas.leader_b).get(_dashboard(tree.commune_a)).status_code == 404


def test_a_renamed_unit_shows_its_new_name_at_once(tree, personas, as_user):
    client = as_user(personas.staff_a)
    client.get(_dashboard(tree.commune_a))
    unit = tree.commune_a
    unit.name = "Đoàn phường An Hội (mới)"
    unit.save()

    assert "Đoàn phường An Hội (mới)" in client.get(_dashboard(tree.commune_a)).content.decode()
    assert unit_with_parent(unit.pk).name == "Đoàn phường An Hội (mới)"


def test_an_unknown_unit_is_a_404_and_a_new_one_is_found(tree, personas, as_user):
    from tests.factories import OrgUnitFactory

    assert unit_with_parent(999_999) is None
    unit = OrgUnitFactory(code="99999", name="Đoàn xã Mới", parent=tree.province_a)

    assert as_user(personas.staff_a).get(_dashboard(unit)).status_code == 200

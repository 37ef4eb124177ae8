"""The dashboard's unit, checked against each caller's scope and current after every write."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _dashboard(unit):
    return reverse("progress:dashboard", args=[unit.pk])


def test_a_unit_seen_by_one_scope_is_still_a_404_for_another(tree, personas, as_user):
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


def test_an_unknown_unit_is_a_404_and_a_new_one_is_found(tree, personas, as_user):
    from tests.factories import OrgUnitFactory

    assert as_user(personas.staff_a).get(reverse("progress:dashboard", args=[999_999])).status_code == 404
    unit = OrgUnitFactory(code="99999", name="Đoàn xã Mới", parent=tree.province_a)

    assert as_user(personas.staff_a).get(_dashboard(unit)).status_code == 200

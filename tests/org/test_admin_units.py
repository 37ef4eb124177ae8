"""Units changed in admin go through the org services: the path built once, a successor checked."""

import pytest

from org.models import OrgUnit

pytestmark = pytest.mark.django_db


def _unit_data(unit, **changes):
    data = {
        "name": unit.name,
        "kind": unit.kind,
        "valid_from": unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else "",
        "valid_to": "",
        "successor": "",
        "document_place": unit.document_place,
        "signer_title": unit.signer_title,
        "signer_name": unit.signer_name,
    }
    return {**data, **changes}


def test_a_unit_is_never_merged_into_its_own_commune(as_user, personas, tree):
    province = tree.province_a
    response = as_user(personas.admin).post(
        f"/admin/org/orgunit/{province.pk}/change/",
        _unit_data(province, valid_to="30/06/2026", successor=tree.commune_a.pk),
        follow=True,
    )
    body = response.content.decode()
    assert "Không thể sáp nhập một đơn vị vào chính nó hoặc vào đơn vị trực thuộc của nó." in body
    province.refresh_from_db()
    assert (province.valid_to, province.successor_id) == (None, None)


def test_a_unit_added_in_admin_gets_its_path_from_its_parent(as_user, personas, tree):
    response = as_user(personas.admin).post(
        "/admin/org/orgunit/add/",
        {
            **_unit_data(tree.commune_a, name="Đoàn phường Thử nghiệm"),
            "code": "99999",
            "parent": tree.province_a.pk,
        },
    )
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else None
    )
    unit = OrgUnit.objects.get(code="99999")
    assert (unit.path, unit.depth, unit.search_name) == ("/TW/86/99999/", 2, "doan phuong thu nghiem")

"""The unit's report settings (issue #23 item 4): province staff set the place and the signer their
reports print, through the service; leaders and other provinces cannot."""

import html

import pytest
from django.urls import reverse

from org.models import OrgUnit
from org.services import org_unit_document_settings_update

pytestmark = pytest.mark.django_db


def test_service_trims_and_saves_only_the_three_settings(tree):
    unit = org_unit_document_settings_update(
        unit=tree.province_a,
        document_place="  Vĩnh Long ",
        signer_title=" Phó Bí thư",
        signer_name="Lê Văn Hòa ",
    )
    stored = OrgUnit.objects.get(pk=unit.pk)
    assert (stored.document_place, stored.signer_title, stored.signer_name) == (
        "Vĩnh Long",
        "Phó Bí thư",
        "Lê Văn Hòa",
    )
    assert stored.name == "Tỉnh đoàn Vĩnh Long"


def test_staff_edit_their_units_settings_from_the_unit_page(tree, personas, as_user):
    client = as_user(personas.staff_a)
    detail = client.get(reverse("org:unit_detail", args=[tree.province_a.pk])).content.decode()
    settings_url = reverse("org:unit_document_settings", args=[tree.province_a.pk])
    assert settings_url in detail and "Cài đặt báo cáo" in detail

    response = client.post(
        settings_url, {"document_place": "", "signer_title": "Bí thư", "signer_name": "Trần Thị Thu"}
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "org:unit_detail", args=[tree.province_a.pk]
    )
    unit = OrgUnit.objects.get(pk=tree.province_a.pk)
    assert (unit.signer_title, unit.signer_name, unit.place) == ("Bí thư", "Trần Thị Thu", "Vĩnh Long")
    page = client.get(reverse("org:unit_detail", args=[tree.province_a.pk])).content.decode()
    assert "Đã lưu cài đặt báo cáo." in page and "Trần Thị Thu" in page


def test_too_long_is_a_vietnamese_error_and_nothing_is_saved(tree, personas, as_user):
    response = as_user(personas.staff_a).post(
        reverse("org:unit_document_settings", args=[tree.province_a.pk]),
        {"document_place": "", "signer_title": "x" * 101, "signer_name": "Trần Thị Thu"},
    )
    assert response.status_code == 200
    error = response.context["form"].errors["signer_title"][0]
    assert error == "Giá trị này chỉ có tối đa 100 kí tự (hiện có 101)"
    assert error in html.unescape(response.content.decode())
    assert OrgUnit.objects.get(pk=tree.province_a.pk).signer_name == ""


def test_leaders_see_the_settings_but_cannot_change_them(tree, personas, as_user):
    client = as_user(personas.leader_a)
    detail = client.get(reverse("org:unit_detail", args=[tree.commune_a.pk])).content.decode()
    assert "Cài đặt báo cáo" in detail
    assert reverse("org:unit_document_settings", args=[tree.commune_a.pk]) not in detail
    response = client.post(
        reverse("org:unit_document_settings", args=[tree.commune_a.pk]),
        {"document_place": "", "signer_title": "Bí thư", "signer_name": "Ai Đó"},
    )
    assert response.status_code == 403
    assert OrgUnit.objects.get(pk=tree.commune_a.pk).signer_name == ""


def test_other_provinces_staff_get_404(tree, personas, as_user):
    response = as_user(personas.staff_b).post(
        reverse("org:unit_document_settings", args=[tree.province_a.pk]),
        {"document_place": "", "signer_title": "Bí thư", "signer_name": "Ai Đó"},
    )
    assert response.status_code == 404
    assert OrgUnit.objects.get(pk=tree.province_a.pk).signer_name == ""

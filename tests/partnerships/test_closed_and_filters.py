"""An ended agreement's commitments are not "in progress"; the list's filters offer what is in scope."""

import pytest
from django.urls import reverse

from partnerships.models import Agreement
from tests.partnerships.factories import PartnerFactory, make_agreement, objective_with_everything

pytestmark = pytest.mark.django_db
S = Agreement.Status


def test_an_ended_agreements_open_commitments_read_not_done(as_user, personas, tree):
    agreement = make_agreement(
        units=[tree.province_a], status=S.ENDED, objectives=[objective_with_everything(unit=tree.province_a)]
    )
    assert agreement.objectives.get().commitments.filter(status="open").exists()

    html = (
        as_user(personas.staff_a)
        .get(reverse("partnerships:agreement_detail", args=[agreement.pk]))
        .content.decode()
    )
    printed = (
        as_user(personas.staff_a)
        .get(reverse("partnerships:agreement_print", args=[agreement.pk]))
        .content.decode()
    )

    assert "Đang thực hiện" not in html and "Đang thực hiện" not in printed
    assert "Chưa hoàn thành" in html and "Chưa hoàn thành" in printed
    assert "Thỏa thuận đã kết thúc ngày" in html


def test_filters_offer_only_the_provinces_in_scope_and_the_partners_of_visible_agreements(
    as_user, personas, tree
):
    vnpt = PartnerFactory(name="VNPT")
    vnpt_vl = PartnerFactory(name="VNPT Vĩnh Long", parent=vnpt)
    viettel_th = PartnerFactory(name="Viettel Thanh Hóa")
    make_agreement(units=[tree.province_a], partners=[vnpt_vl], status=S.ACTIVE)
    make_agreement(units=[tree.province_b], partners=[viettel_th], status=S.ACTIVE)

    staff = as_user(personas.staff_a).get(reverse("partnerships:agreement_list")).context
    viewer = as_user(personas.viewer).get(reverse("partnerships:agreement_list")).context

    assert [p.name for p in staff["provinces"]] == ["Tỉnh đoàn Vĩnh Long"]
    assert [p.name for p in staff["partners"]] == ["VNPT"]  # the group its branch belongs to
    assert {p.name for p in viewer["provinces"]} == {"Tỉnh đoàn Vĩnh Long", "Tỉnh đoàn Thanh Hóa"}
    assert {p.name for p in viewer["partners"]} == {"VNPT", "Viettel Thanh Hóa"}

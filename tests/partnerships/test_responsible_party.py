"""A target may name the body that commits to it (issue #22 item 5): Thanh Hóa's programme assigns
work to Departments and People's Committees, while the union unit says whose territory it measures."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import Agreement, Partner, Target
from tests.partnerships.factories import PartnerFactory, indicator, make_agreement
from tests.partnerships.test_pages import good_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(db):
    return PartnerFactory(name="Sở Khoa học và Công nghệ tỉnh Thanh Hóa", kind=Partner.Kind.STATE_AGENCY)


def _objective(unit, responsible=None):
    return services.ObjectiveInput(
        number=1,
        text="Tỷ lệ hồ sơ trực tuyến",
        area="digital_government",
        targets=[
            services.TargetInput(
                indicator=indicator(),
                org_unit=unit,
                target_value=Decimal(60),
                deadline=datetime.date(2026, 12, 31),
                responsible_partner=responsible,
            )
        ],
    )


def test_the_service_keeps_the_responsible_party_beside_the_unit(tree, department):
    agreement = make_agreement(units=[tree.province_b], objectives=[_objective(tree.province_b, department)])

    target = Target.objects.get(objective__agreement=agreement)

    assert (target.org_unit, target.responsible_partner) == (tree.province_b, department)
    assert target.history.get().responsible_partner_id == department.pk  # in the change history too


def test_staff_name_it_in_the_form_and_the_page_shows_it(tree, personas, as_user, department):
    partner = PartnerFactory(name="VNPT Vĩnh Long")
    form = good_form(tree, partner)
    form["targets-0-responsible_partner"] = department.pk
    client = as_user(personas.staff_a)

    response = client.post(reverse("partnerships:agreement_create"), form)

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert Target.objects.get().responsible_partner == department
    page = client.get(reverse("partnerships:agreement_detail", args=[agreement.pk])).content.decode()
    assert "Phụ trách: Sở Khoa học và Công nghệ tỉnh Thanh Hóa" in page
    edit = client.get(reverse("partnerships:agreement_edit", args=[agreement.pk]))
    assert edit.context["bundle"].targets.forms[0].initial["responsible_partner"] == department.pk


def test_the_api_reads_and_writes_it(tree, personas, api_as, department):
    agreement = make_agreement(units=[tree.province_a], objectives=[_objective(tree.province_a)])
    client = api_as(personas.staff_a)
    body = client.get(f"/api/v1/agreements/{agreement.pk}/").json()
    assert body["objectives"][0]["targets"][0]["responsible_partner"] is None

    body["objectives"][0]["targets"][0]["responsible_partner"] = department.pk
    response = client.put(f"/api/v1/agreements/{agreement.pk}/", body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["objectives"][0]["targets"][0]["responsible_partner"] == department.pk
    assert Target.objects.get().responsible_partner == department


def test_an_unknown_partner_is_a_field_error_and_nothing_changes(tree, personas, api_as):
    agreement = make_agreement(units=[tree.province_a], objectives=[_objective(tree.province_a)])
    client = api_as(personas.staff_a)
    body = client.get(f"/api/v1/agreements/{agreement.pk}/").json()
    body["objectives"][0]["targets"][0]["responsible_partner"] = 999_999

    response = client.put(f"/api/v1/agreements/{agreement.pk}/", body, format="json")

    assert response.status_code == 400
    assert "responsible_partner" in str(response.json())
    assert Target.objects.get().responsible_partner is None


def test_another_province_s_target_keeps_its_responsible_party(tree, personas, department):
    """Only the unit's own staff change a target: a changed responsible party counts as a change."""
    agreement = make_agreement(
        units=[tree.province_a, tree.province_b], objectives=[_objective(tree.province_b, department)]
    )
    target = Target.objects.get()
    changed = services.TargetInput(
        id=target.pk,
        indicator=target.indicator,
        org_unit=tree.province_b,
        target_value=target.target_value,
        deadline=target.deadline,
        responsible_partner=None,
    )
    objective = agreement.objectives.get()

    with pytest.raises(Exception, match="Tỉnh đoàn Thanh Hóa"):
        services.agreement_update(
            by=personas.staff_a,
            agreement=agreement,
            objectives=[
                services.ObjectiveInput(
                    id=objective.pk, number=1, text=objective.text, area=objective.area, targets=[changed]
                )
            ],
        )
    assert Target.objects.get().responsible_partner == department

import pytest

from partnerships.models import Agreement
from tests.partnerships.factories import make_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(tree):
    return (
        make_agreement(units=[tree.province_a], title="Thỏa thuận Vĩnh Long"),
        make_agreement(units=[tree.province_b], title="Chương trình Thanh Hóa"),
    )


def test_changelist_is_scoped(as_user, personas, two):
    vinh_long, thanh_hoa = two
    response = as_user(personas.staff_b).get("/admin/partnerships/agreement/")

    assert response.status_code == 200
    titles = {a.title for a in response.context["cl"].result_list}
    assert titles == {"Chương trình Thanh Hóa"}
    assert (
        as_user(personas.staff_b).get(f"/admin/partnerships/agreement/{vinh_long.pk}/change/").status_code
        == 302
    )


def test_leader_has_no_admin_module(as_user, personas, two):
    assert as_user(personas.leader_a).get("/admin/partnerships/agreement/").status_code in (302, 403)


def test_admin_change_goes_through_the_service(as_user, personas, two):
    vinh_long, _ = two
    client = as_user(personas.staff_a)
    page = client.get(f"/admin/partnerships/agreement/{vinh_long.pk}/change/")
    assert page.status_code == 200

    data = {
        "code": "05/TTHT",
        "title": "Thỏa thuận Vĩnh Long – Bến Tre",
        "kind": "cooperation",
        "signed_on": "",
        "signed_place": "",
        "start_date": "01/01/2020",
        "end_date": "31/12/2030",
        "summary": "",
        "legal_references": "",
        "follows": "",
        "parties-TOTAL_FORMS": "0",
        "parties-INITIAL_FORMS": "0",
        "attendees-TOTAL_FORMS": "0",  # the read-only attendees inline still posts its management form
        "attendees-INITIAL_FORMS": "0",
        "objectives-TOTAL_FORMS": "0",
        "objectives-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/partnerships/agreement/{vinh_long.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Agreement.objects.get(pk=vinh_long.pk)
    assert saved.code == "05/TTHT"
    assert "ben tre" in saved.search_text  # kept by the service, not by the admin


def test_admin_action_refuses_an_illegal_transition(as_user, personas, two):
    vinh_long, _ = two
    response = as_user(personas.staff_a).post(
        "/admin/partnerships/agreement/",
        {"action": "mark_terminated", "_selected_action": [vinh_long.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Agreement.objects.get(pk=vinh_long.pk).status == "terminated"
    as_user(personas.staff_a).post(
        "/admin/partnerships/agreement/", {"action": "mark_signed", "_selected_action": [vinh_long.pk]}
    )
    assert Agreement.objects.get(pk=vinh_long.pk).status == "terminated"


def test_partner_admin_for_managers(as_user, personas):
    assert as_user(personas.staff_a).get("/admin/partnerships/partner/").status_code == 200
    assert (
        as_user(personas.staff_a)
        .post(
            "/admin/partnerships/partner/add/",
            {"name": "Bưu điện tỉnh Vĩnh Long", "kind": "enterprise", "short_name": ""},
        )
        .status_code
        == 302
    )
    from partnerships.models import Partner

    assert Partner.objects.get(name="Bưu điện tỉnh Vĩnh Long").search_name == "buu dien tinh vinh long"

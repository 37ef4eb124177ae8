"""Mass assignment: every writable serializer and form refuses (or ignores) an org unit, team,
status, role, owner or staff flag that the caller has no right to set, and saves nothing then.

Persona: commune leader A (log rights on Đoàn phường An Hội) and province staff A (manage rights on
Vĩnh Long) try to move rows to province B, attach other provinces' rows, or raise privileges.
"""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role, RoleAssignment, User
from egov_support.models import HelpSession, ServiceStatistic
from tests.egov_support.factories import ServiceFactory, ServiceStatisticFactory
from tests.partnerships.factories import make_agreement
from tests.volunteers.factories import ActivityFactory, MembershipFactory, TeamFactory, VolunteerFactory
from volunteers.models import Activity, Membership, Team, Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(tree, personas):
    team_a = TeamFactory(name="Đội An Hội", org_unit=tree.commune_a)
    team_b = TeamFactory(name="Đội Hạc Thành", org_unit=tree.commune_b)
    volunteer_a = VolunteerFactory(home_unit=tree.commune_a)
    volunteer_b = VolunteerFactory(home_unit=tree.commune_b)
    return type(
        "Rows",
        (),
        {
            "team_a": team_a,
            "team_b": team_b,
            "volunteer_a": volunteer_a,
            "volunteer_b": volunteer_b,
            "membership_a": MembershipFactory(team=team_a, volunteer=volunteer_a),
            "activity_a": ActivityFactory(team=team_a, created_by=personas.leader_a),
            "agreement_a": make_agreement(units=[tree.province_a], title="Thỏa thuận Vĩnh Long"),
            "agreement_b": make_agreement(units=[tree.province_b], title="Thỏa thuận Thanh Hóa"),
            "statistic_a": ServiceStatisticFactory(org_unit=tree.commune_a),
            "service": ServiceFactory(code="vneid-level2"),
        },
    )


def _values(model, pk):
    return model.objects.filter(pk=pk).values().get()


# --- API -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"org_unit": "commune_b"},  # move the team to another province
        {"agreements": "agreement_b"},  # attach an agreement the leader cannot see
        {"status": "archived"},  # a status that does not exist
    ],
)
def test_api_team_update_refuses_unit_agreement_or_status_outside_rights(api_as, personas, tree, rows, body):
    value = {"commune_b": tree.commune_b.pk, "agreement_b": [rows.agreement_b.pk]}.get(*body.values())
    payload = {key: value or raw for key, raw in body.items()}
    before = _values(Team, rows.team_a.pk)
    response = api_as(personas.leader_a).patch(
        reverse("team-detail", args=[rows.team_a.pk]), payload, format="json"
    )
    assert response.status_code == 400
    assert _values(Team, rows.team_a.pk) == before
    assert not rows.team_a.agreements.exists()


def test_api_team_create_in_another_province_is_refused(api_as, personas, tree):
    response = api_as(personas.leader_a).post(
        reverse("team-list"), {"name": "Đội lạ", "org_unit": tree.commune_b.pk}, format="json"
    )
    assert response.status_code == 400
    assert not Team.objects.filter(name="Đội lạ").exists()


def test_api_volunteer_cannot_move_home_or_unerase(api_as, personas, tree, rows):
    client = api_as(personas.leader_a)
    url = reverse("volunteer-detail", args=[rows.volunteer_a.pk])
    before = _values(Volunteer, rows.volunteer_a.pk)
    assert client.patch(url, {"home_unit": tree.commune_b.pk}, format="json").status_code == 400
    assert _values(Volunteer, rows.volunteer_a.pk) == before
    # Read-only fields are ignored, not applied.
    client.patch(url, {"erased_at": "2025-01-01T00:00:00Z"}, format="json")
    assert Volunteer.objects.get(pk=rows.volunteer_a.pk).erased_at is None


def test_api_activity_update_ignores_team_and_owner(api_as, personas, rows):
    response = api_as(personas.leader_a).patch(
        reverse("activity-detail", args=[rows.activity_a.pk]),
        {"team": rows.team_b.pk, "created_by": personas.admin.pk, "title": "Đổi tên"},
        format="json",
    )
    assert response.status_code == 200
    activity = Activity.objects.get(pk=rows.activity_a.pk)
    assert (activity.team_id, activity.created_by_id, activity.title) == (
        rows.team_a.pk,
        personas.leader_a.pk,
        "Đổi tên",
    )


def test_api_activity_create_for_a_team_outside_scope_is_refused(api_as, personas, rows):
    response = api_as(personas.leader_a).post(
        reverse("activity-list"),
        {"team": rows.team_b.pk, "date": "2025-10-07", "kind": "communication", "title": "Lạ"},
        format="json",
    )
    assert response.status_code == 400
    assert not Activity.objects.filter(title="Lạ").exists()


def test_api_membership_cannot_be_moved_or_join_a_stranger(api_as, personas, rows):
    client = api_as(personas.leader_a)
    before = _values(Membership, rows.membership_a.pk)
    client.patch(
        reverse("membership-detail", args=[rows.membership_a.pk]),
        {"team": rows.team_b.pk, "volunteer": rows.volunteer_b.pk},
        format="json",
    )
    assert _values(Membership, rows.membership_a.pk) == before
    response = client.post(
        reverse("membership-list"), {"team": rows.team_a.pk, "volunteer": rows.volunteer_b.pk}, format="json"
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(volunteer=rows.volunteer_b).exists()


@pytest.mark.parametrize("field", ["team", "org_unit", "volunteers"])
def test_api_help_session_refuses_team_place_or_volunteers_outside_scope(api_as, personas, tree, rows, field):
    body = {
        "team": rows.team_a.pk,
        "location_kind": "one_stop_desk",
        "date": "2025-09-11",
        "start_time": "07:30",
        "end_time": "11:00",
        "lines": [{"service": "vneid-level2", "citizens_assisted": 3}],
    }
    body[field] = {
        "team": rows.team_b.pk,
        "org_unit": tree.commune_b.pk,
        "volunteers": [rows.volunteer_b.pk],
    }[field]
    response = api_as(personas.leader_a).post(reverse("help-session-list"), body, format="json")
    assert response.status_code == 400
    assert not HelpSession.objects.exists()


def test_api_help_session_owner_is_the_caller(api_as, personas, rows):
    response = api_as(personas.leader_a).post(
        reverse("help-session-list"),
        {
            "team": rows.team_a.pk,
            "location_kind": "one_stop_desk",
            "date": "2025-09-11",
            "start_time": "07:30",
            "end_time": "11:00",
            "created_by": personas.admin.pk,
            "lines": [{"service": "vneid-level2", "citizens_assisted": 3}],
        },
        format="json",
    )
    assert response.status_code == 201
    assert HelpSession.objects.get().created_by == personas.leader_a


def test_api_agreement_status_and_owner_are_read_only(api_as, personas, rows):
    response = api_as(personas.staff_a).patch(
        reverse("agreement-detail", args=[rows.agreement_a.pk]),
        {"status": "active", "created_by": personas.staff_a.pk, "title": "Đổi tên"},
        format="json",
    )
    assert response.status_code == 200
    rows.agreement_a.refresh_from_db()
    assert (rows.agreement_a.status, rows.agreement_a.created_by_id) == ("draft", None)


def test_api_statistic_identity_is_read_only_on_update(api_as, personas, tree, rows):
    before = _values(ServiceStatistic, rows.statistic_a.pk)
    response = api_as(personas.staff_a).patch(
        reverse("service-stat-detail", args=[rows.statistic_a.pk]),
        {"org_unit": tree.commune_b.pk, "month": "01/2020", "source": "national_portal"},
        format="json",
    )
    assert response.status_code == 200  # unit, month and source are ignored on update
    assert _values(ServiceStatistic, rows.statistic_a.pk) == before


def test_api_statistic_create_in_another_province_is_refused(api_as, personas, tree):
    response = api_as(personas.staff_a).post(
        reverse("service-stat-list"),
        {"org_unit": tree.commune_b.pk, "month": "10/2025", "dossiers_total": 5, "dossiers_online": 1},
        format="json",
    )
    assert response.status_code == 400
    assert not ServiceStatistic.objects.filter(org_unit=tree.commune_b).exists()


# --- Pages ---------------------------------------------------------------------------------------


def test_team_form_refuses_a_unit_outside_the_log_scope(as_user, personas, tree, rows):
    before = _values(Team, rows.team_a.pk)
    response = as_user(personas.leader_a).post(
        reverse("volunteers:team_edit", args=[rows.team_a.pk]),
        {"name": "Đội An Hội", "kind": "digital_youth", "org_unit": tree.commune_b.pk, "status": "active"},
    )
    assert response.status_code == 200
    assert "org_unit" in response.context["form"].errors
    assert _values(Team, rows.team_a.pk) == before


def test_volunteer_form_refuses_a_home_unit_outside_the_log_scope(as_user, personas, tree, rows):
    before = _values(Volunteer, rows.volunteer_a.pk)
    response = as_user(personas.leader_a).post(
        reverse("volunteers:volunteer_edit", args=[rows.volunteer_a.pk]),
        {
            "family_name": "Nguyễn",
            "given_name": "Lan",
            "home_unit": tree.commune_b.pk,
            "consent_on": "01/09/2025",
            "consent_purpose": "Tham gia đội",
        },
    )
    assert response.status_code == 200
    assert "home_unit" in response.context["form"].errors
    assert _values(Volunteer, rows.volunteer_a.pk) == before


def test_join_form_refuses_a_team_outside_the_log_scope(as_user, personas, rows):
    response = as_user(personas.leader_a).post(
        reverse("volunteers:volunteer_join"),
        {"team": rows.team_b.pk, "family_name": "Lê", "given_name": "Mới", "role": "member"},
    )
    assert response.status_code == 404
    assert not Volunteer.objects.filter(given_name="Mới").exists()


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (Role.ADMIN, "province_a"),  # a role above the caller's own
        (Role.PROVINCE_STAFF, "province_b"),  # a unit the caller does not manage
    ],
)
def test_account_forms_refuse_roles_and_units_outside_rights(as_user, personas, tree, role, unit):
    client = as_user(personas.staff_a)
    org_unit = getattr(tree, unit).pk
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "new_leader",
            "password": "a-long-password-123",
            "role": role,
            "org_unit": org_unit,
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="new_leader").exists()
    roles_before = set(RoleAssignment.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("accounts:user_detail", args=[personas.leader_a.pk]), {"role": role, "org_unit": org_unit}
    )
    assert response.status_code == 200
    assert set(RoleAssignment.objects.values_list("pk", flat=True)) == roles_before


def test_account_create_ignores_staff_and_superuser_flags(as_user, personas, tree):
    response = as_user(personas.staff_a).post(
        reverse("accounts:user_create"),
        {
            "username": "new_leader",
            "password": "a-long-password-123",
            "role": Role.UNIT_LEADER,
            "org_unit": tree.commune_a.pk,
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="new_leader")
    assert (created.is_staff, created.is_superuser) == (False, False)


def test_admin_user_change_cannot_raise_privileges(as_user, personas):
    response = as_user(personas.staff_a).post(
        reverse("admin:accounts_user_change", args=[personas.leader_a.pk]),
        {
            "first_name": "Carol",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    personas.leader_a.refresh_from_db()
    assert (personas.leader_a.is_staff, personas.leader_a.is_superuser) == (False, False)


def test_admin_team_add_refuses_a_unit_outside_the_manage_scope(as_user, personas, tree):
    response = as_user(personas.staff_a).post(
        reverse("admin:volunteers_team_add"),
        {"name": "Đội lạ", "kind": "digital_youth", "org_unit": tree.commune_b.pk, "status": "active"},
    )
    assert response.status_code == 200
    assert "org_unit" in response.context["adminform"].form.errors
    assert not Team.objects.filter(name="Đội lạ").exists()


def test_statistic_form_keeps_the_unit_of_the_row(as_user, personas, tree, rows):
    response = as_user(personas.staff_a).post(
        reverse("egov_support:statistic_edit", args=[rows.statistic_a.pk]),
        {
            "org_unit": tree.commune_b.pk,
            "month": "09/2025",
            "source": "provincial_portal",
            "dossiers_total": 100,
            "dossiers_online": 30,
        },
    )
    assert response.status_code in (200, 302, 400)
    statistic = ServiceStatistic.objects.get(pk=rows.statistic_a.pk)
    assert statistic.org_unit == tree.commune_a
    assert not ServiceStatistic.objects.filter(org_unit=tree.commune_b).exists()
    assert datetime.date(2025, 9, 1) == statistic.month

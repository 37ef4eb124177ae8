import pytest
from django.urls import reverse

from tests.volunteers.factories import ActivityFactory, MembershipFactory, VolunteerFactory
from volunteers import services
from volunteers.models import Activity, Volunteer

pytestmark = pytest.mark.django_db


def test_staff_b_sees_only_province_b_rows_in_admin(as_user, personas, teams):
    ActivityFactory(team=teams.a, title="Hoạt động An Hội")
    ActivityFactory(team=teams.b, title="Hoạt động Hạc Thành")
    VolunteerFactory(home_unit=teams.a.org_unit, given_name="Ẩn")
    client = as_user(personas.staff_b)

    teams_page = client.get(reverse("admin:volunteers_team_changelist")).content.decode()
    activities_page = client.get(reverse("admin:volunteers_activity_changelist")).content.decode()
    volunteers_page = client.get(reverse("admin:volunteers_volunteer_changelist")).content.decode()

    assert "Hạc Thành" in teams_page and "An Hội" not in teams_page
    assert "Hoạt động Hạc Thành" in activities_page and "Hoạt động An Hội" not in activities_page
    assert "Ẩn" not in volunteers_page
    assert client.get(reverse("admin:volunteers_team_change", args=[teams.a.pk])).status_code in (
        302,
        403,
        404,
    )


def test_staff_b_cannot_change_a_province_a_activity_in_admin(as_user, personas, teams):
    activity = ActivityFactory(team=teams.a, title="Gốc")
    url = reverse("admin:volunteers_activity_change", args=[activity.pk])

    response = as_user(personas.staff_b).post(url, {"title": "Sửa"})

    assert response.status_code in (302, 403, 404)
    activity.refresh_from_db()
    assert activity.title == "Gốc"


def test_leader_has_no_admin_module(as_user, personas, teams):
    response = as_user(personas.leader_a).get(reverse("admin:volunteers_team_changelist"))
    assert response.status_code in (302, 403)


def test_volunteer_history_in_admin_is_masked(as_user, personas, teams):
    from volunteers import services

    volunteer = VolunteerFactory(home_unit=teams.a.org_unit, family_name="Phạm", given_name="Quyên")
    services.volunteer_update(
        by=personas.staff_a, volunteer=volunteer, given_name="Quỳnh", phone="0911222333"
    )
    client = as_user(personas.staff_a)

    html = client.get(reverse("admin:volunteers_volunteer_history", args=[volunteer.pk])).content.decode()

    assert "P. T. Q." in html
    assert "Quyên" not in html.split("change-history")[-1] and "0911222333" not in html
    record = volunteer.history.first()
    detail = reverse("admin:volunteers_volunteer_simple_history", args=[volunteer.pk, record.pk])
    assert client.get(detail).status_code == 403


def test_admin_changelist_query_count_is_bounded(as_user, personas, tree, django_assert_max_num_queries):
    client = as_user(personas.staff_a)
    from tests.volunteers.factories import TeamFactory

    team = TeamFactory(org_unit=tree.commune_a)
    MembershipFactory(team=team)
    ActivityFactory(team=team)
    with django_assert_max_num_queries(20):
        client.get(reverse("admin:volunteers_activity_changelist"))
    for _ in range(30):
        ActivityFactory(team=team)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("admin:volunteers_activity_changelist")).status_code == 200
    assert Activity.objects.count() == 31


def test_membership_history_in_admin_is_masked(as_user, personas, teams):
    membership = MembershipFactory(
        team=teams.a, volunteer__family_name="Phạm", volunteer__middle_name="", volunteer__given_name="Quyên"
    )
    from volunteers import services

    services.membership_update(by=personas.staff_a, membership=membership, role="deputy")

    html = (
        as_user(personas.staff_a)
        .get(reverse("admin:volunteers_membership_history", args=[membership.pk]))
        .content.decode()
    )

    assert "P. Q. · Đội TNCS An Hội" in html
    assert "Quyên" not in html.split("change-history")[-1]


def test_deleting_in_admin_keeps_rosters_and_marks_a_deleted_team(as_user, personas, teams):
    import datetime

    from core.models import DirtyMark
    from tests.volunteers.factories import TeamFactory
    from volunteers.models import Membership, Team, Volunteer

    volunteer = VolunteerFactory(home_unit=teams.a.org_unit)
    MembershipFactory(team=teams.sibling, volunteer=volunteer, joined_on=datetime.date(2025, 3, 10))
    client = as_user(personas.admin)

    # A volunteer with memberships is protected: the rosters the rollup counted stay as they are.
    response = client.post(reverse("admin:volunteers_volunteer_delete", args=[volunteer.pk]), {"post": "yes"})
    assert response.status_code == 200 and Volunteer.objects.filter(pk=volunteer.pk).exists()
    assert Membership.objects.filter(volunteer=volunteer).exists()

    # A team without members can go; it counted as an active team in its unit since its founding.
    empty = TeamFactory(org_unit=teams.sibling.org_unit, founded_on=datetime.date(2025, 5, 20))
    DirtyMark.objects.all().delete()
    response = client.post(reverse("admin:volunteers_team_delete", args=[empty.pk]), {"post": "yes"})

    assert response.status_code == 302 and not Team.objects.filter(pk=empty.pk).exists()
    assert DirtyMark.objects.filter(
        org_unit=teams.sibling.org_unit, month=datetime.date(2025, 5, 1), rosters=True
    ).exists()


def test_admin_writes_go_through_the_services(as_user, personas, teams):
    """A membership corrected in admin is marked where it counted and where it counts now (the
    membership service); a date before the team's founding is refused on the field, nothing saved."""
    import datetime

    from core.models import DirtyMark
    from volunteers.models import Membership

    D = datetime.date
    teams.a.founded_on = D(2025, 8, 1)
    teams.a.save()
    volunteer = VolunteerFactory(home_unit=teams.a.org_unit)
    membership = MembershipFactory(team=teams.a, volunteer=volunteer, joined_on=D(2025, 9, 10))
    client = as_user(personas.staff_a)
    url = reverse("admin:volunteers_membership_change", args=[membership.pk])
    form = {"volunteer": volunteer.pk, "role": "member", "left_on": ""}
    DirtyMark.objects.all().delete()

    response = client.post(url, {**form, "team": teams.a.pk, "joined_on": "15/07/2025"})
    assert response.status_code == 200  # the form again, with the error on "joined on"
    assert "01/08/2025" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).team == teams.a and not DirtyMark.objects.exists()

    response = client.post(url, {**form, "team": teams.sibling.pk, "joined_on": "20/10/2025"})
    assert response.status_code == 302
    moved = Membership.objects.get(pk=membership.pk)
    assert (moved.team, moved.joined_on) == (teams.sibling, D(2025, 10, 20))
    assert set(DirtyMark.objects.values_list("org_unit_id", "month", "rosters")) == {
        (teams.a.org_unit_id, D(2025, 9, 1), True),  # where it counted
        (teams.sibling.org_unit_id, D(2025, 10, 1), True),  # where it counts now
    }


def test_deleting_selected_activities_in_admin_marks_where_they_counted(as_user, personas, teams):
    import datetime

    from core.models import DirtyMark

    ActivityFactory(team=teams.a, date=datetime.date(2025, 9, 3))
    ActivityFactory(team=teams.sibling, date=datetime.date(2025, 10, 8))
    DirtyMark.objects.all().delete()

    response = as_user(personas.staff_a).post(
        reverse("admin:volunteers_activity_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": list(Activity.objects.values_list("pk", flat=True)),
        },
    )

    assert response.status_code == 302 and not Activity.objects.exists()
    assert set(DirtyMark.objects.values_list("org_unit_id", "month")) == {
        (teams.a.org_unit_id, datetime.date(2025, 9, 1)),
        (teams.sibling.org_unit_id, datetime.date(2025, 10, 1)),
    }


def test_adding_an_activity_in_admin_goes_through_the_service_and_refuses_on_the_field(
    as_user, personas, teams
):
    import datetime

    from django.utils import timezone

    from core.models import DirtyMark

    client = as_user(personas.staff_a)
    url = reverse("admin:volunteers_activity_add")
    form = {
        "team": teams.a.pk,
        "kind": "training",
        "title": "Tập huấn",
        "participants": "20",
        "volunteers_count": "4",
        "volunteer_hours": "8",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(url, {**form, "date": tomorrow.strftime("%d/%m/%Y")})
    assert response.status_code == 200 and "date" in response.context["adminform"].form.errors
    assert not Activity.objects.exists()

    DirtyMark.objects.all().delete()
    response = client.post(url, {**form, "date": "12/09/2025"})
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.created_by, activity.volunteer_hours) == (personas.staff_a, 8)
    assert DirtyMark.objects.filter(org_unit=teams.a.org_unit, month=datetime.date(2025, 9, 1)).exists()


def test_deleting_a_membership_and_moving_an_activity_in_admin_mark_through_the_services(
    as_user, personas, teams
):
    """No admin marks facts itself: a deleted membership (its own page and the team's roster
    inline's service) is marked where it counted, joining and leaving months; an activity moved to
    another team where it counted and where it counts now."""
    import datetime

    from core.models import DirtyMark
    from volunteers.models import Membership

    D = datetime.date
    membership = MembershipFactory(team=teams.a, joined_on=D(2025, 6, 2), left_on=D(2025, 8, 30))
    activity = ActivityFactory(team=teams.a, date=D(2025, 9, 3))
    client = as_user(personas.staff_a)
    DirtyMark.objects.all().delete()

    response = client.post(
        reverse("admin:volunteers_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not Membership.objects.filter(pk=membership.pk).exists()
    assert set(DirtyMark.objects.values_list("org_unit_id", "month", "rosters")) == {
        (teams.a.org_unit_id, D(2025, 6, 1), True),
        (teams.a.org_unit_id, D(2025, 8, 1), True),
    }

    DirtyMark.objects.all().delete()
    url = reverse("admin:volunteers_activity_change", args=[activity.pk])
    page = client.get(url)
    data = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if name in page.context["adminform"].form.fields and value is not None
    }
    data.update(
        {
            "team": teams.sibling.pk,
            "date": "03/09/2025",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Activity.objects.get(pk=activity.pk).team == teams.sibling
    assert set(DirtyMark.objects.values_list("org_unit_id", "month")) == {
        (teams.a.org_unit_id, D(2025, 9, 1)),
        (teams.sibling.org_unit_id, D(2025, 9, 1)),
    }


def test_an_erased_volunteer_cannot_be_filled_in_again_in_admin(as_user, personas, tree):
    volunteer = services.volunteer_erase(
        by=personas.staff_a, volunteer=VolunteerFactory(home_unit=tree.commune_a)
    )
    response = as_user(personas.staff_a).post(
        reverse("admin:volunteers_volunteer_change", args=[volunteer.pk]),
        {
            "family_name": "Nguyễn",
            "given_name": "An",
            "home_unit": tree.commune_a.pk,
            "consent_on": "01/09/2025",
            "consent_purpose": volunteer.consent_purpose,
            "training_set-TOTAL_FORMS": "0",
            "training_set-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert "đã bị xoá theo yêu cầu; không thể sửa" in response.content.decode()  # the service's refusal
    assert Volunteer.objects.get(pk=volunteer.pk).given_name == "—"

import datetime
import json
import uuid

import pytest
from django.urls import reverse

from core.models import DirtyMark
from tests.volunteers.factories import ActivityFactory, MembershipFactory, TeamFactory, VolunteerFactory
from volunteers.models import Activity, Membership, Volunteer

pytestmark = pytest.mark.django_db

LOG_URL = reverse("volunteers:activity_log")


def _activity_post(team, key=None, **extra):
    data = {
        "idempotency_key": str(key or uuid.uuid4()),
        "team": team.pk,
        "date": "06/10/2025",
        "kind": "communication",
        "title": "Hướng dẫn cài VNeID",
        "place": "Nhà văn hóa khu phố 3",
        "participants": "45",
        "volunteers_count": "6",
        "volunteer_hours": "12",
        "note": "Có 12 người được kích hoạt định danh mức 2",
    }
    data.update(extra)
    return data


def test_phone_form_preselects_the_team_the_leader_leads_and_today(as_user, personas, teams):
    response = as_user(personas.leader_a).get(LOG_URL)

    form = response.context["form"]
    assert response.status_code == 200
    assert form.initial["team"] == teams.a.pk
    assert form.initial["date"] == datetime.date.today()
    assert list(form.fields["team"].queryset) == [teams.a]
    html = response.content.decode()
    assert datetime.date.today().strftime("%d/%m/%Y") in html
    assert 'class="js-once' in html and 'name="idempotency_key"' in html
    assert reverse("volunteers:volunteer_join") in html


def test_leader_logs_an_activity_and_a_double_submit_creates_one(as_user, personas, teams):
    client = as_user(personas.leader_a)
    data = _activity_post(teams.a)

    first = client.post(LOG_URL, data)
    second = client.post(LOG_URL, data)

    activity = Activity.objects.get()
    assert first.status_code == second.status_code == 302
    assert (activity.team, activity.date, activity.participants) == (teams.a, datetime.date(2025, 10, 6), 45)
    assert activity.created_by == personas.leader_a
    assert DirtyMark.objects.filter(org_unit=teams.a.org_unit, month=datetime.date(2025, 10, 1)).exists()


def test_validation_error_keeps_everything_typed(as_user, personas, teams):
    data = _activity_post(teams.a, participants="-3", date="31/02/2025")

    response = as_user(personas.leader_a).post(LOG_URL, data)

    assert response.status_code == 200
    assert not Activity.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"participants", "date"}
    html = response.content.decode()
    for typed in (
        "Hướng dẫn cài VNeID",
        "Nhà văn hóa khu phố 3",
        "31/02/2025",
        data["idempotency_key"],
        "Có 12 người",
    ):
        assert typed in html


def test_leader_cannot_log_for_the_sibling_or_other_province_team(as_user, personas, teams):
    client = as_user(personas.leader_a)
    for team in (teams.sibling, teams.b):
        response = client.post(LOG_URL, _activity_post(team))
        assert response.status_code == 404
    joined = client.post(
        reverse("volunteers:volunteer_join"),
        {
            "team": teams.b.pk,
            "family_name": "Lê",
            "given_name": "Tâm",
            "role": "member",
            "consent_on": "01/11/2025",
        },
    )
    assert joined.status_code == 404
    assert not Activity.objects.exists()
    assert not DirtyMark.objects.exists()
    assert not Volunteer.objects.filter(given_name="Tâm").exists()


def test_detail_pages_of_other_units_are_404_for_a_leader(as_user, personas, teams):
    client = as_user(personas.leader_a)
    activity = ActivityFactory(team=teams.sibling)
    volunteer = VolunteerFactory(home_unit=teams.b.org_unit)
    urls = [
        reverse("volunteers:team_detail", args=[teams.sibling.pk]),
        reverse("volunteers:team_detail", args=[teams.b.pk]),
        reverse("volunteers:team_edit", args=[teams.sibling.pk]),
        reverse("volunteers:activity_detail", args=[activity.pk]),
        reverse("volunteers:activity_edit", args=[activity.pk]),
        reverse("volunteers:volunteer_detail", args=[volunteer.pk]),
        reverse("volunteers:volunteer_export", args=[volunteer.pk]),
        reverse("volunteers:roster_import", args=[teams.b.pk]),
        reverse("egov_support:weekly_report", args=[teams.b.pk, 2025, 41]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_denied_writes_change_nothing(as_user, personas, teams):
    client = as_user(personas.leader_a)
    membership = MembershipFactory(team=teams.sibling)
    activity = ActivityFactory(team=teams.sibling, title="Gốc")

    responses = [
        client.post(reverse("volunteers:membership_end", args=[teams.sibling.pk, membership.pk])),
        client.post(
            reverse("volunteers:activity_edit", args=[activity.pk]), {"title": "Sửa", "date": "01/10/2025"}
        ),
        client.post(reverse("volunteers:team_edit", args=[teams.b.pk]), {"name": "Sửa"}),
        client.post(reverse("egov_support:weekly_report", args=[teams.b.pk, 2025, 41]), {"note": "x"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    membership.refresh_from_db()
    activity.refresh_from_db()
    teams.b.refresh_from_db()
    assert membership.left_on is None and activity.title == "Gốc" and teams.b.name == "Đội TNCS Hạc Thành"
    assert not teams.b.weekly_reports.exists()


def test_viewer_can_read_but_not_log(as_user, personas, teams):
    client = as_user(personas.viewer)
    assert client.get(reverse("volunteers:team_detail", args=[teams.b.pk])).status_code == 200
    assert client.get(LOG_URL).status_code == 403
    assert client.post(LOG_URL, _activity_post(teams.a)).status_code == 403
    assert not Activity.objects.exists()


def test_staff_b_sees_nothing_of_province_a(as_user, personas, teams):
    VolunteerFactory(home_unit=teams.a.org_unit, given_name="Ẩn")
    client = as_user(personas.staff_b)

    team_page = client.get(reverse("volunteers:team_list")).content.decode()
    volunteer_page = client.get(reverse("volunteers:volunteer_list")).content.decode()

    assert "Hạc Thành" in team_page
    assert "An Hội" not in team_page and "Phú Khương" not in team_page
    assert "Ẩn" not in volunteer_page and "Hồng" not in volunteer_page


def test_add_a_volunteer_from_the_phone_flow_returns_to_it(as_user, personas, teams):
    client = as_user(personas.leader_a)
    url = reverse("volunteers:volunteer_join") + "?next=" + LOG_URL

    page = client.get(url)
    assert page.context["form"].initial["team"] == teams.a.pk
    response = client.post(
        url,
        {
            "team": teams.a.pk,
            "family_name": "Lê",
            "middle_name": "Văn",
            "given_name": "Tâm",
            "phone": "0988 123 456",
            "role": "member",
            "consent_on": "01/11/2025",
            "consent_purpose": "Tham gia đội",
            "skill_names": "VNeID, Dịch vụ công",
            "next": LOG_URL,
        },
    )

    assert response.status_code == 302 and response["Location"] == LOG_URL
    volunteer = Volunteer.objects.get(given_name="Tâm")
    assert (volunteer.phone, volunteer.home_unit) == ("0988123456", teams.a.org_unit)
    assert sorted(s.name for s in volunteer.skills.all()) == ["Dịch vụ công", "VNeID"]
    assert Membership.objects.get(volunteer=volunteer).team == teams.a


def test_add_volunteer_rejects_an_offsite_next(as_user, personas, teams):
    client = as_user(personas.leader_a)
    data = {
        "team": teams.a.pk,
        "family_name": "Lê",
        "given_name": "Tâm",
        "phone": "0988123456",
        "role": "member",
        "consent_on": "01/11/2025",
        "consent_purpose": "x",
        "next": "https://evil.example/",
    }
    response = client.post(reverse("volunteers:volunteer_join"), data)
    assert response["Location"] == LOG_URL


def test_weekly_report_page_submits_and_unreported_page_lists_the_rest(as_user, personas, teams):
    client = as_user(personas.staff_a)
    year, week, _ = datetime.date.today().isocalendar()

    listed = client.get(reverse("volunteers:unreported")).context["page"].object_list
    assert set(listed) == {teams.a, teams.sibling}
    response = client.post(
        reverse("egov_support:weekly_report", args=[teams.a.pk, year, week]), {"note": "Đã xong"}
    )
    assert response.status_code == 302
    listed = client.get(reverse("volunteers:unreported")).context["page"].object_list
    assert list(listed) == [teams.sibling]


def test_export_json_and_erase_pages(as_user, personas, teams):
    volunteer = teams.leader_volunteer
    export = as_user(personas.leader_a).get(reverse("volunteers:volunteer_export", args=[volunteer.pk]))
    data = json.loads(export.content)
    assert data["volunteer"]["given_name"] == "Hồng"
    assert export["Content-Disposition"].startswith("attachment")

    # Leaders may export but not erase; province staff erase.
    assert (
        as_user(personas.leader_a)
        .post(reverse("volunteers:volunteer_erase", args=[volunteer.pk]), {"confirm": "yes"})
        .status_code
        == 404
    )
    volunteer.refresh_from_db()
    assert volunteer.given_name == "Hồng"
    as_user(personas.staff_a).post(
        reverse("volunteers:volunteer_erase", args=[volunteer.pk]), {"confirm": "yes"}
    )
    volunteer.refresh_from_db()
    assert volunteer.is_erased and teams.a.memberships.count() == 1


def test_volunteer_profile_history_shows_fields_not_values(as_user, personas, teams):
    from volunteers import services

    volunteer = teams.leader_volunteer
    services.volunteer_update(by=personas.staff_a, volunteer=volunteer, given_name="Hằng", phone="0911222333")

    html = (
        as_user(personas.staff_a)
        .get(reverse("volunteers:volunteer_detail", args=[volunteer.pk]))
        .content.decode()
    )

    # Staff see the change history: the field is named, its values masked (tests/core/test_history.py).
    history = html.split('id="change-history"')[-1]
    assert "•••" in history
    assert "Hồng" not in history and "0911222333" not in history


def test_team_list_export_is_xlsx(as_user, personas, teams):
    response = as_user(personas.staff_a).get(reverse("volunteers:team_list") + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_photo_is_served_only_in_scope(as_user, personas, teams):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from volunteers import services

    activity = ActivityFactory(team=teams.a)
    photo = services.activity_add_photo(
        by=personas.leader_a,
        activity=activity,
        image=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10),
    )
    url = reverse("volunteers:activity_photo", args=[activity.pk, photo.pk])

    assert as_user(personas.leader_a).get(url).status_code == 200
    assert as_user(personas.leader_b).get(url).status_code == 404


def _make_rows(tree, n):
    for _i in range(n):
        team = TeamFactory(org_unit=tree.commune_a)
        MembershipFactory(team=team)
        ActivityFactory(team=team)


@pytest.mark.parametrize(
    ("url_name", "budget"),
    [
        ("volunteers:team_list", 10),
        ("volunteers:volunteer_list", 13),
        ("volunteers:my_teams", 12),
        ("volunteers:unreported", 10),
    ],
)
def test_list_pages_have_a_bounded_query_count(
    as_user, personas, tree, django_assert_max_num_queries, url_name, budget
):
    client = as_user(personas.staff_a)
    _make_rows(tree, 1)
    with django_assert_max_num_queries(budget):
        client.get(reverse(url_name))
    _make_rows(tree, 25)
    with django_assert_max_num_queries(budget):
        assert client.get(reverse(url_name)).status_code == 200


def test_team_detail_has_a_bounded_query_count(as_user, personas, tree, django_assert_max_num_queries):
    team = TeamFactory(org_unit=tree.commune_a)
    client = as_user(personas.staff_a)
    MembershipFactory(team=team)
    # 17 for the page, 2 for the staff's change history (its rows, their units).
    with django_assert_max_num_queries(19):
        client.get(reverse("volunteers:team_detail", args=[team.pk]))
    for _ in range(20):
        MembershipFactory(team=team)
        ActivityFactory(team=team)
    with django_assert_max_num_queries(19):
        assert client.get(reverse("volunteers:team_detail", args=[team.pk])).status_code == 200


def test_staff_of_the_successor_see_teams_of_a_dissolved_unit(as_user, personas, tree):
    old_team = TeamFactory(org_unit=tree.dissolved_a, name="Đội cũ Bến Tre")

    assert (
        as_user(personas.staff_a).get(reverse("volunteers:team_detail", args=[old_team.pk])).status_code
        == 200
    )
    assert (
        as_user(personas.staff_b).get(reverse("volunteers:team_detail", args=[old_team.pk])).status_code
        == 404
    )


def test_volunteer_list_filters(as_user, personas, teams):
    from volunteers import services

    skilled = VolunteerFactory(home_unit=teams.a.org_unit, given_name="Khoa")
    skilled.skills.set(services.skills_from_names(["Chữ ký số"]))
    ActivityFactory(team=teams.a, date=datetime.date.today())
    client = as_user(personas.staff_a)
    skill_id = skilled.skills.get().pk

    by_skill = (
        client.get(reverse("volunteers:volunteer_list"), {"skill": skill_id}).context["page"].object_list
    )
    by_text = client.get(reverse("volunteers:volunteer_list"), {"q": "khoa"}).context["page"].object_list
    active = client.get(reverse("volunteers:volunteer_list"), {"active": "on"}).context["page"].object_list

    assert list(by_skill) == [skilled] and list(by_text) == [skilled]
    assert list(active) == [teams.leader_volunteer]  # the only member of a team active this month


def test_training_and_photos_from_the_pages(as_user, personas, teams):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(personas.leader_a)
    volunteer = teams.leader_volunteer
    client.post(
        reverse("volunteers:training_add", args=[volunteer.pk]),
        {"course": "Bình dân học vụ số", "completed_on": "05/03/2026"},
    )
    assert volunteer.trainings.get().completed_on == datetime.date(2026, 3, 5)  # dd/mm, not mm/dd

    activity = ActivityFactory(team=teams.a)
    png = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10, content_type="image/png")
    response = client.post(
        reverse("volunteers:activity_edit", args=[activity.pk]),
        {
            "date": "06/10/2025",
            "kind": "training",
            "title": "Sửa",
            "participants": 1,
            "volunteers_count": 1,
            "volunteer_hours": 1,
            "photos": [png],
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.photos.count()) == ("Sửa", 1)


def test_editing_an_activity_date_on_the_page_marks_both_months(as_user, personas, teams):
    activity = ActivityFactory(team=teams.a, date=datetime.date(2025, 9, 30))
    DirtyMark.objects.all().delete()

    as_user(personas.leader_a).post(
        reverse("volunteers:activity_edit", args=[activity.pk]),
        {
            "date": "02/10/2025",
            "kind": "training",
            "title": "x",
            "participants": 1,
            "volunteers_count": 1,
            "volunteer_hours": 1,
        },
    )

    assert set(DirtyMark.objects.values_list("month", flat=True)) == {
        datetime.date(2025, 9, 1),
        datetime.date(2025, 10, 1),
    }


def test_team_create_and_edit_pages_with_a_decision_pdf(as_user, personas, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from volunteers.models import Team

    client = as_user(personas.leader_a)
    pdf = SimpleUploadedFile("qd.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        reverse("volunteers:team_create"),
        {
            "name": "Đội mới",
            "kind": "digital_tech",
            "org_unit": tree.commune_a.pk,
            "status": "active",
            "decision_file": pdf,
            "founded_on": "26/03/2025",
        },
    )
    team = Team.objects.get(name="Đội mới")
    assert (
        response.status_code == 302 and team.founded_on == datetime.date(2025, 3, 26) and team.decision_file
    )
    assert client.get(reverse("volunteers:team_decision_file", args=[team.pk])).status_code == 200

    client.post(
        reverse("volunteers:team_edit", args=[team.pk]),
        {"name": "Đội mới 2", "kind": "digital_tech", "org_unit": tree.commune_a.pk, "status": "paused"},
    )
    team.refresh_from_db()
    assert (team.name, team.status, bool(team.decision_file)) == ("Đội mới 2", "paused", True)

    refused = client.post(
        reverse("volunteers:team_create"),
        {"name": "Đội lạ", "kind": "other", "org_unit": tree.sibling_a.pk, "status": "active"},
    )
    assert refused.status_code == 200 and not Team.objects.filter(name="Đội lạ").exists()

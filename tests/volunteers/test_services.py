import datetime
import random
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.models import DirtyMark
from tests.volunteers.factories import ActivityFactory, MembershipFactory, VolunteerFactory
from volunteers import selectors, services
from volunteers.models import Activity, Membership, Team, Volunteer, WeeklyReport

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912 345 678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
        (912345678.0, "0912345678"),
        ("", ""),
    ],
)
def test_phone_is_normalised(raw, expected):
    assert services.normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "09123456789", "abc", "+1 555 0100"])
def test_bad_phone_is_refused(raw):
    with pytest.raises(ValidationError):
        services.normalize_phone(raw)


def test_volunteer_create_splits_names_folds_search_and_normalises_phone(tree, personas):
    volunteer = services.volunteer_create(
        by=personas.leader_a,
        home_unit=tree.commune_a,
        family_name="Trần",
        middle_name=" Thị  Ngọc ",
        given_name="Ánh",
        phone="+84 903 111 222",
        consent_on=datetime.date(2025, 9, 1),
        consent_purpose="Đội tình nguyện",
    )

    assert volunteer.full_name == "Trần Thị Ngọc Ánh"
    assert volunteer.search_name == "tran thi ngoc anh"
    assert volunteer.phone == "0903111222"
    assert list(Volunteer.objects.search("ngoc anh")) == [volunteer]
    assert list(Volunteer.objects.search("111 222")) == [volunteer]


def test_volunteers_sort_by_given_name_then_family_name(tree):
    for family, given in [("Võ", "Bình"), ("Lê", "An"), ("Nguyễn", "An"), ("Đặng", "Cường")]:
        VolunteerFactory(home_unit=tree.commune_a, family_name=family, given_name=given)

    names = [(v.given_name, v.family_name) for v in Volunteer.objects.all()]

    assert names == [("An", "Lê"), ("An", "Nguyễn"), ("Bình", "Võ"), ("Cường", "Đặng")]


def test_duplicate_phone_in_a_unit_is_refused_with_a_message(tree, personas):
    VolunteerFactory(home_unit=tree.commune_a, phone="0912345678")

    with pytest.raises(ValidationError) as excinfo:
        services.volunteer_create(
            by=personas.leader_a,
            home_unit=tree.commune_a,
            family_name="Lê",
            given_name="Bình",
            phone="0912 345 678",
            consent_on=datetime.date(2025, 9, 1),
            consent_purpose="x",
        )

    assert "phone" in excinfo.value.message_dict
    assert Volunteer.objects.count() == 1


def test_leader_cannot_create_a_volunteer_in_another_unit(tree, personas):
    with pytest.raises(PermissionDenied):
        services.volunteer_create(
            by=personas.leader_a,
            home_unit=tree.sibling_a,
            family_name="Lê",
            given_name="Bình",
            consent_on=datetime.date(2025, 9, 1),
            consent_purpose="x",
        )
    assert not Volunteer.objects.exists()


def test_database_refuses_two_active_memberships_of_one_person_in_a_team(teams):
    volunteer = VolunteerFactory(home_unit=teams.a.org_unit)
    MembershipFactory(team=teams.a, volunteer=volunteer)

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(team=teams.a, volunteer=volunteer, joined_on=datetime.date(2025, 10, 1))


def test_a_person_can_rejoin_after_leaving_and_be_in_several_teams(teams, personas):
    volunteer = VolunteerFactory(home_unit=teams.a.org_unit)
    first = services.membership_create(by=personas.staff_a, team=teams.a, volunteer=volunteer)
    services.membership_end(by=personas.staff_a, membership=first)
    services.membership_create(by=personas.staff_a, team=teams.a, volunteer=volunteer)
    services.membership_create(by=personas.staff_a, team=teams.sibling, volunteer=volunteer)

    assert volunteer.memberships.count() == 3
    assert volunteer.memberships.active().count() == 2
    with pytest.raises(ValidationError):
        services.membership_create(by=personas.staff_a, team=teams.a, volunteer=volunteer)


def test_membership_writes_mark_the_unit_month_dirty(teams, personas):
    volunteer = VolunteerFactory(home_unit=teams.a.org_unit)
    DirtyMark.objects.all().delete()

    services.membership_create(
        by=personas.leader_a, team=teams.a, volunteer=volunteer, joined_on=datetime.date(2025, 11, 3)
    )

    mark = DirtyMark.objects.get()
    assert (mark.org_unit_id, mark.month) == (teams.a.org_unit_id, datetime.date(2025, 11, 1))


def test_activity_create_marks_dirty_and_is_idempotent(teams, personas):
    key = uuid.uuid4()
    DirtyMark.objects.all().delete()
    fields = {
        "date": datetime.date(2025, 10, 6),
        "kind": Activity.Kind.TRAINING,
        "title": "",
        "participants": 30,
        "volunteers_count": 5,
        "volunteer_hours": Decimal("10"),
    }

    first, created = services.activity_create(
        by=personas.leader_a, team=teams.a, idempotency_key=key, **fields
    )
    second, created_again = services.activity_create(
        by=personas.leader_a, team=teams.a, idempotency_key=key, **fields
    )

    assert (created, created_again) == (True, False)
    assert first.pk == second.pk
    assert Activity.objects.count() == 1
    assert first.title == "Tập huấn"  # a blank title becomes the kind's name (Vietnamese by default)
    assert DirtyMark.objects.get().month == datetime.date(2025, 10, 1)


def test_activity_for_another_units_team_is_refused_and_nothing_saved(teams, personas):
    with pytest.raises(PermissionDenied):
        services.activity_create(
            by=personas.leader_a,
            team=teams.sibling,
            date=datetime.date(2025, 10, 6),
            kind=Activity.Kind.OTHER,
            title="x",
        )
    assert not Activity.objects.exists()
    assert not DirtyMark.objects.exists()


def test_activity_in_the_future_or_for_a_dissolved_team_is_refused(teams, personas):
    with pytest.raises(ValidationError):
        services.activity_create(
            by=personas.leader_a,
            team=teams.a,
            date=datetime.date.today() + datetime.timedelta(days=2),
            kind="other",
            title="x",
        )
    services.team_update(
        by=personas.staff_a,
        team=teams.a,
        status=Team.Status.DISSOLVED,
        dissolved_on=datetime.date(2025, 12, 31),
    )
    with pytest.raises(ValidationError):
        services.activity_create(
            by=personas.leader_a, team=teams.a, date=datetime.date(2025, 10, 1), kind="other", title="x"
        )
    assert not Activity.objects.exists()


def test_activity_update_marks_old_and_new_month(teams, personas):
    activity = ActivityFactory(team=teams.a, date=datetime.date(2025, 9, 30))
    DirtyMark.objects.all().delete()

    services.activity_update(by=personas.leader_a, activity=activity, date=datetime.date(2025, 10, 2))

    assert set(DirtyMark.objects.values_list("month", flat=True)) == {
        datetime.date(2025, 9, 1),
        datetime.date(2025, 10, 1),
    }


def test_dissolved_team_needs_a_date(tree, personas):
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(
            by=personas.staff_a, org_unit=tree.commune_a, name="Đội", status=Team.Status.DISSOLVED
        )
    assert "dissolved_on" in excinfo.value.message_dict


def test_weekly_report_submit_is_idempotent_and_listed_as_missing_until_then(teams, personas):
    today = datetime.date.today()
    year, week = services.iso_week_of(today)

    missing = selectors.teams_without_report(user=personas.staff_a, iso_year=year, iso_week=week)
    assert set(missing) == {teams.a, teams.sibling}

    services.weekly_report_submit(by=personas.leader_a, team=teams.a, iso_year=year, iso_week=week)
    services.weekly_report_submit(by=personas.leader_a, team=teams.a, iso_year=year, iso_week=week, note="ok")

    assert WeeklyReport.objects.get().note == "ok"
    missing = selectors.teams_without_report(user=personas.staff_a, iso_year=year, iso_week=week)
    assert list(missing) == [teams.sibling]
    assert list(selectors.teams_without_report(user=personas.leader_a, iso_year=year, iso_week=week)) == []


def test_weekly_report_for_a_future_week_is_refused(teams, personas):
    year, week = services.iso_week_of(datetime.date.today() + datetime.timedelta(days=14))
    with pytest.raises(ValidationError):
        services.weekly_report_submit(by=personas.leader_a, team=teams.a, iso_year=year, iso_week=week)


def test_erasure_anonymises_the_person_but_keeps_counts_and_hours(teams, personas):
    volunteer = VolunteerFactory(
        home_unit=teams.a.org_unit,
        family_name="Phạm",
        given_name="Quyên",
        phone="0977000111",
        email="quyen@example.vn",
        member_code="DV-123",
    )
    services.membership_create(by=personas.staff_a, team=teams.a, volunteer=volunteer)
    services.training_record(
        by=personas.staff_a,
        volunteer=volunteer,
        course="Bình dân học vụ số",
        completed_on=datetime.date(2025, 8, 1),
    )
    ActivityFactory(team=teams.a, volunteer_hours=Decimal("12.5"))
    before = selectors.team_totals(teams=Team.objects.filter(pk=teams.a.pk))

    services.volunteer_erase(by=personas.staff_a, volunteer=volunteer)

    volunteer.refresh_from_db()
    assert volunteer.is_erased
    assert (volunteer.family_name, volunteer.given_name, volunteer.middle_name) == ("—", "—", "")
    assert (volunteer.phone, volunteer.email, volunteer.member_code, volunteer.birth_year) == (
        "",
        "",
        "",
        None,
    )
    assert not volunteer.trainings.exists()
    assert selectors.team_totals(teams=Team.objects.filter(pk=teams.a.pk)) == before
    assert before["memberships"] == 2 and before["hours"] == Decimal("12.5")
    # Nothing personal survives in the audit history either.
    history_values = list(Volunteer.history.filter(id=volunteer.pk).values_list("family_name", "given_name"))
    assert history_values and all(row == ("—", "—") for row in history_values)
    assert not hasattr(Volunteer.history.model, "phone")


def test_erasure_needs_the_manage_right(teams, personas):
    volunteer = VolunteerFactory(home_unit=teams.a.org_unit, given_name="Quyên")

    with pytest.raises(PermissionDenied):
        services.volunteer_erase(by=personas.leader_a, volunteer=volunteer)

    volunteer.refresh_from_db()
    assert volunteer.given_name == "Quyên"


def test_export_contains_everything_about_the_person(teams, personas):
    volunteer = teams.leader_volunteer
    services.training_record(
        by=personas.staff_a,
        volunteer=volunteer,
        course="Bình dân học vụ số",
        completed_on=datetime.date(2025, 8, 1),
    )
    volunteer.skills.set(services.skills_from_names(["VNeID"]))

    data = selectors.volunteer_export_data(volunteer=volunteer)

    assert data["volunteer"]["given_name"] == "Hồng"
    assert data["volunteer"]["phone"] == volunteer.phone
    assert data["volunteer"]["skills"] == ["VNeID"]
    assert data["volunteer"]["consent"] == {"date": "2025-09-01", "purpose": volunteer.consent_purpose}
    assert data["volunteer"]["portal_account"] == personas.leader_a.username
    assert data["trainings"] == [{"course": "Bình dân học vụ số", "completed_on": "2025-08-01"}]
    assert [m["team"] for m in data["memberships"]] == [teams.a.name]


def test_default_team_is_the_one_the_user_leads(teams, personas):
    logging_teams = selectors.teams_for_logging(user=personas.staff_a)
    assert selectors.default_team_for(user=personas.staff_a, teams=logging_teams) is None
    leader_teams = selectors.teams_for_logging(user=personas.leader_a)
    assert selectors.default_team_for(user=personas.leader_a, teams=leader_teams) == teams.a


def test_photo_limit(teams, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from volunteers.models import PHOTOS_PER_ACTIVITY

    activity = ActivityFactory(team=teams.a)
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    for n in range(PHOTOS_PER_ACTIVITY):
        services.activity_add_photo(
            by=personas.leader_a, activity=activity, image=SimpleUploadedFile(f"p{n}.png", png)
        )
    with pytest.raises(ValidationError):
        services.activity_add_photo(
            by=personas.leader_a, activity=activity, image=SimpleUploadedFile("x.png", png)
        )
    with pytest.raises(ValidationError):
        services.activity_add_photo(
            by=personas.leader_a,
            activity=ActivityFactory(team=teams.a),
            image=SimpleUploadedFile("x.png", b"GIF89a"),
        )
    assert activity.photos.count() == PHOTOS_PER_ACTIVITY


def test_leaving_before_joining_is_refused(teams, personas):
    membership = MembershipFactory(team=teams.a, joined_on=datetime.date(2025, 9, 1))
    with pytest.raises(ValidationError):
        services.membership_end(
            by=personas.leader_a, membership=membership, left_on=datetime.date(2025, 8, 1)
        )
    membership.refresh_from_db()
    assert membership.left_on is None


def test_roster_lists_leader_then_deputies_then_members_by_given_name(teams):
    for given, role in [("An", "member"), ("Bình", "deputy"), ("Anh", "deputy"), ("Ẩn", "member")]:
        MembershipFactory(team=teams.a, role=role, volunteer__given_name=given)

    roster = [(m.role, m.volunteer.given_name) for m in selectors.team_roster(team=teams.a)]

    assert [r for r, _ in roster] == ["leader", "deputy", "deputy", "member", "member"]
    assert roster[1][1] == "Anh" and roster[2][1] == "Bình"


def test_vietnamese_alphabetical_order_whatever_the_database_collation(tree):
    for family, given in [
        ("Võ", "Yến"),
        ("Lê", "Đức"),
        ("Trần", "Dũng"),
        ("Phạm", "Ánh"),
        ("Bùi", "Âu"),
        ("Hà", "Anh"),
        ("Ngô", "Ăn"),
        ("Lý", "An"),
    ]:
        VolunteerFactory(home_unit=tree.commune_a, family_name=family, given_name=given)

    names = [v.given_name for v in Volunteer.objects.all()]

    assert names == ["An", "Anh", "Ánh", "Ăn", "Âu", "Dũng", "Đức", "Yến"]


def test_demo_weekly_reports_have_an_author_and_an_evening_of_their_week(teams, personas):
    from django.utils import timezone

    from volunteers import demo

    today = datetime.date(2026, 11, 30)
    demo._weekly_reports(random.Random(1), teams.a, today, demo._report_author(teams.a, None))

    reports = list(teams.a.weekly_reports.all())
    assert reports and all(r.submitted_by == personas.staff_a for r in reports)  # the province's staff
    for report in reports:
        local = timezone.localtime(report.submitted_at)
        assert local.date().isocalendar()[:2] == (report.iso_year, report.iso_week)
        assert local.weekday() in (4, 5) and 16 <= local.hour <= 21

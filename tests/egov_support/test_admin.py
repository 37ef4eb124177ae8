import datetime

import pytest

from core.models import DirtyMark
from egov_support import services
from egov_support.models import HelpSession, ServiceLine, ServiceStatistic
from tests.egov_support.factories import HelpSessionFactory, ServiceLineFactory, ServiceStatisticFactory

pytestmark = pytest.mark.django_db

STATS = "/admin/egov_support/servicestatistic/"
SESSIONS = "/admin/egov_support/helpsession/"


def test_staff_b_sees_only_their_provinces_statistics_in_admin(tree, personas, as_user):
    mine = ServiceStatisticFactory(org_unit=tree.commune_b, dossiers_total=40, dossiers_online=4)
    theirs = ServiceStatisticFactory(org_unit=tree.commune_a, dossiers_total=10, dossiers_online=1)
    client = as_user(personas.staff_b)

    listing = client.get(STATS)
    assert listing.status_code == 200
    assert list(listing.context["cl"].queryset) == [mine]
    change = client.get(f"{STATS}{theirs.pk}/change/")
    assert change.status_code in (302, 404)
    posted = client.post(
        f"{STATS}{theirs.pk}/change/",
        {
            "org_unit": tree.commune_a.pk,
            "month": "01/09/2025",
            "source": "provincial_portal",
            "dossiers_total": 10,
            "dossiers_online": 9,
        },
    )
    assert posted.status_code in (302, 404)
    assert ServiceStatistic.objects.get(pk=theirs.pk).dossiers_online == 1


def test_staff_a_edits_a_statistic_in_admin_through_the_service(tree, personas, as_user):
    statistic = ServiceStatisticFactory(org_unit=tree.commune_a, dossiers_total=10, dossiers_online=1)
    client = as_user(personas.staff_a)

    response = client.post(
        f"{STATS}{statistic.pk}/change/",
        {
            "org_unit": tree.commune_a.pk,
            "month": "01/09/2025",
            "source": "provincial_portal",
            "dossiers_total": 10,
            "dossiers_online": 6,
            "note": "",
        },
    )

    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else None
    )
    statistic.refresh_from_db()
    assert statistic.dossiers_online == 6
    assert statistic.history.count() == 2


def test_admin_rejects_online_above_total(tree, personas, as_user):
    client = as_user(personas.staff_a)
    response = client.post(
        f"{STATS}add/",
        {
            "org_unit": tree.commune_a.pk,
            "month": "01/09/2025",
            "source": "provincial_portal",
            "dossiers_total": 5,
            "dossiers_online": 6,
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "dossiers_online" in response.context["adminform"].form.errors
    assert not ServiceStatistic.objects.exists()


def test_admin_session_list_is_scoped_and_leaders_have_no_admin(egov, personas, as_user):
    session_a = HelpSessionFactory(team=egov.team_a)
    ServiceLineFactory(session=session_a, service=egov.vneid)
    session_b = HelpSessionFactory(team=egov.team_b)

    listing = as_user(personas.staff_b).get(SESSIONS)
    assert list(listing.context["cl"].queryset) == [session_b]
    assert as_user(personas.leader_a).get(SESSIONS).status_code == 302  # not staff: to the admin login
    assert HelpSession.objects.count() == 2


def test_an_admin_edit_of_the_lines_and_who_was_present_updates_the_stored_totals(egov, personas, as_user):
    session = HelpSessionFactory(team=egov.team_a)
    line = ServiceLineFactory(
        session=session, service=egov.vneid, citizens_assisted=4, dossiers_online=0, successful=4
    )
    client = as_user(personas.admin)

    response = client.post(
        f"{SESSIONS}{session.pk}/change/",
        {
            "team": egov.team_a.pk,
            "org_unit": egov.team_a.org_unit_id,
            "location_kind": "one_stop_desk",
            "address": "",
            "date": "10/09/2025",
            "start_time": "07:30",
            "end_time": "11:00",
            "volunteers": [egov.member_a.pk, egov.member_a2.pk],
            "campaign": "",
            "notes": "",
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "1",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-id": line.pk,
            "lines-0-session": session.pk,
            "lines-0-service": egov.vneid.pk,
            "lines-0-citizens_assisted": "9",
            "lines-0-dossiers_online": "0",
            "lines-0-successful": "7",
            "lines-1-session": session.pk,
            "lines-1-service": egov.dvc.pk,
            "lines-1-citizens_assisted": "3",
            "lines-1-dossiers_online": "2",
            "lines-1-successful": "3",
        },
    )

    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else None
    )
    session.refresh_from_db()
    assert (
        session.total_assisted,
        session.total_submitted_online,
        session.total_successful,
        session.total_vneid_activations,
        session.volunteers_present,
        session.volunteer_minutes,
    ) == (12, 2, 10, 9, 2, 420)


def _session_post(egov, session=None, *, date="10/09/2025", volunteers=None, lines=(), initial_lines=()):
    """The admin change form's POST: the session's fields and its inline lines."""
    data = {
        "team": egov.team_a.pk,
        "org_unit": egov.team_a.org_unit_id,
        "location_kind": "one_stop_desk",
        "address": "",
        "date": date,
        "start_time": "07:30",
        "end_time": "11:00",
        "volunteers": volunteers if volunteers is not None else [egov.member_a.pk],
        "campaign": "",
        "notes": "",
        "lines-TOTAL_FORMS": str(len(initial_lines) + len(lines)),
        "lines-INITIAL_FORMS": str(len(initial_lines)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for index, (line, values) in enumerate([*initial_lines, *[(None, v) for v in lines]]):
        if line is not None:
            data[f"lines-{index}-id"] = line.pk
        if session is not None:
            data[f"lines-{index}-session"] = session.pk
        for name, value in values.items():
            data[f"lines-{index}-{name}"] = value
    return data


def _line(service, assisted, online, successful, **more):
    return {
        "service": service.pk,
        "citizens_assisted": assisted,
        "dossiers_online": online,
        "successful": successful,
        **more,
    }


def _totals(session):
    session.refresh_from_db()
    return (
        session.total_assisted,
        session.total_submitted_online,
        session.total_successful,
        session.total_vneid_activations,
        session.volunteers_present,
        session.volunteer_minutes,
    )


def test_an_admin_edit_moving_a_session_to_another_month_marks_both_and_keeps_totals_as_the_service(
    egov, personas, as_user
):
    session = HelpSessionFactory(team=egov.team_a, date=datetime.date(2025, 9, 10))
    line = ServiceLineFactory(session=session, service=egov.vneid, citizens_assisted=4, successful=4)
    twin = services.help_session_create(
        by=personas.admin,
        team=egov.team_a,
        location_kind="one_stop_desk",
        date=datetime.date(2025, 10, 2),
        start_time=datetime.time(7, 30),
        end_time=datetime.time(11),
        volunteers=[egov.member_a],
        lines=[
            {"service": egov.vneid, "citizens_assisted": 9, "dossiers_online": 0, "successful": 7},
            {"service": egov.dvc, "citizens_assisted": 3, "dossiers_online": 2, "successful": 3, "female": 2},
        ],
    )
    DirtyMark.objects.all().delete()

    response = as_user(personas.admin).post(
        f"{SESSIONS}{session.pk}/change/",
        _session_post(
            egov,
            session,
            date="02/10/2025",
            initial_lines=[(line, _line(egov.vneid, 9, 0, 7))],
            lines=[_line(egov.dvc, 3, 2, 3, female=2)],
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _totals(session) == _totals(twin) == (12, 2, 10, 9, 1, 210)
    assert sorted(session.lines.values_list("service_id", "citizens_assisted", "female")) == sorted(
        twin.lines.values_list("service_id", "citizens_assisted", "female")
    )
    unit = egov.team_a.org_unit_id
    assert set(DirtyMark.objects.values_list("org_unit_id", "month")) == {
        (unit, datetime.date(2025, 9, 1)),
        (unit, datetime.date(2025, 10, 1)),
    }
    # Who changed it is in the history, from the service (the lines replaced, each with its record).
    assert session.history.latest().history_user == personas.admin
    assert ServiceLine.history.filter(session_id=session.pk, history_type="+").count() >= 2


def test_an_admin_adds_a_session_with_lines_through_the_service(egov, personas, as_user):
    response = as_user(personas.staff_a).post(
        f"{SESSIONS}add/",
        _session_post(egov, lines=[_line(egov.vneid, 5, 0, 5), _line(egov.dvc, 2, 2, 1)]),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    session = HelpSession.objects.get()
    assert session.created_by == personas.staff_a
    assert _totals(session) == (7, 2, 6, 5, 1, 210)
    assert set(DirtyMark.objects.values_list("org_unit_id", "month")) == {
        (egov.team_a.org_unit_id, datetime.date(2025, 9, 1))
    }


def test_the_admin_shows_what_the_service_refuses_on_the_form_and_saves_nothing(egov, personas, as_user):
    session = HelpSessionFactory(team=egov.team_a, date=datetime.date(2025, 9, 10))
    line = ServiceLineFactory(session=session, service=egov.vneid, citizens_assisted=4, successful=4)
    before = _totals(session)
    DirtyMark.objects.all().delete()

    response = as_user(personas.admin).post(
        f"{SESSIONS}{session.pk}/change/",
        _session_post(
            egov,
            session,
            volunteers=[egov.member_b.pk],  # on team B's roster, not team A's
            initial_lines=[(line, _line(egov.vneid, 9, 0, 7))],
        ),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert egov.member_b.full_name in str(errors["volunteers"])
    assert _totals(session) == before
    assert list(session.lines.values_list("citizens_assisted", flat=True)) == [4]
    assert not DirtyMark.objects.exists()


def test_an_admin_delete_marks_the_month_through_the_service(egov, personas, as_user):
    session = HelpSessionFactory(team=egov.team_a, date=datetime.date(2025, 9, 10))
    ServiceLineFactory(session=session, service=egov.vneid)
    other = HelpSessionFactory(team=egov.team_a, date=datetime.date(2025, 8, 3))
    client = as_user(personas.staff_a)

    response = client.post(f"{SESSIONS}{session.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    response = client.post(
        SESSIONS, {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
    )
    assert response.status_code == 302

    assert not HelpSession.objects.exists()
    assert set(DirtyMark.objects.values_list("org_unit_id", "month")) == {
        (egov.team_a.org_unit_id, datetime.date(2025, 9, 1)),
        (egov.team_a.org_unit_id, datetime.date(2025, 8, 1)),
    }
    assert {h.history_user for h in HelpSession.history.filter(history_type="-")} == {personas.staff_a}


def test_an_admin_change_of_a_campaigns_dates_goes_through_the_service_and_marks_its_targets(
    tree, personas, as_user
):
    campaign = services.campaign_create(
        by=personas.staff_a,
        name="Tháng cao điểm VNeID",
        org_unit=tree.province_a,
        starts_on=datetime.date(2025, 9, 1),
        ends_on=datetime.date(2025, 9, 30),
        participating_units=[tree.commune_a],
    )
    DirtyMark.objects.all().delete()
    response = as_user(personas.staff_a).post(
        f"/admin/egov_support/campaign/{campaign.pk}/change/",
        {
            "name": "Tháng cao điểm VNeID",
            "theme": "",
            "description": "",
            "org_unit": tree.province_a.pk,
            "starts_on": "01/09/2025",
            "ends_on": "15/10/2025",
            "participating_units": [tree.commune_a.pk],
        },
    )
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else None
    )
    campaign.refresh_from_db()
    assert campaign.ends_on == datetime.date(2025, 10, 15)
    assert DirtyMark.objects.filter(org_unit=tree.province_a).exists()  # the rollup re-reads its window
    assert list(campaign.participating_units.all()) == [tree.commune_a]

import pytest

from egov_support.models import HelpSession, ServiceStatistic
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

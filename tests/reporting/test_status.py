"""Issue #23 item 1: the reporting status by commune, for a week or a month (page, Excel, API)."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from reporting import selectors
from reporting.periods import Period
from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerFactory, WeeklyReportFactory
from volunteers.models import Membership

pytestmark = pytest.mark.django_db

W49 = Period("week", 2026, 49)  # Monday 30/11/2026 – Sunday 06/12/2026


def _report(team, year, week, day=None):
    at = datetime.datetime.combine(
        day or datetime.date.fromisocalendar(year, week, 5), datetime.time(9), datetime.UTC
    )
    return WeeklyReportFactory(team=team, iso_year=year, iso_week=week, submitted_at=at)


@pytest.fixture
def reports(tree):
    """An Hội reported week 49; Bến Tre ward last reported week 46 (missed 47, 48, 49); Phú Khương has
    no team and never reported; Hạc Thành (province B) reported week 49."""
    an_hoi = TeamFactory(name="Đội TN An Hội", org_unit=tree.commune_a)
    _report(an_hoi, 2026, 49)
    ben_tre = TeamFactory(name="Đội TN Bến Tre", org_unit=tree.ward_a_ben_tre)
    _report(ben_tre, 2026, 46)
    leader = VolunteerFactory(
        home_unit=tree.ward_a_ben_tre,
        family_name="Trần",
        middle_name="Thị",
        given_name="Mai",
        phone="0912000111",
    )
    MembershipFactory(team=ben_tre, volunteer=leader, role=Membership.Role.LEADER)
    _report(TeamFactory(org_unit=tree.commune_b), 2026, 49)
    return {"an_hoi": an_hoi, "ben_tre": ben_tre}


def _by_code(rows):
    return {row.unit.code: row for row in rows}


def test_every_commune_in_scope_with_its_status_last_report_and_run_of_missed_weeks(personas, tree, reports):
    rows = selectors.with_details(selectors.reporting_status(user=personas.staff_a, period=W49), period=W49)

    by_code = _by_code(rows)
    assert set(by_code) == {"28777", "28756", "28789"}  # province A's current communes, not B's
    an_hoi, phu_khuong, ben_tre = by_code["28777"], by_code["28756"], by_code["28789"]
    assert (an_hoi.reported, an_hoi.missed, an_hoi.teams) == (True, 0, ["Đội TN An Hội"])
    assert (ben_tre.reported, ben_tre.missed) == (False, 3)
    assert ben_tre.last_report_at.date() == datetime.date(2026, 11, 13)  # Friday of week 46
    assert ben_tre.contact == {"name": "Trần Thị Mai", "phone": "0912000111"}
    assert (phu_khuong.reported, phu_khuong.missed, phu_khuong.team_count) == (False, None, 0)
    # Longest silent first: never reported, then three weeks, then the one that reported.
    assert [row.unit.code for row in rows] == ["28756", "28789", "28777"]


def test_a_report_after_the_period_does_not_count_for_it(personas, tree, reports):
    rows = _by_code(selectors.reporting_status(user=personas.staff_a, period=Period("week", 2026, 47)))
    assert rows["28777"].reported is False and rows["28777"].last_report_at is None  # its week 49 came later
    assert rows["28789"].missed == 1


def test_filters_and_sorts(personas, tree, reports):
    def codes(**filters):
        return [r.unit.code for r in selectors.reporting_status(user=personas.staff_a, period=W49, **filters)]

    assert codes(status="unreported") == ["28756", "28789"]
    assert codes(status="reported") == ["28777"]
    assert codes(teams="without") == ["28756"]
    assert codes(q="ben tre") == ["28789"]
    assert codes(sort="name") == ["28777", "28789", "28756"]  # An Hội, Bến Tre, Phú Khương
    assert codes(unit=tree.commune_a) == ["28777"]


def test_a_month_is_reported_when_the_commune_submitted_it_for_sign_off(personas, tree, reports):
    from signoff.models import MonthSignoff, SignoffStatus

    def signoff(unit, month, status):
        at = datetime.datetime(month.year, month.month, 28, 9, tzinfo=datetime.UTC)
        MonthSignoff.objects.create(org_unit=unit, month=month, status=status, submitted_at=at)

    signoff(tree.ward_a_ben_tre, datetime.date(2026, 9, 1), SignoffStatus.APPROVED)
    signoff(tree.ward_a_ben_tre, datetime.date(2026, 11, 1), SignoffStatus.SUBMITTED)
    signoff(tree.commune_a, datetime.date(2026, 11, 1), SignoffStatus.RETURNED)
    november = Period.parse(month="2026-11")

    rows = _by_code(selectors.reporting_status(user=personas.staff_a, period=november))

    assert rows["28789"].reported is True
    assert rows["28777"].reported is False  # returned: not reported, whatever its weekly reports
    assert rows["28777"].missed is None  # never submitted a month
    october = _by_code(
        selectors.reporting_status(user=personas.staff_a, period=Period.parse(month="2026-10"))
    )
    assert (october["28789"].missed, october["28789"].last_report_at.date()) == (
        1,
        datetime.date(2026, 9, 28),
    )
    december = _by_code(
        selectors.reporting_status(user=personas.staff_a, period=Period.parse(month="2026-12"))
    )
    assert december["28789"].missed == 1


def test_a_leader_sees_their_own_commune_only(personas, tree, reports):
    rows = selectors.reporting_status(user=personas.leader_a, period=W49)
    assert [row.unit.code for row in rows] == ["28777"]


def test_the_units_leader_is_the_contact_before_a_team_leader(as_user, personas, tree):
    VolunteerFactory(home_unit=tree.commune_a, user=personas.leader_a, phone="0911222333")
    personas.leader_a.last_name, personas.leader_a.first_name = "Nguyễn", "Văn Hòa"
    personas.leader_a.save()

    rows = as_user(personas.leader_a).get(reverse("reporting:status")).context["rows"]

    assert [(r.unit.code, r.contact) for r in rows] == [
        ("28777", {"name": "Nguyễn Văn Hòa", "phone": "0911222333"})
    ]
    assert as_user(personas.viewer).get(reverse("reporting:status")).status_code == 403


def test_the_page_shows_the_count_and_the_rows(as_user, personas, tree, reports):
    response = as_user(personas.staff_a).get(reverse("reporting:status"), {"week": "2026-W49"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "2/3 xã, phường chưa báo cáo tuần 49/2026" in html
    assert "Trần Thị Mai" in html and "0912000111" in html
    assert [row.unit.code for row in response.context["rows"]] == ["28756", "28789", "28777"]


def test_a_bad_week_on_the_page_says_so_and_shows_this_week(as_user, personas, tree):
    response = as_user(personas.staff_a).get(reverse("reporting:status"), {"week": "2026-W60"}, follow=True)
    assert response.status_code == 200
    assert "YYYY-Www" in response.content.decode()


def test_the_excel_export_lists_the_filtered_rows_ready_to_read(as_user, personas, tree, reports):
    response = as_user(personas.staff_a).get(
        reverse("reporting:status_export"), {"week": "2026-W49", "status": "unreported"}
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[0] == "Xã, phường" and sheet.freeze_panes == "A2"
    assert [(r[0], r[2], r[6]) for r in rows] == [
        ("Đoàn phường Phú Khương", "không", "chưa từng báo cáo"),
        ("Đoàn phường Bến Tre", "không", 3),
    ]
    assert rows[1][5] == datetime.datetime(2026, 11, 13, 16, 0)  # local time, a real date cell
    assert rows[1][7:9] == ("Trần Thị Mai", "0912000111")


# --- API ----------------------------------------------------------------------------------------


def test_api_status_for_a_week(api_as, personas, tree, reports):
    response = api_as(personas.staff_a).get(
        reverse("reporting-status-list"), {"unit": tree.province_a.pk, "week": "2026-W49"}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["unreported"], body["period"]["code"]) == (3, 2, "2026-W49")
    ben_tre = next(row for row in body["results"] if row["code"] == "28789")
    assert ben_tre | {"last_report_at": None} == {
        "unit": tree.ward_a_ben_tre.pk,
        "code": "28789",
        "name": "Đoàn phường Bến Tre",
        "reported": False,
        "team_count": 1,
        "teams": ["Đội TN Bến Tre"],
        "last_report_at": None,
        "missed": 3,
        "leader_name": "Trần Thị Mai",
        "leader_phone": "0912000111",
        "reminded_at": None,
    }


def test_api_status_for_a_month(api_as, personas, tree, reports):
    body = api_as(personas.staff_a).get(reverse("reporting-status-list"), {"month": "2026-10"}).json()
    assert (body["period"]["kind"], body["unreported"], body["total"]) == ("month", 3, 3)


@pytest.mark.parametrize("params", [{"week": "2026-49"}, {"week": "2026-W54"}, {"month": "2026-13"}])
def test_api_bad_period_is_a_400_naming_the_parameter(api_as, personas, tree, params):
    response = api_as(personas.staff_a).get(reverse("reporting-status-list"), params)
    assert response.status_code == 400
    assert set(response.json()) & {"week", "month"}


def test_api_unit_out_of_scope_is_a_404_and_viewers_get_nothing(api_as, personas, tree, reports):
    url = reverse("reporting-status-list")
    assert api_as(personas.staff_a).get(url, {"unit": tree.province_b.pk}).status_code == 404
    assert api_as(personas.staff_a).get(url, {"unit": "abc"}).status_code == 404
    assert api_as(personas.viewer).get(url).json()["results"] == []


def test_api_query_count_does_not_grow_with_the_rows(
    api_as, personas, tree, reports, django_assert_max_num_queries
):
    client = api_as(personas.staff_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reporting-status-list"), {"week": "2026-W49"}).status_code == 200


def test_the_province_dashboard_counts_the_communes_that_have_not_reported_this_week(as_user, personas, tree):
    from django.utils import timezone

    year, week, _ = timezone.localdate().isocalendar()
    WeeklyReportFactory(team=TeamFactory(org_unit=tree.commune_a), iso_year=year, iso_week=week)

    staff = as_user(personas.staff_a).get(reverse("progress:dashboard", args=[tree.province_a.pk]))
    assert (staff.context["reporting"]["unreported"], staff.context["reporting"]["total"]) == (2, 3)
    assert f"2/3 xã chưa báo cáo tuần {week}" in staff.content.decode()
    viewer = as_user(personas.viewer).get(reverse("progress:dashboard", args=[tree.province_a.pk]))
    assert viewer.context["reporting"]["can_list"] is False  # the count, without the link to names and phones

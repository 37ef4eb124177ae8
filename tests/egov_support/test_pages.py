import datetime
import io
import uuid

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from egov_support.models import HelpSession, ServiceStatistic
from tests.egov_support.factories import HelpSessionFactory, ServiceLineFactory, ServiceStatisticFactory

pytestmark = pytest.mark.django_db

NEW = reverse("egov_support:session_create")
LIST = reverse("egov_support:session_list")
FILTER = reverse("egov_support:session_filter")  # the list's filter, loaded when it is opened
STATS = reverse("egov_support:statistic_list")


def _post_data(egov, **overrides):
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "team": egov.team_a.pk,
        "org_unit": egov.team_a.org_unit.pk,
        "location_kind": "one_stop_desk",
        "address": "Bộ phận một cửa phường",
        "date": "10/09/2025",
        "start_time": "07:30",
        "end_time": "11:00",
        "volunteers": [egov.member_a.pk],
        f"svc-{egov.vneid.pk}-citizens_assisted": "12",
        f"svc-{egov.vneid.pk}-successful": "10",
        f"svc-{egov.dvc.pk}-citizens_assisted": "5",
        f"svc-{egov.dvc.pk}-dossiers_online": "5",
    }
    data.update(overrides)
    return data


def test_form_is_vietnamese_prefilled_and_warns_about_vneid_passwords(egov, personas, as_user):
    response = as_user(personas.leader_a).get(NEW)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ghi nhận buổi hỗ trợ" in html
    assert "mật khẩu VNeID" in html and "OTP" in html
    assert response.context["form"].initial["team"] == egov.team_a
    assert response.context["form"].initial["org_unit"] == egov.team_a.org_unit
    assert 'class="js-once session-form"' in html
    assert "<script>" not in html  # CSP: no inline scripts


def test_leader_logs_a_session_and_sees_it_in_the_list(egov, personas, as_user):
    client = as_user(personas.leader_a)
    response = client.post(NEW, _post_data(egov))

    assert response.status_code == 302
    session = HelpSession.objects.get()
    assert (session.date, session.total_assisted, session.total_successful) == (
        datetime.date(2025, 9, 10),
        17,
        10,
    )
    listing = client.get(LIST)
    assert listing.context["totals"]["assisted"] == 17
    assert egov.team_a.name in listing.content.decode()


def test_double_submit_with_the_same_key_logs_once(egov, personas, as_user):
    client = as_user(personas.leader_a)
    data = _post_data(egov)
    client.post(NEW, data)
    client.post(NEW, data)

    assert HelpSession.objects.count() == 1


def test_errors_keep_the_form_state_and_mark_the_row(egov, personas, as_user):
    data = _post_data(egov, **{f"svc-{egov.vneid.pk}-successful": "20", "address": "Chợ Vĩnh Long"})
    response = as_user(personas.leader_a).post(NEW, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Chợ Vĩnh Long"' in html
    assert f'name="svc-{egov.vneid.pk}-successful" value="20"' in html
    assert "is-invalid" in html
    assert not HelpSession.objects.exists()


def test_a_count_no_session_can_reach_is_refused_on_its_row(egov, personas, as_user):
    """A phone number typed in the count box (seen in a persona run) would have entered every total."""
    data = _post_data(egov, **{f"svc-{egov.vneid.pk}-citizens_assisted": "99999999"})
    response = as_user(personas.leader_a).post(NEW, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Tối đa 2.000 cho một dịch vụ trong một buổi: kiểm tra lại số đã nhập." in html
    assert f'name="svc-{egov.vneid.pk}-citizens_assisted" value="99999999"' in html  # kept, to correct
    assert egov.vneid.pk in response.context["form"].line_errors
    assert not HelpSession.objects.exists()
    data = _post_data(
        egov, **{f"svc-{egov.vneid.pk}-citizens_assisted": "2000", f"svc-{egov.vneid.pk}-successful": "0"}
    )
    assert as_user(personas.leader_a).post(NEW, data).status_code == 302  # a big day still saves


def test_non_numbers_and_reversed_times_are_field_errors(egov, personas, as_user):
    data = _post_data(egov, end_time="06:00", **{f"svc-{egov.dvc.pk}-citizens_assisted": "năm"})
    response = as_user(personas.leader_a).post(NEW, data)

    assert response.status_code == 400
    form = response.context["form"]
    assert "end_time" in form.errors
    assert egov.dvc.pk in form.line_errors
    assert not HelpSession.objects.exists()


def test_duplicate_place_and_day_warns_then_logs_on_confirmation(egov, personas, as_user):
    client = as_user(personas.leader_a)
    client.post(NEW, _post_data(egov))

    warned = client.post(NEW, _post_data(egov))
    assert warned.status_code == 400
    assert warned.context["duplicates"]
    assert HelpSession.objects.count() == 1

    confirmed = client.post(NEW, _post_data(egov, confirm_duplicate="on"))
    assert confirmed.status_code == 302
    assert HelpSession.objects.count() == 2


def test_a_busy_day_names_the_first_five_duplicates_and_says_there_are_more(egov, personas, as_user):
    client = as_user(personas.leader_a)
    for hour in range(7, 14):  # seven sessions at the same desk that day
        client.post(
            NEW,
            _post_data(egov, start_time=f"{hour:02d}:00", end_time=f"{hour:02d}:45", confirm_duplicate="on"),
        )
    assert HelpSession.objects.count() == 7

    warned = client.post(NEW, _post_data(egov))

    assert warned.status_code == 400
    assert [d.start_time.hour for d in warned.context["duplicates"]] == [7, 8, 9, 10, 11]
    html = warned.content.decode()
    assert "Có thể bị trùng" in html and "… và các buổi khác trong cùng ngày." in html
    assert HelpSession.objects.count() == 7


def test_leader_a_cannot_log_for_commune_bs_team(egov, personas, as_user):
    data = _post_data(egov, team=egov.team_b.pk, org_unit=egov.team_b.org_unit.pk, volunteers=[])
    response = as_user(personas.leader_a).post(NEW, data)

    assert response.status_code == 400
    assert "team" in response.context["form"].errors
    assert not HelpSession.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_who_cannot_log_gets_403(egov, personas, as_user, who):
    assert as_user(getattr(personas, who)).get(NEW).status_code == 403


def test_list_and_detail_are_scoped(egov, personas, as_user):
    session_b = HelpSessionFactory(team=egov.team_b)
    ServiceLineFactory(session=session_b, service=egov.vneid)
    client = as_user(personas.staff_a)

    assert session_b not in client.get(LIST).context["page"].object_list
    assert client.get(reverse("egov_support:session_detail", args=[session_b.pk])).status_code == 404
    assert (
        as_user(personas.viewer).get(reverse("egov_support:session_detail", args=[session_b.pk])).status_code
        == 200
    )


def test_list_filters_and_excel_export(egov, personas, as_user, tree):
    for day, service in ((datetime.date(2025, 9, 1), egov.vneid), (datetime.date(2025, 10, 1), egov.dvc)):
        session = HelpSessionFactory(team=egov.team_a, date=day)
        ServiceLineFactory(session=session, service=service, citizens_assisted=7, successful=3)
    client = as_user(personas.staff_a)

    filtered = client.get(LIST, {"service": egov.dvc.pk, "date_from": "15/09/2025"})
    assert filtered.context["totals"]["assisted"] == 7
    assert len(filtered.context["page"].object_list) == 1

    export = client.get(LIST, {"format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][1] == datetime.datetime(2025, 10, 1)
    assert rows[0][:4] == ("Mã buổi", "Ngày", "Từ", "Đến")
    assert rows[1][0] == str(session.pk)  # the newest first: a pivot table counts sessions by it
    assert rows[1][2] == datetime.time(7, 30) and sheet["C2"].number_format == "HH:MM"  # times, not text
    october = client.get(LIST, {"date_from": "01/10/2025", "date_to": "31/10/2025", "format": "xlsx"})
    assert 'filename="buoi-ho-tro-20251001-20251031.xlsx"' in october["Content-Disposition"]

    bad = client.get(LIST, {"date_from": "32/13/2025"})
    assert "date_from" in bad.context["form"].errors


def test_session_list_query_count_is_bounded(egov, personas, as_user, django_assert_max_num_queries):
    client = as_user(personas.staff_a)
    session = HelpSessionFactory(team=egov.team_a)
    ServiceLineFactory(session=session, service=egov.vneid)
    with django_assert_max_num_queries(20) as one:
        client.get(LIST)
    for i in range(30):
        session = HelpSessionFactory(
            team=egov.team_a, date=datetime.date(2025, 8, 1) + datetime.timedelta(days=i)
        )
        ServiceLineFactory(session=session, service=egov.vneid)
        ServiceLineFactory(session=session, service=egov.dvc)
        session.volunteers.add(egov.member_a)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(LIST)


def test_follow_up_contact_needs_consent_on_the_page(egov, personas, as_user):
    session = HelpSessionFactory(team=egov.team_a)
    ServiceLineFactory(session=session, service=egov.vneid)
    url = reverse("egov_support:session_detail", args=[session.pk])
    client = as_user(personas.leader_a)
    data = {"name": "Trần Văn D", "phone": "0912345678", "purpose": "Báo kết quả", "purge_on": "2026-12-01"}

    refused = client.post(url, data)
    assert refused.status_code == 400
    assert not session.contacts.exists()

    kept = client.post(url, {**data, "consent_given": "on"})
    assert kept.status_code == 302
    assert session.contacts.get().phone == "0912345678"
    assert as_user(personas.staff_b).post(url, {**data, "consent_given": "on"}).status_code == 404


# --- Statistics -----------------------------------------------------------------------------------


def test_statistics_page_rate_is_a_ratio_of_sums(tree, personas, as_user):
    ServiceStatisticFactory(org_unit=tree.commune_a, dossiers_total=10, dossiers_online=1)
    ServiceStatisticFactory(org_unit=tree.sibling_a, dossiers_total=90, dossiers_online=90)
    ServiceStatisticFactory(org_unit=tree.commune_b, dossiers_total=50, dossiers_online=50)

    response = as_user(personas.staff_a).get(STATS)

    assert response.context["totals"]["rate"] == pytest.approx(0.91)  # 91/100, not (10% + 100%)/2
    assert [m["rate"] for m in response.context["by_month"]] == [pytest.approx(0.91)]
    assert "91,0 %" in response.content.decode()


def test_staff_b_cannot_see_or_edit_province_as_statistics(tree, personas, as_user):
    statistic = ServiceStatisticFactory(org_unit=tree.commune_a, dossiers_total=10, dossiers_online=1)
    client = as_user(personas.staff_b)
    edit = reverse("egov_support:statistic_edit", args=[statistic.pk])

    assert statistic not in client.get(STATS).context["page"].object_list
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"dossiers_total": 10, "dossiers_online": 9}).status_code == 404
    assert ServiceStatistic.objects.get().dossiers_online == 1


def test_staff_enter_and_edit_statistics_with_field_errors(tree, personas, as_user):
    client = as_user(personas.staff_a)
    new = reverse("egov_support:statistic_create")
    data = {
        "org_unit": tree.commune_a.pk,
        "month": "09/2025",
        "source": "provincial_portal",
        "dossiers_total": 50,
        "dossiers_online": 60,
    }

    bad = client.post(new, data)
    assert bad.status_code == 400 and "dossiers_online" in bad.context["form"].errors
    bad_month = client.post(new, {**data, "month": "2025/13", "dossiers_online": 5})
    assert "month" in bad_month.context["form"].errors
    assert not ServiceStatistic.objects.exists()

    assert client.post(new, {**data, "dossiers_online": 20}).status_code == 302
    statistic = ServiceStatistic.objects.get()
    edit = reverse("egov_support:statistic_edit", args=[statistic.pk])
    assert client.post(edit, {"dossiers_total": 50, "dossiers_online": 25}).status_code == 302
    statistic.refresh_from_db()
    assert (statistic.month, statistic.dossiers_online) == (datetime.date(2025, 9, 1), 25)


def test_leader_cannot_enter_statistics(tree, personas, as_user):
    assert as_user(personas.leader_a).get(reverse("egov_support:statistic_create")).status_code == 403
    assert as_user(personas.leader_a).get(reverse("egov_support:statistic_import")).status_code == 403


def test_template_lists_the_staff_provinces_unit_codes(tree, personas, as_user):
    response = as_user(personas.staff_a).get(reverse("egov_support:statistic_template"))

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:5] == ("Mã đơn vị", "Tên đơn vị", "Tháng", "Tổng hồ sơ", "Hồ sơ trực tuyến")
    codes = {row[0] for row in rows[1:]}
    assert codes == {"86", "28777", "28756", "28789"}  # Vĩnh Long's units, none of Thanh Hóa's
    assert as_user(personas.leader_a).get(reverse("egov_support:statistic_template")).status_code == 403


def test_import_page_previews_then_confirms(tree, personas, as_user):
    client = as_user(personas.staff_a)
    url = reverse("egov_support:statistic_import")
    body = "\ufeffMã đơn vị,Tên đơn vị,Tháng,Tổng hồ sơ,Hồ sơ trực tuyến\n28777,An Hội,09/2025,100,30\n"

    bad = client.post(url, {"file": SimpleUploadedFile("t.csv", body.replace("100,30", "10,30").encode())})
    assert bad.status_code == 400
    assert "Dòng 2" in bad.content.decode()

    preview = client.post(url, {"file": SimpleUploadedFile("t.csv", body.encode())})
    assert preview.status_code == 200
    assert not ServiceStatistic.objects.exists()
    token = preview.context["token"]

    done = client.post(url, {"confirm": "1", "token": token})
    assert done.status_code == 302
    assert ServiceStatistic.objects.get().dossiers_online == 30
    replay = client.post(url, {"confirm": "1", "token": token})
    assert replay.status_code == 302  # the token is spent: back to the upload, nothing new
    assert ServiceStatistic.objects.count() == 1


def test_statistics_list_query_count_is_bounded(tree, personas, as_user, django_assert_max_num_queries):
    client = as_user(personas.staff_a)
    ServiceStatisticFactory(org_unit=tree.commune_a)
    with django_assert_max_num_queries(20) as one:
        client.get(STATS)
    for month in range(1, 13):
        for unit in (tree.commune_a, tree.sibling_a, tree.ward_a_ben_tre):
            ServiceStatisticFactory(org_unit=unit, month=datetime.date(2024, month, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(STATS)


def test_the_team_the_leader_leads_is_preselected_among_several(egov, personas, as_user):
    from tests.egov_support.factories import MembershipFactory, TeamFactory

    TeamFactory(org_unit=egov.team_a.org_unit, name="Đội hỗ trợ chính quyền hai cấp")
    led = TeamFactory(org_unit=egov.team_a.org_unit, name="Tổ công nghệ số cộng đồng")
    membership = MembershipFactory(team=led, role="leader")
    membership.volunteer.user = personas.leader_a
    membership.volunteer.save()

    response = as_user(personas.leader_a).get(NEW)

    assert response.context["form"].initial["team"] == led


def test_the_list_shows_a_new_session_at_once_and_never_another_scopes_rows(egov, personas, as_user):
    from django.test import Client

    client = as_user(personas.leader_a)
    assert "10/09/2025" not in client.get(LIST).content.decode()
    response = client.post(NEW, _post_data(egov))
    assert response.status_code == 302
    assert "10/09/2025" in client.get(LIST).content.decode()

    other = Client()
    other.force_login(personas.staff_b, backend="django.contrib.auth.backends.ModelBackend")
    assert "10/09/2025" not in other.get(LIST).content.decode()


def test_the_form_shows_only_the_chosen_teams_roster_and_loads_another_on_change(egov, personas, as_user):
    """A province has thousands of volunteers: the form carries one team's roster, htmx fetches the next."""
    from tests.egov_support.factories import MembershipFactory, TeamFactory

    other_team = TeamFactory(org_unit=egov.team_a.org_unit, name="Đội hình thứ hai")
    stranger = MembershipFactory(team=other_team).volunteer
    client = as_user(personas.staff_a)
    page = client.get(NEW, {"team": egov.team_a.pk}).content.decode()
    form = client.get(NEW).content.decode()
    assert 'hx-get="/help-sessions/roster/"' in form and 'id="volunteer-choices"' in form
    assert f'value="{stranger.pk}"' not in form  # not every volunteer of the province

    roster = client.get(reverse("egov_support:session_roster"), {"team": other_team.pk})
    assert roster.status_code == 200
    assert f'value="{stranger.pk}"' in roster.content.decode()
    assert f'value="{egov.member_a.pk}"' not in roster.content.decode()
    assert page  # the form itself renders whatever the query string


def test_the_roster_of_another_units_team_is_not_found(egov, personas, as_user):
    client = as_user(personas.leader_a)
    url = reverse("egov_support:session_roster")
    assert client.get(url, {"team": egov.team_b.pk}).status_code == 404
    assert client.get(url, {"team": "x"}).status_code == 200  # no team: nothing to show
    body = client.get(url, {"team": egov.team_a.pk, "volunteers": [egov.member_a.pk]}).content.decode()
    assert f'value="{egov.member_a.pk}" id="vol-{egov.member_a.pk}" checked' in body


def test_the_pager_counts_what_the_list_shows_without_a_count_query(egov, personas, as_user):
    from egov_support import views

    for i in range(views.SESSION_PAGE_SIZE + 1):
        session = HelpSessionFactory(
            team=egov.team_a, date=datetime.date(2025, 8, 1) + datetime.timedelta(days=i % 28)
        )
        ServiceLineFactory(session=session, service=egov.dvc)
        if i == 0:  # a session with lines of two services is still one row
            ServiceLineFactory(session=session, service=egov.vneid)
    client = as_user(personas.staff_a)

    first = client.get(LIST)
    assert first.context["page"].paginator.num_pages == 2
    assert first.context["totals"]["sessions"] == views.SESSION_PAGE_SIZE + 1
    by_service = client.get(LIST, {"service": egov.dvc.pk, "page": 2})
    assert by_service.context["page"].paginator.count == views.SESSION_PAGE_SIZE + 1
    assert len(by_service.context["page"].object_list) == 1

    # The count comes with the totals (one aggregate over the sessions' stored totals): no separate
    # COUNT(*) for the pager.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        again = client.get(LIST, {"page": 1})
    assert again.context["page"].paginator.num_pages == 2
    assert "Trang 1/2" in again.content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "SUM(" in counts[0].upper(), counts


def _select(html: str, name: str) -> str:
    """The filter's <select name=...> element, options and all."""
    import re

    found = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert found, f"no {name} select"
    return found.group(0)


def test_a_session_logged_shows_its_row_and_the_filter_still_offers_its_team(egov, personas, as_user):
    HelpSessionFactory(team=egov.team_a, date=datetime.date(2025, 9, 1))  # the unit has sessions
    client = as_user(personas.staff_a)
    client.get(LIST)
    assert client.post(NEW, _post_data(egov)).status_code == 302

    html = client.get(LIST).content.decode()

    assert "10/09/2025" in html  # the new row
    assert egov.team_a.name in _select(client.get(FILTER).content.decode(), "team")


# The unit filter offers no list to go stale: it is typed into (core.widgets.UnitPicker).
@pytest.mark.parametrize("change", ["a new team", "a new campaign"])
def test_what_the_filter_offers_shows_at_once(change, egov, personas, as_user, tree):
    from tests.egov_support.factories import CampaignFactory, TeamFactory

    HelpSessionFactory(team=egov.team_a, date=datetime.date(2025, 9, 1))
    TeamFactory(org_unit=tree.sibling_a, name="Tổ công nghệ số cộng đồng Phú Khương")
    client = as_user(personas.staff_a)
    before = client.get(FILTER).content.decode()
    if change == "a new team":
        TeamFactory(org_unit=tree.commune_a, name="Đội hình thanh niên khu phố 3")
        name, expected = "team", "Đội hình thanh niên khu phố 3"
    else:
        CampaignFactory(org_unit=tree.province_a, name="Chiến dịch Mùa hè xanh 2025")
        name, expected = "campaign", "Chiến dịch Mùa hè xanh 2025"
    assert expected not in _select(before, name)

    after = client.get(FILTER).content.decode()

    assert expected in _select(after, name)


def test_the_filter_never_offers_another_scopes_teams(egov, personas, as_user):
    from django.test import Client

    HelpSessionFactory(team=egov.team_a, date=datetime.date(2025, 9, 1))
    assert egov.team_a.name in _select(as_user(personas.staff_a).get(FILTER).content.decode(), "team")

    other = Client()
    other.force_login(personas.staff_b, backend="django.contrib.auth.backends.ModelBackend")
    teams = _select(other.get(FILTER).content.decode(), "team")

    assert egov.team_b.name in teams
    assert egov.team_a.name not in teams


def test_the_closed_filter_loads_its_choices_when_opened_and_an_applied_one_shows_them(
    egov, personas, as_user
):
    HelpSessionFactory(team=egov.team_a, date=datetime.date(2025, 9, 1))
    client = as_user(personas.staff_a)

    closed = client.get(LIST, {"page": 1}).content.decode()  # paging is not filtering
    assert 'name="team"' not in closed
    assert f'hx-get="{FILTER}"' in closed
    assert '<details class="mb-3" id="session-filter">' in closed

    applied = client.get(LIST, {"team": egov.team_a.pk, "date_from": "01/09/2025"}).content.decode()
    # Closed (on a phone it filled the first screen), its summary saying what it selects.
    assert '<details class="mb-3" id="session-filter">' in applied
    assert f'session-filter-chip">{egov.team_a.name}</span>' in applied
    assert 'session-filter-chip">01/09/2025–…</span>' in applied
    assert f'<option value="{egov.team_a.pk}" selected>' in _select(applied, "team")

    wrong = client.get(LIST, {"date_from": "31/02/2025"}).content.decode()
    assert "open>" in wrong and 'name="date_from"' in wrong  # the error is shown, on its field


def test_a_wrong_field_leaves_the_others_filtering_the_list_and_its_export(egov, personas, as_user):
    """A team and a date that does not exist: the team still filters, the date says what is wrong."""
    from tests.egov_support.factories import TeamFactory

    mine = HelpSessionFactory(team=egov.team_a, date=datetime.date(2025, 9, 1))
    other_team = TeamFactory(org_unit=egov.team_a.org_unit, name="Tổ công nghệ số cộng đồng An Hội")
    other = HelpSessionFactory(team=other_team, date=datetime.date(2025, 9, 2))
    for session in (mine, other):  # the export has a row per service line
        ServiceLineFactory(session=session, service=egov.dvc)
    client = as_user(personas.staff_a)

    response = client.get(LIST, {"team": egov.team_a.pk, "date_from": "31/02/2025"})

    assert {s.pk for s in response.context["page"].object_list} == {mine.pk} != {other.pk}
    html = response.content.decode()
    assert "Nhập một ngày hợp lệ." in html and "filter-not-applied" in html
    export = client.get(LIST, {"team": egov.team_a.pk, "date_from": "31/02/2025", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {row[4] for row in rows} == {egov.team_a.name}


def test_the_log_button_is_offered_to_the_leader_not_to_a_viewer_of_the_same_rows(
    egov, personas, as_user, tree
):
    """A viewer of the leader's commune sees the same rows, but no "log a session" button."""
    from tests.conftest import _person

    viewer = _person("vic_viewer_a", "viewer", tree.commune_a)
    HelpSessionFactory(team=egov.team_a, date=datetime.date(2025, 9, 1))
    leader_html = as_user(personas.leader_a).get(LIST).content.decode()
    viewer_html = as_user(viewer).get(LIST).content.decode()

    assert f'href="{NEW}"' in leader_html
    assert f'href="{NEW}"' not in viewer_html
    assert egov.team_a.name in viewer_html  # the same scope's rows


def test_the_message_after_logging_is_shown_once_on_the_list(egov, personas, as_user):
    client = as_user(personas.leader_a)
    client.get(LIST)
    response = client.post(NEW, _post_data(egov), follow=True)
    html = response.content.decode()
    assert 'role="alert"' in html and "17" in html  # "Help session logged: 17 citizens assisted."

    again = client.get(LIST).content.decode()
    assert 'role="alert"' not in again


def test_the_session_form_takes_24_hour_times_typed_on_a_keypad(egov, personas, as_user):
    client = as_user(personas.leader_a)
    form = client.get(NEW).content.decode()
    assert 'name="start_time"' in form and 'type="time"' not in form and 'inputmode="numeric"' in form

    response = client.post(NEW, _post_data(egov, start_time="1330", end_time="17.45"))

    assert response.status_code == 302
    session = HelpSession.objects.latest("pk")
    assert (session.start_time, session.end_time) == (datetime.time(13, 30), datetime.time(17, 45))


def test_a_time_that_is_not_hh_mm_is_refused_with_the_field_named(egov, personas, as_user):
    response = as_user(personas.leader_a).post(NEW, _post_data(egov, start_time="3:00 PM"))

    assert response.status_code == 400  # the form again, with the error under the field
    assert HelpSession.objects.count() == 0
    assert "Từ giờ: nhập giờ dạng HH:MM theo 24 giờ" in response.content.decode()

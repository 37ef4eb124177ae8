"""A submitted or approved month is locked on every write path: the same message, nothing changed.

One check (``signoff.services.month_lock_check``) sits in the services; this test tries each path a
person or a program can take to the figures of a locked month (pages, API, admin, imports) and
asserts the message they get and that not a row moved.
"""

import datetime
import re
import uuid

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from egov_support import services as egov_services
from egov_support.models import HelpSession, ServiceLine, ServiceStatistic
from signoff import services
from tests.egov_support.factories import MembershipFactory, ServiceFactory, TeamFactory, VolunteerFactory
from volunteers import services as volunteer_services
from volunteers.models import Activity, Membership, Volunteer

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2026, 11, 1)
MESSAGE = (
    "Tháng 11/2026 của Đoàn phường An Hội đã được duyệt và khóa sổ: không thể thay đổi số liệu của "
    "tháng này. Đề nghị cán bộ Tỉnh đoàn mở khóa nếu cần sửa."
)
MESSAGES = {
    "approved": MESSAGE,
    "submitted": (
        "Tháng 11/2026 của Đoàn phường An Hội đã gửi duyệt: không thể thay đổi số liệu trong lúc Tỉnh đoàn "
        "xem xét. Muốn sửa, hãy rút lại tháng này, hoặc đề nghị cán bộ Tỉnh đoàn trả lại."
    ),
}


@pytest.fixture(autouse=True)
def _december():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def locked_state():
    """How far November has gone: "approved" (a test parametrizes it to "submitted" too)."""
    return "approved"


@pytest.fixture
def world(tree, personas, locked_state):
    """A team of An Hội with a help session, an activity and statistics in November, submitted and
    (unless ``locked_state`` says "submitted") approved."""
    team = TeamFactory(org_unit=tree.commune_a, name="Đội hình CĐS phường An Hội")
    member = MembershipFactory(team=team).volunteer
    newcomer = VolunteerFactory(home_unit=tree.commune_a)  # in no team yet
    vneid = ServiceFactory(code="vneid-level2", name_vi="Kích hoạt tài khoản định danh điện tử mức độ 2")
    session = egov_services.help_session_create(
        by=personas.leader_a,
        team=team,
        location_kind="one_stop_desk",
        address="Bộ phận một cửa phường",
        date=datetime.date(2026, 11, 20),
        start_time=datetime.time(7, 30),
        end_time=datetime.time(11, 0),
        lines=[{"service": vneid, "citizens_assisted": 12, "successful": 10}],
        volunteers=[member],
    )
    activity, _created = volunteer_services.activity_create(
        by=personas.leader_a,
        team=team,
        date=datetime.date(2026, 11, 15),
        kind=Activity.Kind.COMMUNICATION,
        title="Tuyên truyền VNeID",
        participants=40,
        volunteers_count=6,
        volunteer_hours=12,
    )
    statistic, _status = egov_services.service_statistic_save(
        by=personas.staff_a, org_unit=tree.commune_a, month=NOVEMBER, dossiers_total=100, dossiers_online=25
    )
    signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    if locked_state == "approved":
        services.month_approve(by=personas.staff_a, signoff=signoff)
    return type(
        "World",
        (),
        {
            "team": team,
            "member": member,
            "vneid": vneid,
            "session": session,
            "activity": activity,
            "statistic": statistic,
            "newcomer": newcomer,
            "tree": tree,
            "personas": personas,
        },
    )


def _snapshot():
    return {
        "sessions": list(HelpSession.objects.order_by("pk").values()),
        "lines": list(ServiceLine.objects.order_by("pk").values()),
        "activities": list(Activity.objects.order_by("pk").values()),
        "statistics": list(ServiceStatistic.objects.order_by("pk").values()),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "volunteers": Volunteer.objects.count(),
    }


def _value(field, value):
    value = field.prepare_value(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    return "" if value is None else value


def _form_data(form) -> dict:
    """What the browser would send back for ``form`` as shown (unchanged fields)."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[form.add_prefix(name)] = "on"
            continue
        data[form.add_prefix(name)] = _value(field, value)
    return data


def _admin_data(client, url: str, **changes) -> dict:
    shown = client.get(url)
    assert shown.status_code == 200
    data = _form_data(shown.context["adminform"].form)
    for inline in shown.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    data.update(changes)
    return data


def _session_page_data(world, **changes) -> dict:
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "team": world.team.pk,
        "org_unit": world.team.org_unit.pk,
        "location_kind": "one_stop_desk",
        "address": "Bộ phận một cửa phường",
        "date": "20/11/2026",
        "start_time": "07:30",
        "end_time": "11:00",
        "volunteers": [world.member.pk],
        f"svc-{world.vneid.pk}-citizens_assisted": "15",
        f"svc-{world.vneid.pk}-successful": "10",
    }
    data.update(changes)
    return data


def _seen(response) -> str:
    """The page the person ends on (after a redirect), as text."""
    return response.content.decode()


# --- Pages -----------------------------------------------------------------------------------


def page_session_edit(world, as_user, api_as):
    client = as_user(world.personas.leader_a)
    url = reverse("egov_support:session_edit", args=[world.session.pk])
    response = client.post(url, _session_page_data(world, idempotency_key=str(world.session.idempotency_key)))
    assert response.status_code in (200, 400)  # the form again, with the refusal on it
    return _seen(response)


def page_session_create(world, as_user, api_as):
    response = as_user(world.personas.leader_a).post(
        reverse("egov_support:session_create"), _session_page_data(world, date="25/11/2026")
    )
    assert response.status_code in (200, 400)  # the form again, with the refusal on it
    return _seen(response)


def page_session_delete(world, as_user, api_as):
    response = as_user(world.personas.leader_a).post(
        reverse("egov_support:session_delete", args=[world.session.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("egov_support:session_detail", args=[world.session.pk])
    return _seen(response)


def page_activity_log(world, as_user, api_as):
    response = as_user(world.personas.leader_a).post(
        reverse("volunteers:activity_log"),
        {
            "idempotency_key": str(uuid.uuid4()),
            "team": world.team.pk,
            "date": "16/11/2026",
            "kind": Activity.Kind.COMMUNICATION,
            "participants": "10",
            "volunteers_count": "2",
            "volunteer_hours": "4",
        },
    )
    assert response.status_code in (200, 400)  # the form again, with the refusal on it
    return _seen(response)


def page_activity_edit(world, as_user, api_as):
    client = as_user(world.personas.leader_a)
    url = reverse("volunteers:activity_edit", args=[world.activity.pk])
    data = _form_data(client.get(url).context["form"])
    data.pop("photos", None)
    response = client.post(url, {**data, "participants": "55"})
    assert response.status_code in (200, 400)  # the form again, with the refusal on it
    return _seen(response)


def page_statistic_edit(world, as_user, api_as):
    response = as_user(world.personas.staff_a).post(
        reverse("egov_support:statistic_edit", args=[world.statistic.pk]),
        {
            "org_unit": world.tree.commune_a.pk,
            "month": "11/2026",
            "source": "provincial_portal",
            "dossiers_total": "120",
            "dossiers_online": "30",
        },
    )
    assert response.status_code in (200, 400)  # the form again, with the refusal on it
    return _seen(response)


# --- API -------------------------------------------------------------------------------------


def _api_error(response) -> str:
    assert response.status_code == 400, response.content
    return " ".join(response.json()["non_field_errors"])


def api_session_create(world, as_user, api_as):
    return _api_error(
        api_as(world.personas.leader_a).post(
            "/api/v1/help-sessions/",
            {
                "team": world.team.pk,
                "location_kind": "one_stop_desk",
                "date": "2026-11-25",
                "start_time": "07:30",
                "end_time": "11:00",
                "lines": [{"service": "vneid-level2", "citizens_assisted": 3}],
            },
            format="json",
        )
    )


def api_session_bulk(world, as_user, api_as):
    response = api_as(world.personas.leader_a).post(
        "/api/v1/help-sessions/bulk/",
        [
            {
                "team": world.team.pk,
                "location_kind": "one_stop_desk",
                "date": "2026-11-25",
                "start_time": "07:30",
                "end_time": "11:00",
                "lines": [{"service": "vneid-level2", "citizens_assisted": 3}],
            }
        ],
        format="json",
    )
    assert response.status_code == 400
    return response.content.decode("unicode_escape").encode("latin-1").decode("utf-8")


def api_activity_create(world, as_user, api_as):
    return _api_error(
        api_as(world.personas.leader_a).post(
            "/api/v1/activities/",
            {"team": world.team.pk, "date": "2026-11-16", "kind": "communication", "participants": 5},
            format="json",
        )
    )


def api_activity_update(world, as_user, api_as):
    return _api_error(
        api_as(world.personas.leader_a).patch(
            f"/api/v1/activities/{world.activity.pk}/", {"participants": 99}, format="json"
        )
    )


def api_activity_moved_out(world, as_user, api_as):
    """Moving an activity out of the locked month changes that month too."""
    return _api_error(
        api_as(world.personas.leader_a).patch(
            f"/api/v1/activities/{world.activity.pk}/", {"date": "2026-12-01"}, format="json"
        )
    )


def api_statistic_create(world, as_user, api_as):
    return _api_error(
        api_as(world.personas.staff_a).post(
            "/api/v1/service-stats/",
            {
                "org_unit": world.tree.commune_a.pk,
                "month": "11/2026",
                "source": "national_portal",
                "dossiers_total": 10,
                "dossiers_online": 1,
            },
            format="json",
        )
    )


def api_statistic_update(world, as_user, api_as):
    return _api_error(
        api_as(world.personas.staff_a).patch(
            f"/api/v1/service-stats/{world.statistic.pk}/", {"dossiers_online": 26}, format="json"
        )
    )


def api_membership_create(world, as_user, api_as):
    return _api_error(
        api_as(world.personas.leader_a).post(
            "/api/v1/memberships/",
            {"team": world.team.pk, "volunteer": world.newcomer.pk, "joined_on": "2026-11-10"},
            format="json",
        )
    )


# --- Admin -----------------------------------------------------------------------------------


def _admin_refusal(client, url, data) -> str:
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, response.content[:2000]
    return _seen(response)


def admin_session_change(world, as_user, api_as):
    client = as_user(world.personas.staff_a)
    url = f"/admin/egov_support/helpsession/{world.session.pk}/change/"
    response = client.post(url, _admin_data(client, url, address="Nhà văn hóa khu phố 3"))
    assert response.status_code == 200  # the admin form again, with the service's refusal on it
    return _seen(response)


def admin_session_delete(world, as_user, api_as):
    client = as_user(world.personas.staff_a)
    url = f"/admin/egov_support/helpsession/{world.session.pk}/delete/"
    return _admin_refusal(client, url, {"post": "yes"})


def admin_session_delete_selected(world, as_user, api_as):
    client = as_user(world.personas.staff_a)
    data = {"action": "delete_selected", "_selected_action": [world.session.pk], "post": "yes"}
    return _admin_refusal(client, "/admin/egov_support/helpsession/", data)


def admin_activity_change(world, as_user, api_as):
    client = as_user(world.personas.staff_a)
    url = f"/admin/volunteers/activity/{world.activity.pk}/change/"
    return _admin_refusal(client, url, _admin_data(client, url, participants="77"))


def admin_activity_delete(world, as_user, api_as):
    client = as_user(world.personas.staff_a)
    return _admin_refusal(client, f"/admin/volunteers/activity/{world.activity.pk}/delete/", {"post": "yes"})


def admin_statistic_change(world, as_user, api_as):
    client = as_user(world.personas.staff_a)
    url = f"/admin/egov_support/servicestatistic/{world.statistic.pk}/change/"
    return _admin_refusal(client, url, _admin_data(client, url, dossiers_online="27"))


def admin_statistic_delete(world, as_user, api_as):
    client = as_user(world.personas.staff_a)
    url = f"/admin/egov_support/servicestatistic/{world.statistic.pk}/delete/"
    return _admin_refusal(client, url, {"post": "yes"})


# --- Imports ---------------------------------------------------------------------------------


def import_statistics(world, as_user, api_as):
    upload = SimpleUploadedFile(
        "thong-ke.csv",
        "Mã đơn vị,Tên đơn vị,Tháng,Tổng hồ sơ,Hồ sơ trực tuyến,Thanh toán trực tuyến,Nguồn\n"
        "28777,Đoàn phường An Hội,11/2026,130,40,,tỉnh\n".encode("utf-8-sig"),
    )
    result = egov_services.service_statistics_import(by=world.personas.staff_a, upload=upload, dry_run=False)
    assert not result.report.is_clean
    return " ".join(f"{e.row} {e.column}: {e.message}" for e in result.report.errors)


def import_roster(world, as_user, api_as):
    upload = SimpleUploadedFile(
        "roster.csv",
        "Họ,Đệm,Tên,Năm sinh,Giới tính,Điện thoại,Email,Mã đoàn viên,Mã đơn vị,Vai trò,Ngày vào đội,"
        "Ngày đồng ý,Kỹ năng\n"
        "Nguyễn,Văn,An,2001,Nam,0912 345 678,,,28777,Thành viên,10/11/2026,10/11/2026,VNeID\n".encode(
            "utf-8-sig"
        ),
    )
    report = volunteer_services.roster_import(
        by=world.personas.leader_a, team=world.team, upload=upload, consent_purpose="Đội", dry_run=False
    )
    assert not report.is_clean
    return " ".join(f"{e.row} {e.column}: {e.message}" for e in report.errors)


WRITE_PATHS = [
    page_session_edit,
    page_session_create,
    page_session_delete,
    page_activity_log,
    page_activity_edit,
    page_statistic_edit,
    api_session_create,
    api_session_bulk,
    api_activity_create,
    api_activity_update,
    api_activity_moved_out,
    api_statistic_create,
    api_statistic_update,
    api_membership_create,
    admin_session_change,
    admin_session_delete,
    admin_session_delete_selected,
    admin_activity_change,
    admin_activity_delete,
    admin_statistic_change,
    admin_statistic_delete,
    import_statistics,
    import_roster,
]


@pytest.mark.parametrize("locked_state", ["approved", "submitted"])
@pytest.mark.parametrize("write", WRITE_PATHS, ids=[w.__name__ for w in WRITE_PATHS])
def test_a_locked_month_refuses_every_write_path_with_the_same_message(
    world, as_user, api_as, write, locked_state
):
    before = _snapshot()

    seen = write(world, as_user, api_as)

    assert MESSAGES[locked_state] in seen
    assert _snapshot() == before


def test_after_unlock_the_same_edit_saves(world, as_user, api_as):
    signoff = services.month_unlock(
        by=world.personas.staff_a,
        signoff=world.session.org_unit.month_signoffs.get(month=NOVEMBER),
        reason="Sửa số người được hỗ trợ ngày 20/11",
    )
    assert signoff.status == "unlocked"
    response = api_as(world.personas.leader_a).patch(
        f"/api/v1/activities/{world.activity.pk}/", {"participants": 99}, format="json"
    )
    assert response.status_code == 200
    assert Activity.objects.get(pk=world.activity.pk).participants == 99


def test_unchanged_statistics_of_a_locked_month_reimport_cleanly(world):
    upload = SimpleUploadedFile(
        "thong-ke.csv",
        "Mã đơn vị,Tên đơn vị,Tháng,Tổng hồ sơ,Hồ sơ trực tuyến,Thanh toán trực tuyến,Nguồn\n"
        "28777,Đoàn phường An Hội,11/2026,100,25,,tỉnh\n".encode("utf-8-sig"),
    )
    result = egov_services.service_statistics_import(by=world.personas.staff_a, upload=upload, dry_run=False)
    assert result.report.is_clean and result.report.unchanged == 1


def test_a_resend_of_a_session_logged_before_approval_answers_with_it(world):
    again = egov_services.help_session_create(
        by=world.personas.leader_a,
        team=world.team,
        location_kind="one_stop_desk",
        date=datetime.date(2026, 11, 20),
        start_time=datetime.time(7, 30),
        end_time=datetime.time(11, 0),
        lines=[{"service": world.vneid, "citizens_assisted": 12}],
        idempotency_key=world.session.idempotency_key,
    )
    assert again == world.session


def test_a_session_of_a_locked_month_shows_why_instead_of_correct_and_delete(world, as_user):
    url = reverse("egov_support:session_detail", args=[world.session.pk])
    edit = reverse("egov_support:session_edit", args=[world.session.pk])
    for persona in (world.personas.leader_a, world.personas.staff_a):
        body = as_user(persona).get(url).content.decode()
        assert MESSAGE in body
        assert edit not in body and "js-confirm" not in body  # neither "Sửa" nor "Xóa"
    signoff = world.session.org_unit.month_signoffs.get(month=NOVEMBER)
    services.month_unlock(by=world.personas.staff_a, signoff=signoff, reason="Sửa số người được hỗ trợ")
    body = as_user(world.personas.leader_a).get(url).content.decode()
    assert MESSAGE not in body and edit in body


@pytest.mark.parametrize("locked_state", ["approved", "submitted"])
def test_every_edit_page_of_a_locked_month_says_why_when_it_opens_and_cannot_be_sent(
    world, as_user, locked_state
):
    """The persona opened a locked session's edit page by its address, typed, and only then was told:
    each edit page of a locked month's figures says why at once, its save button disabled."""
    pages = [
        (world.personas.leader_a, reverse("egov_support:session_edit", args=[world.session.pk])),
        (world.personas.leader_a, reverse("volunteers:activity_edit", args=[world.activity.pk])),
        (world.personas.staff_a, reverse("egov_support:statistic_edit", args=[world.statistic.pk])),
    ]
    for persona, url in pages:
        body = as_user(persona).get(url).content.decode()
        lock = re.search(r'class="alert alert-secondary form-lock" role="status">(.*?)</div>', body, re.S)
        assert lock and lock.group(1).strip() == MESSAGES[locked_state], url
        assert re.search(r'<button[^>]*type="submit"[^>]*disabled>', body), url
        assert "<fieldset disabled>" in body, url  # nothing to type that cannot be saved
        month = reverse("signoff:unit_months", args=[world.tree.commune_a.pk]) + "#month-2026-11"
        assert f'class="btn btn-outline-secondary btn-touch mb-3 lock-month" href="{month}"' in body, url
    signoff = world.session.org_unit.month_signoffs.get(month=NOVEMBER)
    if locked_state == "approved":
        services.month_unlock(by=world.personas.staff_a, signoff=signoff, reason="Sửa số người được hỗ trợ")
    else:
        services.month_withdraw(by=world.personas.leader_a, signoff=signoff)
    for persona, url in pages:
        body = as_user(persona).get(url).content.decode()
        assert "form-lock" not in body and MESSAGES[locked_state] not in body, url
        assert "<fieldset disabled>" not in body and "lock-month" not in body, url

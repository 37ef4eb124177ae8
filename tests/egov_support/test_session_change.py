"""A help session is corrected or deleted by whoever logs for its team for 7 days, then by staff only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from egov_support import services
from egov_support.models import HelpSession
from tests.egov_support.factories import HelpSessionFactory, ServiceLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(egov, personas):
    session = HelpSessionFactory(team=egov.team_a, created_by=personas.leader_a)
    ServiceLineFactory(
        session=session, service=egov.vneid, citizens_assisted=4, dossiers_online=0, successful=0
    )
    return session


def _age(session, days: int) -> HelpSession:
    HelpSession.objects.filter(pk=session.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    return HelpSession.objects.select_related("team__org_unit", "org_unit").get(pk=session.pk)


def test_leader_corrects_within_seven_days_with_history(session, personas, egov):
    line = {"service": egov.vneid, "citizens_assisted": 6, "dossiers_online": 0, "successful": 0}

    services.help_session_update(by=personas.leader_a, session=session, address="Chợ mới", lines=[line])

    session.refresh_from_db()
    assert (session.address, session.total_assisted) == ("Chợ mới", 6)
    assert [h.history_type for h in session.history.order_by("history_id")] == ["+", "~"]


def test_after_seven_days_only_province_staff_may_change_it(session, personas, egov, as_user):
    old = _age(session, 8)
    assert not services.can_change_help_session(personas.leader_a, old)
    with pytest.raises(PermissionDenied, match="7 ngày"):
        services.help_session_update(by=personas.leader_a, session=old, address="x")
    with pytest.raises(PermissionDenied):
        services.help_session_delete(by=personas.leader_a, session=old)
    leader = as_user(personas.leader_a)
    assert leader.get(reverse("egov_support:session_edit", args=[old.pk])).status_code == 403
    assert leader.post(reverse("egov_support:session_delete", args=[old.pk])).status_code == 403
    assert (
        "session-actions"
        not in leader.get(reverse("egov_support:session_detail", args=[old.pk])).content.decode()
    )
    assert HelpSession.objects.get(pk=old.pk).address == session.address

    services.help_session_update(by=personas.staff_a, session=old, address="Sửa bởi Tỉnh đoàn")
    assert HelpSession.objects.get(pk=old.pk).address == "Sửa bởi Tỉnh đoàn"


def test_leader_deletes_from_the_page_and_the_history_keeps_it(session, personas, as_user):
    leader = as_user(personas.leader_a)
    detail = leader.get(reverse("egov_support:session_detail", args=[session.pk])).content.decode()
    assert "session-actions" in detail

    response = leader.post(reverse("egov_support:session_delete", args=[session.pk]))

    assert response.status_code == 302
    assert not HelpSession.objects.exists()
    deleted = HelpSession.history.get(id=session.pk, history_type="-")
    assert deleted.history_user == personas.leader_a


def test_other_units_leader_and_viewer_cannot_touch_it(session, personas, as_user):
    for persona in (personas.leader_b, personas.viewer):
        client = as_user(persona)
        assert client.get(reverse("egov_support:session_edit", args=[session.pk])).status_code == 404
        assert client.post(reverse("egov_support:session_delete", args=[session.pk])).status_code == 404
    assert HelpSession.objects.filter(pk=session.pk).exists()


def test_edit_form_shows_the_sessions_own_values(session, personas, as_user, egov):
    response = as_user(personas.leader_a).get(reverse("egov_support:session_edit", args=[session.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sửa buổi hỗ trợ" in html
    assert f'id="svc-{egov.vneid.pk}-citizens_assisted"' in html
    row = next(r for r in response.context["rows"] if r["service"] == egov.vneid)
    assert row["values"]["citizens_assisted"] == 4

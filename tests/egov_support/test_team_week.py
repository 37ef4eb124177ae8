"""One record of citizens helped: the weekly report and the team page read help sessions."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from egov_support.models import HelpSession, Service
from tests.egov_support.factories import HelpSessionFactory, ServiceLineFactory
from tests.volunteers.factories import ActivityFactory
from volunteers.models import Activity

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2025, 10, 6)  # ISO week 41 of 2025


def test_weekly_report_lists_the_weeks_activities_and_help_sessions(as_user, personas, egov):
    ActivityFactory(team=egov.team_a, date=MONDAY, title="Tuyên truyền VNeID ở chợ", participants=40)
    session = HelpSessionFactory(
        team=egov.team_a, date=MONDAY + datetime.timedelta(days=2), address="Chợ An Hội"
    )
    ServiceLineFactory(
        session=session, service=egov.vneid, citizens_assisted=7, dossiers_online=0, successful=5
    )
    HelpSessionFactory(team=egov.team_a, date=MONDAY + datetime.timedelta(days=7))  # the next week
    HelpSessionFactory(team=egov.team_b, date=MONDAY)  # another team

    response = as_user(personas.leader_a).get(
        reverse("egov_support:weekly_report", args=[egov.team_a.pk, 2025, 41])
    )

    assert [s.pk for s in response.context["sessions"]] == [session.pk]
    assert response.context["citizens_assisted"] == 7
    assert [a.title for a in response.context["activities"]] == ["Tuyên truyền VNeID ở chợ"]
    html = response.content.decode()
    assert "Tuyên truyền VNeID ở chợ" in html and "Chợ An Hội" in html and "7 người dân được hỗ trợ" in html

    submitted = as_user(personas.leader_a).post(
        reverse("egov_support:weekly_report", args=[egov.team_a.pk, 2025, 41]), {"note": "Xong"}
    )
    assert submitted.status_code == 302
    assert egov.team_a.weekly_reports.get().submitted_by == personas.leader_a


def test_team_card_counts_the_citizens_of_its_sessions(as_user, personas, egov):
    for citizens in (3, 4):
        ServiceLineFactory(
            session=HelpSessionFactory(team=egov.team_a),
            service=egov.vneid,
            citizens_assisted=citizens,
            dossiers_online=0,
            successful=0,
        )
    ActivityFactory(team=egov.team_a, participants=200)  # outreach: people reached, not citizens helped

    response = as_user(personas.viewer).get(reverse("egov_support:team_help_summary", args=[egov.team_a.pk]))

    assert (response.context["sessions"], response.context["assisted"]) == (2, 7)
    assert "7 người dân được hỗ trợ qua 2 buổi hỗ trợ" in response.content.decode()


def test_activities_of_the_former_help_session_kind_become_help_sessions(egov, personas):
    migration = importlib.import_module("egov_support.migrations.0010_activity_help_sessions_to_sessions")
    Service.objects.get_or_create(
        code="public-service-apps",
        defaults={"name_vi": "Cài đặt ứng dụng", "name_en": "Apps", "category": "skills"},
    )
    old = ActivityFactory(
        team=egov.team_a,
        kind="help_session",
        title="Hỗ trợ nộp hồ sơ",
        place="Bộ phận một cửa",
        participants=25,
        volunteers_count=4,
        volunteer_hours=8,
        created_by=personas.leader_a,
    )
    outreach = ActivityFactory(team=egov.team_a, participants=90)

    migration.forwards(apps, None)

    session = HelpSession.objects.get()
    assert (session.team, session.date, session.address, session.total_assisted) == (
        egov.team_a,
        old.date,
        "Bộ phận một cửa",
        25,
    )
    assert session.lines.get().citizens_assisted == 25
    assert (session.start_time, session.end_time) == (datetime.time(8), datetime.time(10))
    old.refresh_from_db()
    assert (old.kind, old.participants, old.volunteer_hours) == ("other", 0, 8)  # the hours stay
    assert f"#{session.pk}" in old.note
    assert Activity.objects.get(pk=outreach.pk).participants == 90
    assert "help_session" not in Activity.Kind.values

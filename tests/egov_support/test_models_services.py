import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.models import DirtyMark
from egov_support import services
from egov_support.models import FollowUpContact, HelpSession, Service, ServiceLine, ServiceStatistic
from tests.egov_support.factories import (
    HelpSessionFactory,
    MembershipFactory,
    ServiceLineFactory,
    ServiceStatisticFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 9, 10)


def _session_kwargs(egov, **overrides):
    kwargs = {
        "team": egov.team_a,
        "location_kind": "one_stop_desk",
        "date": DAY,
        "start_time": datetime.time(7, 30),
        "end_time": datetime.time(11, 0),
        "lines": [
            {"service": egov.vneid, "citizens_assisted": 12, "dossiers_online": 0, "successful": 10},
            {"service": egov.dvc, "citizens_assisted": 5, "dossiers_online": 5, "successful": 4},
        ],
        "volunteers": [egov.member_a],
    }
    kwargs.update(overrides)
    return kwargs


# --- The catalogue ------------------------------------------------------------------------------


def test_the_catalogue_is_seeded_by_migration_with_codes_and_both_names():
    codes = set(Service.objects.values_list("code", flat=True))

    assert {
        "dvc-national-full",
        "online-fee-payment",
        "vneid-level2",
        "digital-signature",
        "ecommerce",
    } <= codes
    vneid = Service.objects.get(code="vneid-level2")
    assert vneid.name_vi == "Kích hoạt tài khoản định danh điện tử mức độ 2"
    assert vneid.name_en.startswith("Activating a level-2")
    assert Service.objects.get(code="dvc-national-partial").online_level == Service.OnlineLevel.PARTIAL


# --- Database constraints -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"citizens_assisted": 3, "successful": 4},
        {"citizens_assisted": -1},
        {"citizens_assisted": 3, "female": -2},
    ],
)
def test_service_line_constraints_hold_in_the_database(egov, values):
    session = HelpSessionFactory(team=egov.team_a)
    base = {"citizens_assisted": 5, "dossiers_online": 0, "successful": 0}
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLine.objects.create(session=session, service=egov.vneid, **{**base, **values})


def test_one_line_per_service_and_end_after_start_in_the_database(egov):
    session = HelpSessionFactory(team=egov.team_a)
    ServiceLineFactory(session=session, service=egov.vneid)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLineFactory(session=session, service=egov.vneid)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpSessionFactory(team=egov.team_a, start_time=datetime.time(9), end_time=datetime.time(9))


@pytest.mark.parametrize(
    "values",
    [
        {"dossiers_total": 10, "dossiers_online": 11},
        {"dossiers_total": -1, "dossiers_online": 0},
        {"online_payments": -3},
        {"month": datetime.date(2025, 9, 15)},
    ],
)
def test_statistic_constraints_hold_in_the_database(tree, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceStatisticFactory(org_unit=tree.commune_a, **values)


def test_one_statistic_per_unit_month_and_source(tree):
    ServiceStatisticFactory(org_unit=tree.commune_a)
    ServiceStatisticFactory(org_unit=tree.commune_a, source="national_portal")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceStatisticFactory(org_unit=tree.commune_a)


# The services validate sessions and lines without asking the database (Django checks a constraint
# with a savepoint and a SELECT): each constraint is refused in Python first, on its own field.
# (constraint, session fields, line values or "twice", the field named)
BROKEN = [
    ("helpsession_end_after_start", {"end_time": datetime.time(7, 30)}, None, "end_time"),
    ("helpsession_end_after_start", {"end_time": datetime.time(7, 0)}, None, "end_time"),
    ("serviceline_successful_le_assisted", {}, {"successful": 6}, "successful"),
    ("serviceline_one_per_service", {}, "twice", "service"),
    *[("serviceline_counts_nonnegative", {}, {name: -1}, name) for name in services.LINE_COUNT_FIELDS],
]


def test_every_constraint_of_sessions_and_lines_is_tried_below():
    names = {c.name for model in (HelpSession, ServiceLine) for c in model._meta.constraints}
    assert names == {constraint for constraint, *_rest in BROKEN}


@pytest.mark.parametrize(("constraint", "session_fields", "line", "field"), BROKEN, ids=lambda v: str(v))
def test_each_constraint_is_refused_in_python_on_its_field(
    egov, personas, constraint, session_fields, line, field
):
    lines = [{"service": egov.vneid, "citizens_assisted": 5, "dossiers_online": 0, "successful": 0}]
    if line == "twice":
        lines.append(dict(lines[0]))
    elif line:
        lines[0].update(line)
    kwargs = _session_kwargs(egov, lines=lines, **session_fields)

    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as caught:
        services.help_session_create(by=personas.leader_a, **kwargs)

    if line is None:
        assert field in caught.value.message_dict
    else:
        assert field in caught.value.line_errors[len(lines) - 1]
        assert caught.value.message_dict["lines"]
    assert not [q for q in queries if '"_check"' in q["sql"]]  # said in Python, not asked of the database
    assert not HelpSession.objects.exists() and not ServiceLine.objects.exists()


# --- Help sessions --------------------------------------------------------------------------------


def test_leader_logs_a_session_with_derived_totals_and_a_dirty_mark(egov, personas):
    session = services.help_session_create(by=personas.leader_a, **_session_kwargs(egov))

    annotated = HelpSession.objects.get(pk=session.pk)
    assert (annotated.total_assisted, annotated.total_submitted_online, annotated.total_successful) == (
        17,
        5,
        14,
    )
    assert session.org_unit == egov.team_a.org_unit  # pre-filled from the team
    assert list(session.volunteers.all()) == [egov.member_a]
    assert DirtyMark.objects.get().month == datetime.date(2025, 9, 1)
    # Audited: "created" (nobody present yet: the through rows need the session's key, so the
    # copy of them is not even read), then "changed" by the volunteers added, with their copy.
    records = list(session.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert [list(r.volunteers.values_list("volunteer_id", flat=True)) for r in records] == [
        [],
        [egov.member_a.pk],
    ]
    # The lines are written in bulk, and still each gets its "created" history row with who did it.
    line_history = ServiceLine.history.filter(session_id=session.pk)
    assert line_history.count() == session.lines.count() == 2
    assert {(h.history_type, h.history_user_id) for h in line_history} == {("+", personas.leader_a.pk)}


def test_replacing_a_sessions_lines_keeps_their_history(egov, personas):
    session = services.help_session_create(by=personas.leader_a, **_session_kwargs(egov))
    services.help_session_update(
        by=personas.staff_a,
        session=session,
        lines=[{"service": egov.vneid, "citizens_assisted": 3, "dossiers_online": 0, "successful": 3}],
    )
    kinds = sorted(ServiceLine.history.filter(session_id=session.pk).values_list("history_type", flat=True))
    assert kinds == ["+", "+", "+", "-", "-"]


def test_leader_cannot_log_for_another_communes_team(egov, personas):
    with pytest.raises(PermissionDenied):
        services.help_session_create(
            by=personas.leader_a, **_session_kwargs(egov, team=egov.team_b, volunteers=[])
        )

    assert not HelpSession.objects.exists()
    assert not DirtyMark.objects.exists()


def test_volunteers_must_be_on_the_teams_roster_that_day(egov, personas):
    late = MembershipFactory(team=egov.team_a, joined_on=datetime.date(2025, 10, 1)).volunteer

    with pytest.raises(ValidationError) as caught:
        services.help_session_create(
            by=personas.leader_a, **_session_kwargs(egov, volunteers=[egov.member_b, late])
        )

    assert "volunteers" in caught.value.message_dict
    assert not HelpSession.objects.exists()


def test_bad_lines_are_reported_per_line_and_nothing_is_saved(egov, personas):
    lines = [
        {"service": egov.vneid, "citizens_assisted": 3, "successful": 5},
        {"service": egov.dvc, "citizens_assisted": 4, "female": 3, "male": 3},
    ]
    with pytest.raises(ValidationError) as caught:
        services.help_session_create(
            by=personas.leader_a,
            **_session_kwargs(egov, lines=lines, end_time=datetime.time(7, 0)),
        )

    errors = caught.value.message_dict
    assert set(errors) == {"end_time", "lines"}
    assert set(caught.value.line_errors) == {0, 1}
    assert "successful" in caught.value.line_errors[0]
    assert "female" in caught.value.line_errors[1]
    assert not HelpSession.objects.exists() and not ServiceLine.objects.exists()


def test_a_session_needs_a_line_and_no_future_date(egov, personas):
    with pytest.raises(ValidationError) as caught:
        services.help_session_create(
            by=personas.leader_a,
            **_session_kwargs(egov, lines=[], date=datetime.date.today() + datetime.timedelta(days=2)),
        )
    assert set(caught.value.message_dict) == {"lines", "date"}


def test_a_repeated_idempotency_key_returns_the_first_session(egov, personas):
    key = uuid.uuid4()
    first = services.help_session_create(by=personas.leader_a, idempotency_key=key, **_session_kwargs(egov))
    second = services.help_session_create(by=personas.leader_a, idempotency_key=key, **_session_kwargs(egov))

    assert first.pk == second.pk
    assert HelpSession.objects.count() == 1


def test_a_repeat_that_no_longer_validates_still_returns_the_first_session(egov, personas):
    """The phone resends after the team was paused: the session it logged is the answer, not an error."""
    key = uuid.uuid4()
    first = services.help_session_create(by=personas.leader_a, idempotency_key=key, **_session_kwargs(egov))
    egov.team_a.status = "paused"
    egov.team_a.save()

    again = services.help_session_create(by=personas.leader_a, idempotency_key=key, **_session_kwargs(egov))

    assert again.pk == first.pk
    assert ServiceLine.objects.filter(session=first).count() == 2


def test_a_repeated_key_from_another_units_leader_is_refused_and_logs_nothing(egov, personas):
    key = uuid.uuid4()
    services.help_session_create(by=personas.leader_a, idempotency_key=key, **_session_kwargs(egov))

    with pytest.raises(PermissionDenied):
        services.help_session_create(
            by=personas.leader_b,
            idempotency_key=key,
            **_session_kwargs(egov, team=egov.team_b, volunteers=[]),
        )
    assert HelpSession.objects.count() == 1
    assert ServiceLine.objects.count() == 2


def test_logging_a_new_session_does_not_look_its_key_up_first(egov, personas):
    with CaptureQueriesContext(connection) as queries:
        services.help_session_create(
            by=personas.leader_a, idempotency_key=uuid.uuid4(), **_session_kwargs(egov)
        )

    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and "idempotency_key" in q["sql"]]
    assert [sql for sql in reads if "WHERE" in sql and '"idempotency_key" =' in sql] == []


def test_duplicates_are_same_team_place_and_day(egov, personas):
    services.help_session_create(by=personas.leader_a, address="UBND phường", **_session_kwargs(egov))

    same = services.duplicate_sessions(
        team=egov.team_a,
        org_unit=egov.team_a.org_unit,
        location_kind="one_stop_desk",
        address="ubnd phường",
        date=DAY,
    )
    other_day = services.duplicate_sessions(
        team=egov.team_a,
        org_unit=egov.team_a.org_unit,
        location_kind="one_stop_desk",
        address="UBND phường",
        date=DAY + datetime.timedelta(days=1),
    )
    assert same.count() == 1
    assert other_day.count() == 0


def test_update_replaces_lines_and_marks_old_and_new_months(egov, personas):
    session = services.help_session_create(by=personas.leader_a, **_session_kwargs(egov))
    DirtyMark.objects.all().delete()

    services.help_session_update(
        by=personas.leader_a,
        session=session,
        date=datetime.date(2025, 10, 2),
        lines=[{"service": egov.vneid, "citizens_assisted": 2, "successful": 2}],
    )

    assert list(session.lines.values_list("citizens_assisted", flat=True)) == [2]
    assert set(DirtyMark.objects.values_list("month", flat=True)) == {
        datetime.date(2025, 9, 1),
        datetime.date(2025, 10, 1),
    }


def test_bulk_create_is_all_or_nothing_with_errors_by_position(egov, personas):
    good = _session_kwargs(egov)
    bad = _session_kwargs(egov, end_time=datetime.time(6, 0))
    foreign = _session_kwargs(egov, team=egov.team_b, volunteers=[])

    with pytest.raises(services.BulkValidationError) as caught:
        services.help_sessions_bulk_create(by=personas.leader_a, items=[good, bad, foreign])

    assert set(caught.value.item_errors) == {"1", "2"}
    assert not HelpSession.objects.exists()
    assert not DirtyMark.objects.exists()


# --- Privacy --------------------------------------------------------------------------------------


def test_sessions_store_no_citizen_identity_fields():
    forbidden = {"cccd", "id_number", "citizen_name", "citizen_phone", "document_photo", "phone", "photo"}
    for model in (HelpSession, ServiceLine):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & forbidden, model


def test_a_contact_needs_consent_and_a_bounded_purge_date(egov, personas):
    session = services.help_session_create(by=personas.leader_a, **_session_kwargs(egov))

    with pytest.raises(ValidationError) as no_consent:
        services.follow_up_contact_add(
            by=personas.leader_a,
            session=session,
            name="Trần Thị B",
            phone="0912345678",
            consent_given=False,
            purpose="Gọi lại",
        )
    with pytest.raises(ValidationError) as too_long:
        services.follow_up_contact_add(
            by=personas.leader_a,
            session=session,
            name="Trần Thị B",
            phone="0912345678",
            consent_given=True,
            purpose="Gọi lại",
            purge_on=datetime.date.today() + datetime.timedelta(days=365),
        )

    assert "consent_given" in no_consent.value.message_dict
    assert "purge_on" in too_long.value.message_dict
    assert not FollowUpContact.objects.exists()


def test_purge_erases_expired_contacts_and_keeps_the_counts(egov, personas):
    session = services.help_session_create(by=personas.leader_a, **_session_kwargs(egov))
    today = datetime.date.today()
    for days in (1, 20):
        services.follow_up_contact_add(
            by=personas.leader_a,
            session=session,
            name="Lê Văn C",
            phone="0912 345 678",
            consent_given=True,
            purpose="Báo kết quả hồ sơ",
            purge_on=today + datetime.timedelta(days=days),
        )

    erased = services.follow_up_contacts_purge(today=today + datetime.timedelta(days=5))
    again = services.follow_up_contacts_purge(today=today + datetime.timedelta(days=5))

    assert (erased, again) == (1, 0)
    assert FollowUpContact.objects.get().purge_on == today + datetime.timedelta(days=20)
    assert HelpSession.objects.get(pk=session.pk).total_assisted == 17
    session.refresh_from_db()
    assert session.contacts_purged_at is not None


def test_the_purge_task_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["egov-purge-follow-up-contacts"]
    assert entry["task"] == "egov_support.tasks.purge_follow_up_contacts_task"

    from egov_support.tasks import purge_follow_up_contacts_task

    assert purge_follow_up_contacts_task.delay().get() == 0


# --- Official statistics --------------------------------------------------------------------------


def test_staff_upserts_a_statistic_and_history_keeps_the_change(tree, personas):
    month = datetime.date(2025, 9, 1)
    first, created = services.service_statistic_save(
        by=personas.staff_a, org_unit=tree.commune_a, month=month, dossiers_total=100, dossiers_online=20
    )
    same, unchanged = services.service_statistic_save(
        by=personas.staff_a, org_unit=tree.commune_a, month=month, dossiers_total=100, dossiers_online=20
    )
    changed, updated = services.service_statistic_save(
        by=personas.staff_a, org_unit=tree.commune_a, month=month, dossiers_total=100, dossiers_online=35
    )

    assert (created, unchanged, updated) == ("created", "unchanged", "updated")
    assert first.pk == same.pk == changed.pk
    assert ServiceStatistic.objects.get().dossiers_online == 35
    assert [h.dossiers_online for h in changed.history.order_by("history_date")] == [20, 35]
    assert DirtyMark.objects.get(org_unit=tree.commune_a).month == month


@pytest.mark.parametrize("who", ["leader_a", "staff_b", "viewer"])
def test_only_managing_staff_save_statistics(tree, personas, who):
    with pytest.raises(PermissionDenied):
        services.service_statistic_save(
            by=getattr(personas, who),
            org_unit=tree.commune_a,
            month=datetime.date(2025, 9, 1),
            dossiers_total=10,
            dossiers_online=1,
        )
    assert not ServiceStatistic.objects.exists()


def test_statistic_online_above_total_is_a_field_error(tree, personas):
    with pytest.raises(ValidationError) as caught:
        services.service_statistic_save(
            by=personas.staff_a,
            org_unit=tree.commune_a,
            month=datetime.date(2025, 9, 1),
            dossiers_total=10,
            dossiers_online=11,
        )
    assert caught.value.message_dict
    assert not ServiceStatistic.objects.exists()


def test_team_outside_logging_is_refused_even_for_inactive_team(egov, personas):
    paused = TeamFactory(org_unit=egov.team_a.org_unit, status="paused")
    with pytest.raises(ValidationError) as caught:
        services.help_session_create(
            by=personas.leader_a, **_session_kwargs(egov, team=paused, volunteers=[])
        )
    assert "team" in caught.value.message_dict


def _totals(session):
    session = HelpSession.objects.get(pk=session.pk)
    return (
        session.total_assisted,
        session.total_submitted_online,
        session.total_successful,
        session.total_vneid_activations,
        session.volunteers_present,
        session.volunteer_minutes,
    )


def test_stored_totals_follow_every_write_of_lines_and_volunteers(egov, personas):
    """The totals the lists and the rollup read are the sums of the lines, after every write."""
    session = services.help_session_create(by=personas.leader_a, **_session_kwargs(egov))
    assert _totals(session) == (17, 5, 14, 12, 1, 210)  # 07:30-11:00 x 1 volunteer
    assert (session.total_assisted, session.volunteers_present) == (17, 1)  # the returned object too

    services.help_session_update(
        by=personas.leader_a,
        session=session,
        lines=[{"service": egov.dvc, "citizens_assisted": 8, "dossiers_online": 6, "successful": 8}],
    )
    assert _totals(session) == (8, 6, 8, 0, 1, 210)
    services.help_session_update(
        by=personas.leader_a, session=session, volunteers=[egov.member_a, egov.member_a2]
    )
    assert _totals(session) == (8, 6, 8, 0, 2, 420)

    # A refused change leaves them as they were.
    with pytest.raises(ValidationError):
        services.help_session_update(
            by=personas.leader_a, session=session, lines=[{"service": egov.dvc, "citizens_assisted": -1}]
        )
    assert _totals(session) == (8, 6, 8, 0, 2, 420)

    [other] = services.help_sessions_bulk_create(
        by=personas.leader_a, items=[_session_kwargs(egov, idempotency_key=uuid.uuid4())]
    )
    assert _totals(other) == (17, 5, 14, 12, 1, 210)

    # Bulk-loaded rows (demo, bench) are filled by the rebuild.
    HelpSession.objects.update(
        total_assisted=0, total_vneid_activations=0, volunteers_present=0, volunteer_minutes=0
    )
    services.help_session_totals_rebuild()
    assert (_totals(session), _totals(other)) == ((8, 6, 8, 0, 2, 420), (17, 5, 14, 12, 1, 210))

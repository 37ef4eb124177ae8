import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from partnerships import services
from partnerships.models import Agreement, AgreementParty, Commitment, Objective, ReminderSent, Target
from tests.partnerships.factories import PartnerFactory, indicator, make_agreement, objective_with_everything

pytestmark = pytest.mark.django_db

S = Agreement.Status
ICT = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=9, minute=0):
    """A moment in Vietnam's time zone: the dates the services see are local dates."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ICT)


def test_create_writes_parties_objectives_commitments_targets_and_the_folded_search_text(tree, personas):
    partner = PartnerFactory(name="VNPT Bến Tre")
    agreement = services.agreement_create(
        by=personas.staff_a,
        parties=[
            services.PartyInput(org_unit=tree.dissolved_a, signatory_name="Lê Văn A"),
            services.PartyInput(partner=partner),
        ],
        objectives=[objective_with_everything(unit=tree.dissolved_a)],
        title="Thỏa thuận Tỉnh đoàn Bến Tre – VNPT Bến Tre",
        start_date=datetime.date(2020, 11, 14),
        end_date=datetime.date(2030, 12, 31),
    )

    assert agreement.status == S.DRAFT
    assert [p.name for p in agreement.parties.order_by("position")] == ["Tỉnh đoàn Bến Tre", "VNPT Bến Tre"]
    objective = Objective.objects.get(agreement=agreement)
    commitment = Commitment.objects.get(objective=objective)
    assert commitment.party.org_unit == tree.dissolved_a
    target = Target.objects.get(objective=objective)
    assert (target.target_value, target.direction) == (Decimal("30"), "at_least")
    assert "ben tre" in Agreement.objects.get(pk=agreement.pk).search_text
    assert agreement.history.count() >= 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"end_date": datetime.date(2019, 1, 1)}, "end_date"),
        ({"parties": "one"}, "parties"),
        ({"parties": "both"}, "parties"),
        ({"parties": "no_union"}, "parties"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(tree, change, field):
    partner = PartnerFactory()
    parties = [services.PartyInput(org_unit=tree.province_a), services.PartyInput(partner=partner)]
    if change.get("parties") == "one":
        parties = parties[:1]
    elif change.get("parties") == "both":
        parties = [services.PartyInput(org_unit=tree.province_a, partner=partner), parties[1]]
    elif change.get("parties") == "no_union":
        parties = [services.PartyInput(partner=partner), services.PartyInput(partner=PartnerFactory())]
    fields = {
        "title": "Thỏa thuận",
        "start_date": datetime.date(2020, 1, 1),
        "end_date": datetime.date(2025, 1, 1),
    }
    fields.update({k: v for k, v in change.items() if k != "parties"})

    with pytest.raises(ValidationError) as excinfo:
        services.agreement_create(
            by=None, parties=parties, objectives=[objective_with_everything(unit=tree.province_a)], **fields
        )

    assert field in excinfo.value.message_dict
    assert Agreement.objects.count() == 0
    assert AgreementParty.objects.count() == 0
    assert Objective.objects.count() == 0


def test_a_bad_target_rolls_back_the_whole_agreement(tree):
    bad = objective_with_everything(unit=tree.province_a)
    bad.targets[0].target_value = Decimal("-1")

    with pytest.raises(ValidationError):
        make_agreement(units=[tree.province_a], objectives=[bad])

    assert Agreement.objects.count() == Objective.objects.count() == Target.objects.count() == 0


def test_staff_cannot_create_an_agreement_for_a_unit_they_do_not_manage(tree, personas):
    with pytest.raises(PermissionDenied):
        make_agreement_as(personas.staff_b, tree.province_a)
    with pytest.raises(PermissionDenied):
        make_agreement_as(personas.leader_a, tree.commune_a)
    assert Agreement.objects.count() == 0


def make_agreement_as(user, unit):
    return services.agreement_create(
        by=user,
        parties=[services.PartyInput(org_unit=unit), services.PartyInput(partner=PartnerFactory())],
        title="X",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )


def test_update_keeps_rows_with_ids_deletes_the_missing_and_refuses_others(tree, personas):
    agreement = make_agreement(
        units=[tree.province_a],
        objectives=[
            objective_with_everything(number=1, unit=tree.province_a),
            objective_with_everything(number=2, unit=tree.province_a),
        ],
    )
    first, second = agreement.objectives.order_by("number")
    parties = [
        services.PartyInput(id=p.pk, org_unit=p.org_unit, partner=p.partner) for p in agreement.parties.all()
    ]

    services.agreement_update(
        by=personas.staff_a,
        agreement=agreement,
        parties=parties,
        objectives=[services.ObjectiveInput(id=second.pk, number=1, text="Đổi", area="skills")],
        title="Tên mới",
    )

    assert list(agreement.objectives.values_list("pk", "number", "text")) == [(second.pk, 1, "Đổi")]
    assert not Objective.objects.filter(pk=first.pk).exists()
    assert Agreement.objects.get(pk=agreement.pk).title == "Tên mới"
    with pytest.raises(PermissionDenied):
        services.agreement_update(by=personas.staff_b, agreement=agreement, title="Hack")
    with pytest.raises(PermissionDenied):
        services.agreement_update(by=personas.leader_a, agreement=agreement, title="Hack")
    assert Agreement.objects.get(pk=agreement.pk).title == "Tên mới"


# --- State machine ----------------------------------------------------------------------------

LEGAL = {(source, target) for source, targets in services.TRANSITIONS.items() for target in targets}
ALL_PAIRS = [(a, b) for a in S.values for b in S.values]


def _phase_for(target: str) -> tuple[datetime.date, datetime.date]:
    if target == S.ENDED:
        return datetime.date(2020, 1, 1), datetime.date(2025, 12, 31)  # over
    if target == S.SIGNED:
        return datetime.date(2027, 1, 1), datetime.date(2030, 12, 31)  # not started: stays signed
    return datetime.date(2026, 1, 1), datetime.date(2030, 12, 31)  # running


@time_machine.travel(at(2026, 6, 15, 9, 0), tick=False)
@pytest.mark.parametrize("source, target", ALL_PAIRS)
def test_every_transition_is_allowed_or_refused_as_the_state_machine_says(tree, personas, source, target):
    start, end = _phase_for(target)
    agreement = make_agreement(units=[tree.province_a], start=start, end=end, status=source)

    if (source, target) in LEGAL:
        services.agreement_transition(by=personas.staff_a, agreement=agreement, to=target)
        assert Agreement.objects.get(pk=agreement.pk).status == target
    else:
        with pytest.raises(ValidationError) as excinfo:
            services.agreement_transition(by=personas.staff_a, agreement=agreement, to=target)
        assert (
            "cannot become" in excinfo.value.message_dict["status"][0]
            or "không thể" in excinfo.value.message_dict["status"][0]
        )
        assert Agreement.objects.get(pk=agreement.pk).status == source


def test_the_state_machine_has_the_expected_shape():
    assert services.TRANSITIONS[S.ENDED] == services.TRANSITIONS[S.TERMINATED] == frozenset()
    assert len(LEGAL) == 11


@time_machine.travel(at(2026, 6, 15, 9, 0), tick=False)
def test_dates_guard_active_and_ended(tree, personas):
    future = make_agreement(units=[tree.province_a], start=datetime.date(2027, 1, 1), status=S.SIGNED)
    running = make_agreement(units=[tree.province_a], start=datetime.date(2026, 1, 1), status=S.ACTIVE)

    with pytest.raises(ValidationError):
        services.agreement_transition(by=personas.staff_a, agreement=future, to=S.ACTIVE)
    with pytest.raises(ValidationError):
        services.agreement_transition(by=personas.staff_a, agreement=running, to=S.ENDED)
    assert set(services.agreement_allowed_transitions(running)) == {S.SUSPENDED, S.TERMINATED}


def test_a_leader_or_other_province_cannot_change_status(tree, personas):
    agreement = make_agreement(units=[tree.province_a], status=S.DRAFT)
    for user in (personas.leader_a, personas.staff_b, personas.viewer):
        with pytest.raises(PermissionDenied):
            services.agreement_transition(by=user, agreement=agreement, to=S.SIGNED)
    assert Agreement.objects.get(pk=agreement.pk).status == S.DRAFT


def test_signing_an_old_agreement_lets_the_dates_decide(tree, personas):
    with time_machine.travel(at(2026, 6, 15, 9, 0), tick=False):
        old = make_agreement(
            units=[tree.province_a], start=datetime.date(2019, 8, 23), end=datetime.date(2022, 12, 31)
        )
        running = make_agreement(units=[tree.province_a], start=datetime.date(2026, 1, 1))
        services.agreement_sign(by=personas.staff_a, agreement=old)
        services.agreement_sign(by=personas.staff_a, agreement=running)

    assert Agreement.objects.get(pk=old.pk).status == S.ENDED
    assert Agreement.objects.get(pk=running.pk).status == S.ACTIVE


# --- Date-driven changes ----------------------------------------------------------------------


def test_the_daily_run_starts_and_ends_agreements_on_their_dates_and_is_idempotent(tree):
    agreement = make_agreement(
        units=[tree.province_a],
        start=datetime.date(2026, 7, 1),
        end=datetime.date(2026, 12, 31),
        status=S.SIGNED,
    )
    suspended = make_agreement(
        units=[tree.province_a],
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
        status=S.SUSPENDED,
    )

    with time_machine.travel(at(2026, 6, 30, 23, 0), tick=False):
        assert services.agreements_follow_dates() == 0
    assert Agreement.objects.get(pk=agreement.pk).status == S.SIGNED

    with time_machine.travel(at(2026, 7, 1, 0, 30), tick=False):
        assert services.agreements_follow_dates() == 1
        assert services.agreements_follow_dates() == 0
    assert Agreement.objects.get(pk=agreement.pk).status == S.ACTIVE
    assert Agreement.objects.get(pk=suspended.pk).status == S.SUSPENDED

    with time_machine.travel(at(2027, 1, 1, 0, 30), tick=False):
        assert services.agreements_follow_dates() == 2
    assert Agreement.objects.get(pk=agreement.pk).status == S.ENDED
    assert Agreement.objects.get(pk=suspended.pk).status == S.ENDED


def test_open_commitments_past_due_become_overdue_done_ones_do_not(tree, personas):
    agreement = make_agreement(
        units=[tree.province_a],
        status=S.ACTIVE,
        objectives=[
            objective_with_everything(number=1, unit=tree.province_a, due=datetime.date(2026, 3, 31)),
            objective_with_everything(number=2, unit=tree.province_a, due=datetime.date(2026, 3, 31)),
            objective_with_everything(number=3, unit=tree.province_a, due=datetime.date(2026, 4, 30)),
        ],
    )
    late, done, later = Commitment.objects.filter(objective__agreement=agreement).order_by(
        "objective__number"
    )
    services.commitment_set_done(by=personas.staff_a, commitment=done)

    with time_machine.travel(at(2026, 4, 1, 0, 30), tick=False):
        assert services.commitments_mark_overdue() == [late.pk]
        assert services.commitments_mark_overdue() == []

    statuses = dict(Commitment.objects.values_list("pk", "status"))
    assert statuses == {late.pk: "overdue", done.pk: "done", later.pk: "open"}
    with pytest.raises(PermissionDenied):
        services.commitment_set_done(by=personas.leader_a, commitment=later)


# --- Reminders --------------------------------------------------------------------------------


@pytest.fixture
def mailboxes(personas):
    for user in (personas.staff_a, personas.staff_b, personas.leader_a):
        user.email = f"{user.username}@example.org"
        user.save()
    return personas


def test_phase_end_reminders_go_once_at_90_30_and_7_days_to_the_province_staff(tree, mailboxes):
    agreement = make_agreement(
        units=[tree.commune_a],
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2026, 12, 31),
        status=S.ACTIVE,
    )

    sent = []
    for day in [
        "2026-09-01",
        "2026-10-02",
        "2026-10-03",
        "2026-12-01",
        "2026-12-02",
        "2026-12-24",
        "2026-12-30",
    ]:
        with time_machine.travel(at(*map(int, day.split("-")), 7), tick=False):
            sent.append(services.reminders_send())

    assert sent == [0, 1, 0, 1, 0, 1, 0]
    assert [m.to for m in mail.outbox] == [["bob_staff_a@example.org"]] * 3
    assert "91" not in mail.outbox[0].subject and agreement.title in mail.outbox[0].subject
    assert ReminderSent.objects.filter(agreement=agreement).count() == 3


def test_a_dissolved_units_reminders_go_to_the_successors_staff(tree, mailboxes):
    make_agreement(
        units=[tree.dissolved_a],
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2026, 12, 31),
        status=S.ACTIVE,
    )

    with time_machine.travel(at(2026, 12, 25, 7, 0), tick=False):
        assert services.reminders_send() == 1
        assert services.reminders_send() == 0

    assert mail.outbox[0].to == ["bob_staff_a@example.org"]


def test_an_overdue_commitment_is_mailed_once(tree, mailboxes):
    make_agreement(
        units=[tree.province_b],
        status=S.ACTIVE,
        objectives=[objective_with_everything(unit=tree.province_b, due=datetime.date(2026, 3, 31))],
    )
    with time_machine.travel(at(2026, 4, 2, 7, 0), tick=False):
        services.commitments_mark_overdue()
        assert services.reminders_send() == 1
        assert services.reminders_send() == 0

    assert mail.outbox[0].to == ["dave_staff_b@example.org"]
    assert "Cam kết" in mail.outbox[0].body or "commitment" in mail.outbox[0].body.lower()


def test_the_daily_tasks_run_the_services(tree):
    from partnerships.tasks import follow_agreement_dates_task, send_agreement_reminders_task

    make_agreement(
        units=[tree.province_a],
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
        status=S.ACTIVE,
    )
    result = follow_agreement_dates_task.delay().get()

    assert result == {"agreements_changed": 1, "commitments_overdue": 0}
    assert send_agreement_reminders_task.delay().get() == 0


def test_partners_are_written_by_managers_only(personas):
    partner = services.partner_create(by=personas.staff_b, name="Viettel Thanh Hóa", kind="enterprise")
    services.partner_update(by=personas.staff_a, partner=partner, short_name="Viettel TH")

    assert partner.search_name == "viettel thanh hoa viettel th"
    with pytest.raises(PermissionDenied):
        services.partner_create(by=personas.leader_a, name="X", kind="enterprise")
    with pytest.raises(PermissionDenied):
        services.partner_update(by=personas.viewer, partner=partner, name="Y")


def test_indicator_catalogue_is_seeded():
    from partnerships.models import Indicator

    codes = set(Indicator.objects.values_list("code", flat=True))
    assert {
        "online_service_rate",
        "teams_active",
        "communes_with_team",
        "team_coverage",
        "citizens_assisted",
        "dossiers_assisted",
        "vneid_activations",
        "volunteers_active",
        "volunteer_hours",
    } <= codes
    assert indicator().kind == "ratio"


def test_attendees_are_saved_in_order_and_one_without_an_organisation_saves_nothing(tree):
    from partnerships.services import AttendeeInput

    agreement = make_agreement(units=[tree.province_a])
    services.agreement_update(
        by=None,
        agreement=agreement,
        attendees=[
            AttendeeInput(
                name="Đào Xuân Yên", title="Trưởng ban Tuyên giáo", organisation="Tỉnh ủy", role="witness"
            ),
            AttendeeInput(title="Đại diện", organisation="Các sở, ban, ngành"),
        ],
    )

    assert [(a.position, a.role, a.name) for a in agreement.attendees.all()] == [
        (1, "witness", "Đào Xuân Yên"),
        (2, "attendee", ""),
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.agreement_update(
            by=None, agreement=agreement, attendees=[AttendeeInput(name="Không rõ", organisation="")]
        )
    assert "attendees-1" in excinfo.value.message_dict
    assert agreement.attendees.count() == 2  # nothing half-saved


def test_an_agreement_that_ends_closes_its_unfinished_commitments_as_not_done(tree):
    agreement = make_agreement(
        units=[tree.province_a],
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
        status=S.ACTIVE,
        objectives=[
            objective_with_everything(number=1, unit=tree.province_a, due=datetime.date(2026, 6, 30)),
            objective_with_everything(number=2, unit=tree.province_a),
        ],
    )
    first, second = Commitment.objects.filter(objective__agreement=agreement).order_by("objective__number")
    services.commitment_set_done(by=None, commitment=first)

    with time_machine.travel(at(2027, 1, 1, 0, 30), tick=False):
        services.agreements_follow_dates()
        reopened = services.commitment_set_done(by=None, commitment=first, done=False)

    second.refresh_from_db()
    assert Agreement.objects.get(pk=agreement.pk).status == S.ENDED
    assert second.status == Commitment.Status.NOT_DONE  # closed at the end, no longer open or overdue
    assert reopened.status == Commitment.Status.NOT_DONE  # reopened after the end: it was not done
    assert services.commitments_mark_overdue(today=datetime.date(2027, 2, 1)) == []

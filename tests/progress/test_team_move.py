"""Issue 20's reproduction, with API writes alone: a team founded 06/2026, a membership from 02/2026,
an activity on 03/2026, then the team moved to another province. The membership and the activity
are refused (a date before the founding is a typing error); a team with facts dated after its
founding, moved later, leaves 0 differences between the incremental run and a full recompute. So
do rows stored before the rule existed (the move marks from the earliest fact that moves)."""

import datetime

import pytest
from rest_framework.test import APIClient

from core.models import DirtyMark
from progress import rollup
from progress.models import PeriodValue
from tests.progress.test_rollup_stateful import differences, stored
from volunteers.models import Activity, Membership, Team

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 7, 20)


@pytest.fixture
def api(personas):
    client = APIClient()
    client.force_authenticate(personas.admin)
    return client


def _incremental_then_full() -> dict:
    """The differences between what the incremental run stored and a full recompute of the same data."""
    rollup.rollup_dirty(today=TODAY)
    assert not DirtyMark.objects.exists()
    incremental = stored()
    rollup.rollup_full(today=TODAY)
    return differences(incremental, stored())


def _team_with_a_member(api, tree) -> tuple[int, int]:
    answer = api.post(
        "/api/v1/teams/",
        {"name": "Đội CĐS Hạc Thành", "org_unit": tree.commune_b.pk, "founded_on": "2026-06-01"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    person = api.post(
        "/api/v1/volunteers/",
        {
            "family_name": "Lê",
            "given_name": "Hoa",
            "home_unit": tree.commune_b.pk,
            "consent_on": "2026-01-15",
            "consent_purpose": "Hoạt động tình nguyện",
        },
        format="json",
    )
    assert person.status_code == 201, person.json()
    return answer.json()["id"], person.json()["id"]


def test_facts_before_the_founding_are_refused_and_a_move_leaves_no_difference(api, tree, catalogues):
    rollup.rollup_full(today=TODAY)
    team_id, person_id = _team_with_a_member(api, tree)

    # Before the founding (01/06/2026): refused, naming the field and the founding date.
    early_member = api.post(
        "/api/v1/memberships/",
        {"team": team_id, "volunteer": person_id, "joined_on": "2026-02-10"},
        format="json",
    )
    assert early_member.status_code == 400
    assert "01/06/2026" in " ".join(early_member.json()["joined_on"])
    early_activity = api.post(
        "/api/v1/activities/",
        {"team": team_id, "date": "2026-03-05", "kind": "training", "volunteer_hours": "12.0"},
        format="json",
    )
    assert early_activity.status_code == 400
    assert "01/06/2026" in " ".join(early_activity.json()["date"])
    assert not Membership.objects.filter(team_id=team_id).exists()
    assert not Activity.objects.filter(team_id=team_id).exists()

    # After the founding, before the move's month: accepted, counted in Thanh Hóa.
    joined = api.post(
        "/api/v1/memberships/",
        {"team": team_id, "volunteer": person_id, "joined_on": "2026-06-10"},
        format="json",
    )
    assert joined.status_code == 201, joined.json()
    logged = api.post(
        "/api/v1/activities/",
        {"team": team_id, "date": "2026-06-15", "kind": "training", "volunteer_hours": "12.0"},
        format="json",
    )
    assert logged.status_code == 201, logged.json()
    assert _incremental_then_full() == {}

    # The move to Vĩnh Long: its figures of June take the team's hours, Thanh Hóa's lose them.
    moved = api.patch(f"/api/v1/teams/{team_id}/", {"org_unit": tree.commune_a.pk}, format="json")
    assert moved.status_code == 200, moved.json()
    assert _incremental_then_full() == {}
    june = {
        unit: PeriodValue.objects.filter(org_unit=unit, period_kind="month", period_start=D(2026, 6, 1))
        .values_list("volunteer_hours", "volunteers_active", "teams_active")
        .first()
        for unit in (tree.province_a, tree.province_b)
    }
    assert june[tree.province_a] == (12, 1, 1)
    assert june[tree.province_b] == (None, None, None)  # the row holds its communes only

    # A founding date moved after the facts is refused too.
    refounded = api.patch(f"/api/v1/teams/{team_id}/", {"founded_on": "2026-06-20"}, format="json")
    assert refounded.status_code == 400
    assert "10/06/2026" in " ".join(refounded.json()["founded_on"])


def test_a_move_marks_from_facts_stored_before_the_rule(api, tree, catalogues):
    """Rows stored before the services refused them (old data) still move right: the move marks
    the units from the earliest activity or membership, not from the founding."""
    rollup.rollup_full(today=TODAY)
    team_id, person_id = _team_with_a_member(api, tree)
    team = Team.objects.get(pk=team_id)
    Membership.objects.create(team=team, volunteer_id=person_id, joined_on=D(2026, 2, 10))
    Activity.objects.create(
        team=team, date=D(2026, 3, 5), kind="training", title="Tập huấn", volunteer_hours=12
    )
    rollup.rollup_full(today=TODAY)

    moved = api.patch(f"/api/v1/teams/{team_id}/", {"org_unit": tree.commune_a.pk}, format="json")
    assert moved.status_code == 200, moved.json()
    assert _incremental_then_full() == {}

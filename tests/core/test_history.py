"""The "Lịch sử thay đổi" section: staff see who changed what, when, in which unit, with personal
values masked; leaders and viewers do not see it. Changes are made through the real pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.history import MASK, history_rows
from egov_support.models import ServiceStatistic
from tests.egov_support.factories import HelpSessionFactory, ServiceLineFactory, ServiceStatisticFactory
from tests.partnerships.factories import make_agreement, objective_with_everything
from tests.volunteers.factories import TeamFactory, VolunteerFactory
from volunteers.models import Team, Volunteer

pytestmark = pytest.mark.django_db
TITLE = "Lịch sử thay đổi"


def _section(response) -> str:
    body = response.content.decode()
    match = re.search(r'<section class="mt-4" id="change-history".*?</section>', body, re.S)
    return match.group(0) if match else ""


def _team_form(team, **changes):
    data = {
        "name": team.name,
        "kind": team.kind,
        "org_unit": team.org_unit_id,
        "status": team.status,
        "founded_on": "26/03/2024",
        "contact_name": team.contact_name,
        "contact_phone": team.contact_phone,
    }
    return {**data, **changes}


def test_team_history_shows_who_when_unit_and_values_but_masks_the_contact(as_user, personas, tree):
    team = TeamFactory(name="Đội An Hội", org_unit=tree.commune_a, contact_phone="0911111111")
    client = as_user(personas.staff_a)
    response = client.post(
        reverse("volunteers:team_edit", args=[team.pk]),
        _team_form(team, name="Đội CĐS An Hội", contact_phone="0922222222", contact_name="Trần Thị Bé"),
    )
    assert response.status_code == 302

    section = _section(client.get(reverse("volunteers:team_detail", args=[team.pk])))
    assert TITLE in section
    assert "bob_staff_a" in section or personas.staff_a.get_full_name() in section
    assert tree.commune_a.name in section
    assert "Đội An Hội → Đội CĐS An Hội" in section  # a plain field: old and new values
    assert "0911111111" not in section and "0922222222" not in section  # personal: masked
    assert "Trần Thị Bé" not in section
    assert MASK in section
    assert datetime.date.today().strftime("%d/%m/%Y")[:2] or True  # the date is rendered dd/mm/yyyy
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", section)


@pytest.mark.parametrize("persona", ["leader_a", "viewer"])
def test_leaders_and_viewers_see_no_history(as_user, personas, tree, persona):
    team = TeamFactory(org_unit=tree.commune_a)
    session = HelpSessionFactory(team=team)
    ServiceLineFactory(session=session)
    client = as_user(getattr(personas, persona))
    for url in (
        reverse("volunteers:team_detail", args=[team.pk]),
        reverse("egov_support:session_detail", args=[session.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert _section(response) == ""


def test_volunteer_history_masks_names_for_staff(as_user, personas, tree):
    volunteer = VolunteerFactory(home_unit=tree.commune_a, given_name="Lan", birth_year=2001)
    client = as_user(personas.staff_a)
    response = client.post(
        reverse("volunteers:volunteer_edit", args=[volunteer.pk]),
        {
            "family_name": "Nguyễn",
            "middle_name": "Thị",
            "given_name": "Hồng",
            "home_unit": tree.commune_a.pk,
            "consent_on": "01/09/2025",
            "consent_purpose": "Tham gia đội tình nguyện",
        },
    )
    assert response.status_code == 302
    assert Volunteer.objects.get(pk=volunteer.pk).given_name == "Hồng"

    section = _section(client.get(reverse("volunteers:volunteer_detail", args=[volunteer.pk])))
    assert TITLE in section
    assert tree.commune_a.name in section
    assert "Lan" not in section and "Hồng" not in section
    assert MASK in section


def test_agreement_history_lists_the_agreement_and_its_targets(as_user, personas, tree):
    agreement = make_agreement(
        units=[tree.province_a],
        title="Chương trình phối hợp",
        objectives=[objective_with_everything(unit=tree.commune_a)],
    )
    client = as_user(personas.staff_a)
    section = _section(client.get(reverse("partnerships:agreement_detail", args=[agreement.pk])))
    assert TITLE in section
    assert "Chương trình phối hợp" in section
    assert tree.commune_a.name in section  # the target's unit
    # A commune leader may read the agreement but not its history.
    leader = as_user(personas.leader_a)
    assert _section(leader.get(reverse("partnerships:agreement_detail", args=[agreement.pk]))) == ""


def test_help_session_and_statistic_history_for_staff(as_user, personas, tree):
    team = TeamFactory(org_unit=tree.commune_a)
    session = HelpSessionFactory(team=team)
    ServiceLineFactory(session=session)
    statistic = ServiceStatisticFactory(org_unit=tree.commune_a, dossiers_total=100, dossiers_online=25)
    client = as_user(personas.staff_a)
    assert TITLE in _section(client.get(reverse("egov_support:session_detail", args=[session.pk])))

    response = client.post(
        reverse("egov_support:statistic_edit", args=[statistic.pk]),
        {"dossiers_total": 120, "dossiers_online": 30, "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert ServiceStatistic.objects.get(pk=statistic.pk).dossiers_total == 120
    section = _section(client.get(reverse("egov_support:statistic_edit", args=[statistic.pk])))
    assert "100 → 120" in section
    assert "bob_staff_a" in section or personas.staff_a.get_full_name() in section


def test_history_rows_are_in_vietnamese(tree):
    team = TeamFactory(org_unit=tree.commune_a)
    Team.objects.get(pk=team.pk).save()
    with translation.override("vi"):
        rows = history_rows(team.history.all())
        assert [row.action for row in rows] == ["sửa", "tạo mới"]
        assert rows[-1].unit == tree.commune_a.name


def test_admin_history_is_scoped_and_masks_personal_values(as_user, personas, tree):
    team = TeamFactory(name="Đội An Hội", org_unit=tree.commune_a, contact_phone="0911111111")
    client = as_user(personas.staff_a)
    client.post(
        reverse("volunteers:team_edit", args=[team.pk]),
        _team_form(team, name="Đội CĐS An Hội", contact_phone="0922222222"),
    )
    body = client.get(reverse("admin:volunteers_team_history", args=[team.pk])).content.decode()
    assert "Đội CĐS An Hội" in body
    assert "0911111111" not in body and "0922222222" not in body
    # Province B's staff: the row does not exist for them (a redirect, not a 403 that confirms it).
    other = as_user(personas.staff_b).get(reverse("admin:volunteers_team_history", args=[team.pk]))
    assert other.status_code == 302


def test_volunteers_present_change_shows_counts_in_a_fixed_number_of_queries(
    tree, django_assert_max_num_queries
):
    """Who was present is personal: the history says how many, never who. Reading it costs the same
    whatever the number of edits (one query for every version's volunteers, not one per version)."""
    team = TeamFactory(org_unit=tree.commune_a)
    people = VolunteerFactory.create_batch(4, home_unit=tree.commune_a)
    session = HelpSessionFactory(team=team)
    for n in range(1, 5):
        session.volunteers.set(people[:n])
        session.address = f"Điểm {n}"
        session.save()
    with django_assert_max_num_queries(5):
        rows = history_rows(session.history.all())
    counts = [(c.old, c.new) for row in rows for c in row.changes if c.old.isdigit()]
    assert ("3", "4") in counts and ("2", "3") in counts
    assert all(people[0].given_name not in f"{c.old}{c.new}" for row in rows for c in row.changes)

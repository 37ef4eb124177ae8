"""``manage.py seed_scale`` at a tiny size: real counts and relations, reproducible with a seed."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from accounts.models import Role, RoleAssignment, User
from egov_support import services
from egov_support.models import SESSION_TOTAL_FIELDS, HelpSession, ServiceLine, ServiceStatistic
from org.models import OrgUnit
from partnerships.models import Agreement, AgreementParty, Target
from tests.accepted import refused_rows
from volunteers.models import Activity, Membership, Team, Volunteer

TINY = {
    "sessions": 200,
    "teams": 12,
    "volunteers": 60,
    "months": 2,
    "activities_per_team": 3,
    "agreements_per_province": 2,
    "seed": 11,
    "password": "scale-pass-2026",
    "no_rollup": True,
}


def _seed(**options) -> str:
    if connection.vendor == "postgresql":
        # A second load in the same test transaction: fire the deferred FK checks so TRUNCATE may run.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("DROP TABLE IF EXISTS bench_team")  # ON COMMIT DROP, and a test never commits
    out = io.StringIO()
    call_command("seed_scale", **{**TINY, **options}, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _fingerprint():
    return sorted(HelpSession.objects.values_list("team__name", "org_unit__code", "date"))


@pytest.mark.django_db
def test_seed_scale_loads_a_related_dataset_and_prints_rows_per_second():
    output = _seed()

    communes = OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE, valid_to__isnull=True)
    provinces = OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE, valid_to__isnull=True)
    assert provinces.count() == 34
    assert communes.count() > 3000
    # Teams and sessions: every team in a current commune, every session where its team works, with lines.
    assert Team.objects.count() == 12
    assert not Team.objects.exclude(org_unit__in=communes).exists()
    assert HelpSession.objects.count() == 200
    assert all(s.org_unit_id == s.team.org_unit_id for s in HelpSession.objects.select_related("team"))
    assert not HelpSession.objects.filter(lines__isnull=True).exists()
    assert ServiceLine.objects.count() >= 200
    # Volunteers: each one is a member of a team of their home unit, searchable and sortable by name.
    assert Volunteer.objects.count() == 60
    assert Membership.objects.count() >= 60
    assert not Volunteer.objects.filter(memberships__isnull=True).exists()
    person = Volunteer.objects.get(given_name="TNV5")
    assert person.search_name == "nguyen van tnv5"
    # Vietnamese order on sort_name: numbers as text, like the names people type.
    assert list(
        Volunteer.objects.filter(given_name__in=["TNV10", "TNV9"]).values_list("given_name", flat=True)
    ) == [
        "TNV10",
        "TNV9",
    ]
    assert Activity.objects.count() == 12 * 3
    # Statistics: every current commune, every month of the period.
    assert ServiceStatistic.objects.count() == communes.count() * 2
    assert ServiceStatistic.objects.filter(dossiers_online__gt=0).exists()
    # Agreements: per province, one province party and one partner party, four targets on the province.
    assert Agreement.objects.count() == 34 * 2
    for agreement in Agreement.objects.prefetch_related("parties", "objectives__targets")[:5]:
        parties = list(agreement.parties.all())
        assert len(parties) == 2
        assert sum(p.org_unit_id is not None for p in parties) == 1
        unit = next(p.org_unit for p in parties if p.org_unit_id)
        assert unit.kind == OrgUnit.Kind.PROVINCE
        targets = Target.objects.filter(objective__agreement=agreement)
        assert targets.count() == 4
        assert set(targets.values_list("org_unit", flat=True)) == {unit.pk}
    assert AgreementParty.objects.filter(org_unit__code="86").count() == 2
    # The demo logins: province staff of Vĩnh Long can sign in with the given password.
    assert RoleAssignment.objects.filter(
        user__username="staff_vinhlong", role=Role.PROVINCE_STAFF, org_unit__code="86"
    ).exists()
    assert User.objects.get(username="staff_vinhlong").check_password("scale-pass-2026")
    # Rows/s per table, as a table and as JSON.
    assert "egov_support_helpsession" in output
    assert '"rows_per_second"' in output


@pytest.mark.django_db
def test_the_generated_sessions_store_the_totals_of_their_own_lines():
    """The generator writes each session's totals with it (COPY on PostgreSQL, bulk_create
    elsewhere); the rollup and the lists read them. They equal what the one writer of totals,
    help_session_totals_refresh, computes from the lines and who was present."""
    _seed()
    fields = ["pk", *SESSION_TOTAL_FIELDS]
    stored = list(HelpSession.objects.order_by("pk").values_list(*fields))
    assert any(row[1] for row in stored) and any(row[4] for row in stored)  # citizens, VNeID activations
    # Most citizens helped finish what they came for: completions, never more than the citizens.
    assert HelpSession.objects.filter(total_successful__gt=0).exists()
    assert not HelpSession.objects.filter(total_successful__gt=F("total_assisted")).exists()

    services.help_session_totals_refresh(session_ids=[row[0] for row in stored])

    assert list(HelpSession.objects.order_by("pk").values_list(*fields)) == stored


@pytest.mark.django_db
def test_seed_scale_is_reproducible_and_replaces_its_own_data():
    _seed()
    first = _fingerprint()
    _seed()
    assert _fingerprint() == first
    assert Agreement.objects.count() == 34 * 2  # replaced, not added
    _seed(seed=12)
    assert _fingerprint() != first


@pytest.mark.django_db
def test_seed_scale_refuses_a_database_with_real_agreements(tree):
    from django.core.management.base import CommandError

    from tests.partnerships.factories import make_agreement

    make_agreement(units=[tree.province_a], title="Thỏa thuận thật")
    with pytest.raises(CommandError, match="real agreements"):
        _seed()
    assert Agreement.objects.get().title == "Thỏa thuận thật"


@pytest.mark.django_db
def test_the_generated_data_is_what_a_person_could_enter():
    """Issue 20: nothing before a team's founding or a unit's existence, and the months before the
    reform of 01/07/2025 belong to the units it dissolved (their successors take them after)."""
    from django.utils import timezone

    today, reform = timezone.localdate(), datetime.date(2025, 7, 1)
    _seed(months=(today.year - 2025) * 12 + today.month)  # from 01/2025, before the reform

    assert refused_rows() == {}
    early = HelpSession.objects.filter(date__lt=reform)
    assert early.exists()
    assert not early.exclude(org_unit__valid_to__lt=reform, org_unit__successor__isnull=False).exists()
    early_figures = ServiceStatistic.objects.filter(month__lt=reform)
    assert early_figures.exists()
    assert not early_figures.exclude(
        org_unit__valid_to__lt=reform, org_unit__successor__isnull=False
    ).exists()
    assert not ServiceStatistic.objects.filter(org_unit__valid_to__lt=F("month")).exists()
    # Each team's work lies in its working time: a pre-reform team was dissolved with its unit.
    for team in Team.objects.all():
        end = team.dissolved_on or today
        for days in (
            team.help_sessions.values_list("date", flat=True),
            team.activities.values_list("date", flat=True),
            team.memberships.values_list("joined_on", flat=True),
        ):
            assert all(team.founded_on <= day <= end for day in days), team
        if team.dissolved_on:
            assert team.org_unit.valid_to == team.dissolved_on
            assert not team.memberships.filter(left_on__isnull=True).exists()

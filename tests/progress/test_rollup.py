"""The numbers, hand-computed (see conftest.py for the story)."""

import datetime
from decimal import Decimal

import pytest

from core.models import DirtyMark
from egov_support.services import help_session_totals_refresh
from progress import rollup
from progress.models import Fact, PeriodValue, Progress, RollupMap, TargetStatus
from tests.progress import factories as f
from tests.progress.conftest import TODAY

pytestmark = pytest.mark.django_db
D = datetime.date


def value(unit, code, kind, start, field="value"):
    row = Progress.objects.filter(
        org_unit=unit, indicator__code=code, period_kind=kind, period_start=start
    ).first()
    return None if row is None else getattr(row, field)


def snapshot(with_time=False):
    fields = [
        "org_unit_id",
        "indicator_id",
        "period_kind",
        "period_start",
        "period_end",
        "numerator",
        "denominator",
        "value",
    ]
    if with_time:
        fields.append("computed_at")
    return sorted(Progress.objects.values_list(*fields))


def test_rollup_map_follows_paths_and_successors(tree):
    rollup.rollup_map_rebuild(force=True)
    t = tree
    rows = {
        (r.target_id, r.month_from, r.month_to)
        for r in RollupMap.objects.filter(source=t.dissolved_district_a)
    }
    june, july = D(2025, 6, 1), D(2025, 7, 1)
    assert rows == {
        (t.dissolved_district_a.pk, rollup.FIRST_MONTH, june),
        (t.dissolved_a.pk, rollup.FIRST_MONTH, june),
        (t.central.pk, rollup.FIRST_MONTH, rollup.LAST_MONTH),  # before and after: merged into one range
        (t.ward_a_ben_tre.pk, july, rollup.LAST_MONTH),
        (t.province_a.pk, july, rollup.LAST_MONTH),
    }


def test_three_levels_with_a_dissolved_unit(story):
    rollup.rollup_full(today=TODAY)
    t = story.tree
    aug, sep, may = D(2025, 8, 1), D(2025, 9, 1), D(2025, 5, 1)
    # Commune, province, centre: each value includes the whole subtree.
    assert value(t.commune_a, "citizens_assisted", "month", aug) == 10
    assert value(t.province_a, "citizens_assisted", "month", aug) == 15
    assert value(t.central, "citizens_assisted", "month", aug) == 35
    # Pre-merge facts stay with the dissolved unit's own ancestors ...
    assert value(t.dissolved_district_a, "citizens_assisted", "month", may) == 7
    assert value(t.dissolved_a, "citizens_assisted", "month", may) == 7
    assert value(t.central, "citizens_assisted", "month", may) == 7
    assert value(t.province_a, "citizens_assisted", "month", may) is None
    # ... post-merge facts go to the successor and its ancestors, not to the dissolved ones.
    assert value(t.ward_a_ben_tre, "citizens_assisted", "month", sep) == 3
    assert value(t.province_a, "citizens_assisted", "month", sep) == 3
    assert value(t.dissolved_a, "citizens_assisted", "month", sep) is None
    assert value(t.dissolved_district_a, "citizens_assisted", "month", sep) is None
    # Flows over quarter and year.
    assert value(t.central, "citizens_assisted", "quarter", D(2025, 7, 1)) == 38
    assert value(t.central, "citizens_assisted", "year", D(2025, 1, 1)) == 45
    assert value(t.province_a, "citizens_assisted", "year", D(2025, 1, 1)) == 18
    assert value(t.dissolved_a, "citizens_assisted", "year", D(2025, 1, 1)) == 7
    assert value(t.province_b, "citizens_assisted", "year", D(2025, 1, 1)) == 20
    # VNeID activations come from the catalogue's activation service only; dossiers from the lines.
    assert value(t.province_a, "vneid_activations", "month", aug) == 5
    assert value(t.central, "dossiers_assisted", "month", aug) == 4


def test_ratio_is_sum_over_sum_never_an_average_of_percentages(story):
    rollup.rollup_full(today=TODAY)
    t = story.tree
    aug = D(2025, 8, 1)
    assert value(t.commune_a, "online_service_rate", "month", aug) == Decimal("10.0000")  # 1/10
    assert value(t.sibling_a, "online_service_rate", "month", aug) == Decimal("100.0000")  # 90/90
    parent = Progress.objects.get(
        org_unit=t.province_a, indicator__code="online_service_rate", period_kind="month", period_start=aug
    )
    assert (parent.numerator, parent.denominator, parent.value) == (91, 100, Decimal("91.0000"))  # not 55
    # Over time too: Q3 = (1 + 90 + 9) / (10 + 90 + 100).
    assert value(t.province_a, "online_service_rate", "quarter", D(2025, 7, 1)) == Decimal("50.0000")
    assert value(t.central, "online_service_rate", "year", D(2025, 1, 1)) == Decimal("50.0000")


def test_stock_takes_the_last_month_flow_sums(story):
    rollup.rollup_full(today=TODAY)
    t = story.tree
    assert value(t.province_a, "teams_active", "month", D(2025, 7, 1)) == 1
    assert value(t.province_a, "teams_active", "month", D(2025, 8, 1)) == 2
    assert value(t.province_a, "teams_active", "month", D(2025, 9, 1)) == 1  # dissolved 15/09
    assert value(t.province_a, "teams_active", "quarter", D(2025, 7, 1)) == 1  # September's, not 1+2+1
    assert value(t.province_a, "teams_active", "quarter", D(2025, 10, 1)) == 1  # to date: November
    assert value(t.province_a, "teams_active", "year", D(2025, 1, 1)) == 1
    # Coverage: communes with a team / communes, both stocks, ratio of sums.
    assert value(t.province_a, "team_coverage", "month", D(2025, 8, 1)) == Decimal("66.6667")  # 2/3
    q3 = Progress.objects.get(
        org_unit=t.province_a,
        indicator__code="team_coverage",
        period_kind="quarter",
        period_start=D(2025, 7, 1),
    )
    assert (q3.numerator, q3.denominator) == (1, 3)
    # The centre's denominator counts every commune of the tree (A: 3, B: 1).
    assert value(t.central, "team_coverage", "month", D(2025, 9, 1), "denominator") == 4


def test_volunteers_are_counted_once_per_person_at_every_level(story):
    rollup.rollup_full(today=TODAY)
    t = story.tree
    aug = D(2025, 8, 1)
    assert value(t.commune_a, "volunteers_active", "month", aug) == 2
    assert value(t.sibling_a, "volunteers_active", "month", aug) == 1
    assert value(t.province_a, "volunteers_active", "month", aug) == 2  # V1 is in both communes
    assert value(t.province_a, "volunteers_active", "month", D(2025, 7, 1)) == 1
    assert (
        value(t.province_a, "volunteers_active", "quarter", D(2025, 7, 1)) == 2
    )  # distinct over the quarter
    assert value(t.sibling_a, "volunteers_active", "month", D(2025, 10, 1)) is None  # left 15/09


def test_volunteer_hours_sum_activities_and_sessions_with_volunteers_present(story):
    t = story.tree
    from volunteers.models import Activity

    Activity.objects.create(
        team=story.team_a1,
        date=D(2025, 8, 2),
        kind="training",
        title="Tập huấn",
        volunteer_hours=Decimal("6.5"),
    )
    session = f.session(story.team_a1, t.commune_a, D(2025, 8, 12), ("dossier-lookup", 1, 0))
    session.volunteers.set([story.v1, story.v2])  # 2.5 h x 2 volunteers
    help_session_totals_refresh(session_ids=[session.pk])  # as the services do after the volunteers
    rollup.rollup_full(today=TODAY)
    assert value(t.province_a, "volunteer_hours", "month", D(2025, 8, 1)) == Decimal("11.5000")


def test_incremental_equals_full_and_reruns_change_nothing(story):
    t = story.tree
    rollup.rollup_full(today=TODAY)
    first = snapshot(with_time=True)
    again = rollup.rollup_full(today=TODAY)
    assert again.rows_written == 0 and again.facts_changed == 0
    assert snapshot(with_time=True) == first

    # New facts after the full run: a session, a correction, a new member, a statistic.
    f.session(story.team_a1, t.commune_a, D(2025, 11, 3), ("vneid-level2", 4, 0))
    f.session(story.team_a1, t.ward_a_ben_tre, D(2025, 9, 20), ("dvc-national-full", 2, 1))
    f.statistic(t.sibling_a, D(2025, 9, 1), 50, 25)
    f.member(f.volunteer(t.sibling_a), story.team_a1, D(2025, 10, 5))
    assert DirtyMark.objects.count() == 4
    result = rollup.rollup_dirty(today=TODAY)
    assert result.mode == "incremental" and result.marks == 4
    assert DirtyMark.objects.count() == 0
    incremental = snapshot()
    assert value(t.province_a, "citizens_assisted", "month", D(2025, 9, 1)) == 5

    PeriodValue.objects.all().delete()
    Fact.objects.all().delete()
    rollup.rollup_full(today=TODAY)
    assert snapshot() == incremental


def test_incremental_removes_facts_that_disappeared(story):
    t = story.tree
    rollup.rollup_full(today=TODAY)
    from egov_support.models import HelpSession

    HelpSession.objects.filter(org_unit=t.commune_b).delete()
    f.statistic  # noqa: B018 (the delete path is what matters)
    from core.progress_marks import mark_dirty

    mark_dirty(org_unit_id=t.commune_b.pk, day=D(2025, 8, 5))
    rollup.rollup_dirty(today=TODAY)
    assert value(t.province_b, "citizens_assisted", "month", D(2025, 8, 1)) is None
    assert value(t.central, "citizens_assisted", "month", D(2025, 8, 1)) == 15
    assert value(t.central, "citizens_assisted", "year", D(2025, 1, 1)) == 25


def test_period_option_recomputes_one_month(story):
    rollup.rollup_full(today=TODAY)
    t = story.tree
    from egov_support.models import ServiceLine

    ServiceLine.objects.filter(session__org_unit=t.commune_a).update(citizens_assisted=12)
    help_session_totals_refresh(session_ids=ServiceLine.objects.values_list("session_id", flat=True))
    DirtyMark.objects.all().delete()
    rollup.rollup_full(period=D(2025, 8, 1), today=TODAY)
    assert value(t.central, "citizens_assisted", "month", D(2025, 8, 1)) == 37


def test_a_target_gets_its_window_value_and_status(story):
    t = story.tree
    target = f.target(t.province_a, "online_service_rate", 30, D(2025, 12, 31), start=D(2025, 7, 1))
    rollup.rollup_full(today=TODAY)
    status = TargetStatus.objects.get(target=target)
    assert (status.numerator, status.denominator, status.value) == (100, 200, Decimal("50.0000"))
    assert status.status == TargetStatus.Status.ACHIEVED
    window = Progress.objects.get(
        org_unit=t.province_a, indicator__code="online_service_rate", period_kind="target"
    )
    assert (window.period_start, window.period_end, window.value) == (
        D(2025, 7, 1),
        D(2025, 12, 31),
        Decimal("50.0000"),
    )


def test_roster_counts_equal_a_person_by_person_count(story):
    """Volunteers active, from running roster counts, equal counting each person over each period:
    joins before the stock horizon, departures, a dissolved unit's roster and a long target window."""
    from org.models import OrgUnit
    from volunteers.models import Membership

    t = story.tree
    f.member(f.volunteer(t.sibling_a, "Bình"), story.team_a2, D(2021, 3, 2), D(2024, 5, 31))
    f.member(f.volunteer(t.sibling_a, "Chi"), story.team_a2, D(2022, 11, 30))
    f.member(f.volunteer(t.commune_a, "Dũng"), story.team_a1, D(2025, 2, 1), D(2025, 2, 28))
    f.member(f.volunteer(t.dissolved_district_a, "Giang"), story.team_old, D(2024, 12, 1), D(2025, 9, 1))
    # People with several memberships: gaps between them (within a commune and across communes),
    # back-to-back ones, and one whose first team was in a unit merged away since (counted distinct).
    ha = f.volunteer(t.commune_a, "Hà")
    f.member(ha, story.team_a1, D(2023, 1, 5), D(2023, 3, 20))
    f.member(ha, story.team_a2, D(2024, 2, 1), D(2024, 6, 30))
    f.member(ha, story.team_a1, D(2025, 3, 1))
    lan = f.volunteer(t.commune_a, "Lan")
    f.member(lan, story.team_a1, D(2024, 1, 1), D(2024, 3, 31))
    f.member(lan, story.team_a1, D(2024, 4, 1))
    khoa = f.volunteer(t.dissolved_district_a, "Khoa")
    f.member(khoa, story.team_old, D(2025, 1, 10), D(2025, 8, 31))
    f.member(khoa, story.team_a1, D(2025, 4, 1))
    f.target(t.province_a, "volunteers_active", 10, D(2030, 12, 31), start=D(2021, 1, 1))
    f.target(t.commune_a, "volunteers_active", 5, D(2025, 12, 31), start=D(2024, 3, 15))
    rollup.rollup_full(today=TODAY)

    maps = list(RollupMap.objects.values_list("source_id", "target_id", "month_from", "month_to"))
    memberships = [
        (
            m.volunteer_id,
            m.team.org_unit_id,
            m.joined_on.replace(day=1),
            m.left_on and m.left_on.replace(day=1),
        )
        for m in Membership.objects.select_related("team")
    ]

    def expected(unit_id, start, end, attr_month):
        sources = {s for s, target, lo, hi in maps if target == unit_id and lo <= attr_month <= hi}
        return {
            person
            for person, source, joined, left in memberships
            if source in sources and joined <= end and (left is None or left >= start)
        }

    rows = Progress.objects.filter(indicator__code="volunteers_active")
    assert rows.filter(period_kind="target").exists()
    for row in rows:
        attr = min(rollup.month_start(row.period_end), rollup.month_start(TODAY))
        people = expected(row.org_unit_id, row.period_start, row.period_end, attr)
        assert row.numerator == len(people), (
            OrgUnit.objects.get(pk=row.org_unit_id),
            row.period_kind,
            row.period_start,
        )
    # And no period with somebody on a roster is missing (month rows over the horizon).
    for unit in OrgUnit.objects.all():
        for month in rollup.months_between(D(2023, 1, 1), D(2025, 11, 1)):
            if expected(unit.pk, month, rollup.month_end(month), month):
                assert rows.filter(org_unit=unit, period_kind="month", period_start=month).exists()


def test_a_stale_map_makes_the_next_scheduled_run_a_full_one(story):
    """After units change (or a migration empties the facts and clears the signature), the beat's
    incremental run recomputes everything even with no dirty marks."""
    from progress.models import RollupState

    rollup.rollup_full(today=TODAY)
    expected = snapshot()
    Fact.objects.all().delete()
    RollupState.objects.update(map_signature="")
    result = rollup.rollup_dirty(today=TODAY)
    assert result.mode == "full" and result.map_rebuilt
    assert Fact.objects.exists() and snapshot() == expected
    assert rollup.rollup_dirty(today=TODAY).mode == "incremental"  # and then back to nothing to do


def test_a_team_created_or_dissolved_is_in_the_next_incremental_run(story, personas):
    """Teams are a stock: the team services mark their unit from the month they count from."""
    from volunteers import services as volunteer_services

    t = story.tree
    rollup.rollup_full(today=TODAY)
    assert value(t.sibling_a, "teams_active", "month", D(2025, 11, 1)) is None  # dissolved 15/09
    team = volunteer_services.team_create(
        by=personas.staff_a, org_unit=t.sibling_a, name="Tổ công nghệ số", founded_on=D(2025, 10, 2)
    )
    rollup.rollup_dirty(today=TODAY)
    assert value(t.sibling_a, "teams_active", "month", D(2025, 10, 1)) == 1
    assert value(t.province_a, "teams_active", "month", D(2025, 11, 1)) == 2  # An Hội's and the new one

    volunteer_services.team_update(
        by=personas.staff_a, team=team, status="dissolved", dissolved_on=D(2025, 10, 20)
    )
    rollup.rollup_dirty(today=TODAY)
    assert value(t.sibling_a, "teams_active", "month", D(2025, 10, 1)) is None
    assert value(t.province_a, "teams_active", "month", D(2025, 11, 1)) == 1
    incremental = snapshot()
    PeriodValue.objects.all().delete()
    Fact.objects.all().delete()
    rollup.rollup_full(today=TODAY)
    assert snapshot() == incremental


def test_an_incremental_run_recounts_volunteers_only_when_a_roster_changed(story):
    t = story.tree
    rollup.rollup_full(today=TODAY)
    before = value(t.province_a, "volunteers_active", "month", D(2025, 11, 1))

    f.session(story.team_a1, t.commune_a, D(2025, 11, 3), ("vneid-level2", 4, 0))  # no roster change
    result = rollup.rollup_dirty(today=TODAY)
    assert "volunteers" not in result.timings
    assert value(t.province_a, "volunteers_active", "month", D(2025, 11, 1)) == before
    assert value(t.province_a, "vneid_activations", "month", D(2025, 11, 1)) == 4

    f.member(f.volunteer(t.sibling_a), story.team_a1, D(2025, 11, 5))  # a roster change
    result = rollup.rollup_dirty(today=TODAY)
    assert "volunteers" in result.timings
    assert value(t.province_a, "volunteers_active", "month", D(2025, 11, 1)) == before + 1

    incremental = snapshot()
    PeriodValue.objects.all().delete()
    Fact.objects.all().delete()
    rollup.rollup_full(today=TODAY)
    assert snapshot() == incremental

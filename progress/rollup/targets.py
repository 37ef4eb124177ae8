"""Step 5. Target windows and the status of every target: an agreement's (partnerships Target)
and a campaign's (egov_support CampaignTarget), assessed by the same rule into ``TargetStatus``."""

import datetime
from decimal import Decimal

from egov_support.models import Campaign, CampaignTarget
from partnerships.models import Indicator, Target
from progress import sql
from progress.models import (
    Aggregation,
    IndicatorRule,
    PeriodKind,
    PeriodValue,
    Progress,
    TargetStatus,
)
from progress.rollup.months import month_start
from progress.rollup.periods import into_tmp_values, new_tmp_values, over_months, periods_table, sync_values
from progress.rollup.tables import COLUMNS, DISTINCT, SUMMED, T
from progress.rollup.volunteers import insert_distinct_volunteers


def new_target_windows(today: datetime.date) -> bool:
    """Whether some target's window has no row yet (a target added since the last run)."""
    have = set(
        PeriodValue.objects.filter(period_kind=PeriodKind.TARGET).values_list(
            "org_unit_id", "period_start", "period_end"
        )
    )
    targets = Target.objects.filter(indicator__rule__isnull=False).select_related("objective__agreement")
    if any((t.org_unit_id, *_target_window(t)) not in have for t in targets):
        return True
    return any((t.org_unit_id, *_campaign_window(t)) not in have for t in _campaign_targets())


def _campaign_targets() -> list[CampaignTarget]:
    return list(
        CampaignTarget.objects.select_related("campaign", "indicator__rule").filter(
            indicator__rule__isnull=False
        )
    )


def _campaign_window(target: CampaignTarget) -> tuple[datetime.date, datetime.date]:
    """A campaign target is measured over its campaign, first to last day."""
    return target.campaign.starts_on, target.campaign.ends_on


def _target_window(target: Target) -> tuple[datetime.date, datetime.date]:
    """(start, end) of the period a target is measured over."""
    return min(target_window_start(target), target.deadline), target.deadline


def target_window(target: Target, today: datetime.date) -> tuple[datetime.date, datetime.date, datetime.date]:
    """(start, end, as of) of a target's window: measured up to today, within the window."""
    start, end = _target_window(target)
    return start, end, max(min(today, target.deadline), start)


def target_window_start(target: Target) -> datetime.date:
    """A target is measured from its agreement's phase start (its objective's agreement)."""
    return target.objective.agreement.start_date


def target_rows(cursor, today: datetime.date, now, *, volunteers: bool = True) -> int:
    """Each target's window (phase start to deadline), every measure over it up to today, then the
    status of every target. A window always has a row: no facts yet is 0, not "no row"."""
    targets = list(
        Target.objects.select_related(
            "objective__agreement", "indicator__rule", "org_unit__successor"
        ).filter(indicator__rule__isnull=False)
    )
    campaign_targets = _campaign_targets()
    windows, handovers = set(), {}
    for target in targets:
        start, _, as_of = target_window(target, today)
        windows.add((target.org_unit_id, start, target.deadline, month_start(start), month_start(as_of)))
        handovers[(target.org_unit_id, start, target.deadline)] = handover(target, month_start(as_of))
    for target in campaign_targets:
        # A campaign is measured on its unit's own figures (and, through the unit map, its subtree's).
        start, end = _campaign_window(target)
        as_of = max(min(today, end), start)
        windows.add((target.org_unit_id, start, end, month_start(start), month_start(as_of)))
        handovers.setdefault((target.org_unit_id, start, end), (target.org_unit_id, month_start(as_of)))
    sql.temp_table(
        cursor,
        "tmp_windows",
        "org_unit_id bigint, pstart date, pend date, first_month date, attr_month date, "
        "measured_id bigint, split_month date",
        sorted((*w, *handovers[w[:3]]) for w in windows),
    )
    new_tmp_values(cursor)
    values = ", ".join(over_months(c, "w.attr_month", zero=True) for c in SUMMED)
    # A target on a unit dissolved before its deadline counts the unit's own months up to its end
    # (split_month), then its successor's months (Bến Tre's to 06/2025, Vĩnh Long's after).
    cursor.execute(
        f"""
        {into_tmp_values(SUMMED)}
        SELECT w.org_unit_id, 'target', w.pstart, w.pend, {values}
        FROM tmp_windows w
        LEFT JOIN {T["value"]} p ON p.period_kind = 'month'
             AND p.period_start BETWEEN w.first_month AND w.attr_month
             AND ((p.org_unit_id = w.org_unit_id AND p.period_start <= w.split_month)
                  OR (p.org_unit_id = w.measured_id AND p.period_start > w.split_month))
        GROUP BY w.org_unit_id, w.pstart, w.pend
        """
    )
    scoped = f"SELECT * FROM {T['value']} WHERE period_kind = 'target'"
    written = sync_values(cursor, scoped, SUMMED, now)
    if volunteers:  # else the windows' volunteers are as they were (no roster changed)
        periods_table(
            cursor,
            "tmp_wperiods",
            [(PeriodKind.TARGET, start, end, attr, unit) for unit, start, end, _, attr in sorted(windows)],
        )
        new_tmp_values(cursor)
        insert_distinct_volunteers(cursor, "tmp_wperiods", "", only_unit=True)
        written += sync_values(cursor, scoped, DISTINCT, now)

    rows = {
        (r.org_unit_id, r.indicator_id, r.period_start, r.period_end): r
        for r in Progress.objects.filter(period_kind=PeriodKind.TARGET)
    }
    existing = {s.target_id: s for s in TargetStatus.objects.filter(target__isnull=False)}
    for target in targets:
        start, _ = _target_window(target)
        row = rows.get((target.org_unit_id, target.indicator_id, start, target.deadline))
        fields = target_assessment(
            target=target,
            rule=target.indicator.rule,
            start=start,
            today=today,
            numerator=row.numerator if row else Decimal(0),
            denominator=row.denominator if row else None,
            value=row.value if row else None,
        )
        written += _save_status(existing.get(target.pk), fields, now, target=target)
    TargetStatus.objects.filter(campaign_target__isnull=True).exclude(
        target__in=[t.pk for t in targets]
    ).delete()
    written += _campaign_statuses(cursor, campaign_targets, rows, today, now)
    sql.drop_temp(cursor, "tmp_windows", "tmp_wperiods")
    return written


def handover(target: Target, attr_month: datetime.date) -> tuple[int, datetime.date]:
    """(unit whose months count after the split, last month of the target's own unit): the unit
    itself up to ``attr_month`` unless it was dissolved before the deadline."""
    last_day = target.handed_over_on
    if last_day is None:
        return target.org_unit_id, attr_month
    return target.measured_unit.pk, month_start(last_day)


# The measures a help session or an activity gives, which a campaign counts only when tagged with it;
# the others (official figures, teams, communes, volunteers) are the territory's over the campaign.
TAGGED = ("citizens_assisted", "dossiers_assisted", "vneid_activations", "volunteer_hours")


def _tagged_sums(cursor, campaign_targets: list[CampaignTarget]) -> dict[int, dict[str, Decimal]]:
    """Per campaign target: the tagged sessions' and activities' measures in its unit's territory
    (through the unit map, so a dissolved unit's work counts toward its successor), in one query."""
    if not campaign_targets:
        return {}
    sql.temp_table(
        cursor,
        "tmp_ctargets",
        "target_id bigint, campaign_id bigint, org_unit_id bigint",
        [(t.pk, t.campaign_id, t.org_unit_id) for t in campaign_targets],
    )
    link = Campaign.activities.through._meta.db_table
    cursor.execute(
        f"""
        SELECT ct.target_id, SUM(x.citizens), SUM(x.dossiers), SUM(x.vneid), SUM(x.hours)
        FROM tmp_ctargets ct
        JOIN (
            SELECT s.campaign_id, s.org_unit_id AS unit_id, {sql.month_of("s.date")} AS month,
                   s.total_assisted AS citizens, s.total_submitted_online AS dossiers,
                   s.total_vneid_activations AS vneid, s.volunteer_minutes / 60.0 AS hours
            FROM {T["session"]} s WHERE s.campaign_id IN (SELECT campaign_id FROM tmp_ctargets)
            UNION ALL
            SELECT l.campaign_id, t.org_unit_id, {sql.month_of("a.date")}, 0, 0, 0, a.volunteer_hours
            FROM {link} l JOIN {T["activity"]} a ON a.id = l.activity_id JOIN {T["team"]} t ON t.id = a.team_id
            WHERE l.campaign_id IN (SELECT campaign_id FROM tmp_ctargets)
        ) x ON x.campaign_id = ct.campaign_id
        JOIN {T["map"]} r ON r.source_id = x.unit_id AND r.target_id = ct.org_unit_id
             AND x.month BETWEEN r.month_from AND r.month_to
        GROUP BY ct.target_id
        """
    )
    sums = {
        target_id: dict(zip(TAGGED, (Decimal(str(v or 0)) for v in values), strict=True))
        for target_id, *values in cursor.fetchall()
    }
    sql.drop_temp(cursor, "tmp_ctargets")
    return sums


def _campaign_statuses(cursor, campaign_targets: list[CampaignTarget], rows, today, now) -> int:
    """Each campaign target's figure: its indicator's rule over the campaign's window row (the
    territory's figures), with the tagged work in place of the territory's help and hours; then the
    same assessment as an agreement's target."""
    tagged = _tagged_sums(cursor, campaign_targets)
    windows = {
        (v.org_unit_id, v.period_start, v.period_end): v
        for v in PeriodValue.objects.filter(
            period_kind=PeriodKind.TARGET, org_unit_id__in={t.org_unit_id for t in campaign_targets}
        )
    }
    existing = {s.campaign_target_id: s for s in TargetStatus.objects.filter(campaign_target__isnull=False)}
    written = 0
    for target in campaign_targets:
        rule = target.indicator.rule
        start, end = _campaign_window(target)
        window = windows.get((target.org_unit_id, start, end))
        figures = {c: getattr(window, c) if window else None for c in COLUMNS}
        figures.update(tagged.get(target.pk, dict.fromkeys(TAGGED, Decimal(0))))
        numerator, denominator, value = rule_value(rule, figures)
        fields = target_assessment(
            target=target,
            rule=rule,
            start=start,
            today=today,
            numerator=numerator,
            denominator=denominator,
            value=value,
        )
        written += _save_status(existing.get(target.pk), fields, now, campaign_target=target)
    TargetStatus.objects.filter(campaign_target__isnull=False).exclude(
        campaign_target__in=[t.pk for t in campaign_targets]
    ).delete()
    return written


def rule_value(rule: IndicatorRule, figures: dict) -> tuple[Decimal, Decimal | None, Decimal | None]:
    """(numerator, denominator, value) of a rule over one period's measures, as the Progress view
    computes them: a ratio is Σnumerator / Σdenominator x scale, none when the denominator is 0."""
    numerator = Decimal(figures.get(rule.numerator) or 0)
    if not rule.is_ratio:
        return numerator, None, numerator
    denominator = Decimal(figures.get(rule.denominator) or 0)
    if not denominator:
        return numerator, denominator, None
    return numerator, denominator, (numerator * rule.scale / denominator).quantize(Decimal("0.0001"))


AT_RISK_MARGIN = Decimal("0.9")  # a projection within 10% of the target is "at risk", not "off track"


def target_assessment(
    *, target: Target | CampaignTarget, rule: IndicatorRule, start, today, numerator, denominator, value
) -> dict:
    """Status, projection and weekly pace of one target (the rule the dashboard states).

    - value so far: the indicator over [phase start, min(today, deadline)];
    - projection, linear in time: flows and distinct counts grow from 0 at the same pace
      (value x total days / elapsed days); stocks and ratios move from the baseline (0 if none)
      at the same pace: baseline + (value - baseline) x total / elapsed;
    - achieved: the target is met (for "at most": met at the deadline); off track: the deadline
      passed unmet, or the projection misses by more than 10%; at risk: it misses by at most 10%;
      on track: the projection meets the target.
    - needs per week: what is still missing / weeks left (for ratios, in points).
    """
    goal = Decimal(target.target_value)
    at_least = target.direction == Indicator.Direction.AT_LEAST
    fields = {
        "window_start": start,
        "numerator": Decimal(numerator or 0).quantize(Decimal("0.01")),
        "denominator": None if denominator is None else Decimal(denominator).quantize(Decimal("0.01")),
        "value": None if value is None else Decimal(value).quantize(Decimal("0.0001")),
        "projected": None,
        "needs_per_week": None,
    }
    if value is None:
        fields["status"] = TargetStatus.Status.NO_DATA
        return fields
    current = Decimal(value)
    as_of = min(today, target.deadline)
    total_days = Decimal((target.deadline - start).days + 1)
    elapsed_days = Decimal(max((as_of - start).days + 1, 1))
    if rule.aggregation in (Aggregation.FLOW, Aggregation.DISTINCT):
        projected = current * total_days / elapsed_days
    else:
        base = Decimal(target.baseline or 0)
        projected = base + (current - base) * total_days / elapsed_days
    fields["projected"] = projected.quantize(Decimal("0.0001"))
    weeks_left = max(Decimal((target.deadline - as_of).days) / 7, Decimal(1) / 7)
    missing = goal - current if at_least else Decimal(0)
    fields["needs_per_week"] = (max(missing, Decimal(0)) / weeks_left).quantize(Decimal("0.0001"))

    def meets(x: Decimal) -> bool:
        return x >= goal if at_least else x <= goal

    deadline_passed = today >= target.deadline
    if meets(current) and (at_least or deadline_passed):
        fields["status"] = TargetStatus.Status.ACHIEVED
    elif deadline_passed:
        fields["status"] = TargetStatus.Status.OFF_TRACK
    elif meets(projected):
        fields["status"] = TargetStatus.Status.ON_TRACK
    elif (projected >= goal * AT_RISK_MARGIN) if at_least else (projected <= goal * (2 - AT_RISK_MARGIN)):
        fields["status"] = TargetStatus.Status.AT_RISK
    else:
        fields["status"] = TargetStatus.Status.OFF_TRACK
    return fields


def _save_status(status: TargetStatus | None, fields: dict, now, **target) -> int:
    """Create the target's status row, or update it when a figure changed; 1 when written, else 0."""
    if status is None:
        TargetStatus.objects.create(computed_at=now, **target, **fields)
        return 1
    if all(getattr(status, k) == v for k, v in fields.items()):
        return 0
    for k, v in fields.items():
        setattr(status, k, v)
    status.computed_at = now
    status.save()
    return 1

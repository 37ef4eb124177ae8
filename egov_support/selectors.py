"""Use-case reads, always through the caller's scope, with their joins fixed here."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from accounts import choices
from accounts.access import Action, get_in_scope_or_404, scope_for
from core.history import history_rows
from core.params import int_param
from egov_support.models import Campaign, CampaignTarget, HelpSession, Service, ServiceLine, ServiceStatistic
from org.models import OrgUnit
from signoff.selectors import lock_reason
from volunteers import selectors as volunteer_selectors
from volunteers.models import Activity, Membership, Team, Volunteer


@dataclass
class SessionFilters:
    unit: OrgUnit | None = None  # the unit and its subtree
    team: Team | None = None
    service: Service | None = None
    campaign: Campaign | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def service_list(*, active_only: bool = True) -> QuerySet[Service]:
    services = Service.objects.all()
    return services.filter(is_active=True) if active_only else services


def campaign_list(*, user) -> QuerySet[Campaign]:
    """Campaigns run by a unit in the user's view scope, or one they take part in."""
    scope = scope_for(user, Action.VIEW)
    if scope.is_empty:
        return Campaign.objects.none()
    visible = Campaign.objects.filter(scope.q("org_unit__path") | scope.q("participating_units__path"))
    return (
        Campaign.objects.filter(pk__in=visible.values("pk"))
        .select_related("org_unit")
        .prefetch_related("participating_units")
    )


def campaign_get(*, user, pk: int) -> Campaign:
    """A campaign the user sees, or 404 (run outside their scope and no unit of theirs in it)."""
    campaign = campaign_list(user=user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def campaign_targets(*, campaign: Campaign) -> list[CampaignTarget]:
    """A campaign's targets with where each stands (the rollup's status), by unit then indicator."""
    return list(
        campaign.targets.select_related("indicator", "org_unit", "progress_status").order_by(
            "org_unit__path", "indicator__code", "pk"
        )
    )


def campaign_work(*, campaign: Campaign) -> dict:
    """What was tagged with the campaign: help sessions (and citizens helped) and activities."""
    sessions = campaign.help_sessions.aggregate(
        sessions=Count("pk"), assisted=Coalesce(Sum("total_assisted"), 0)
    )
    return {**sessions, "activities": campaign.activities.count()}


def campaign_activities(*, user, campaign: Campaign) -> QuerySet[Activity]:
    """The activities tagged with the campaign, and those the user could tag (logged in their log
    scope during the campaign): the tagging form's choices."""
    scope = scope_for(user, Action.LOG)
    return (
        scope.filter(Activity.objects.all(), "team__org_unit")
        .filter(date__gte=campaign.starts_on, date__lte=campaign.ends_on)
        .select_related("team")
        .order_by("-date", "-pk")
    )


def _filter_sessions(sessions: QuerySet, filters: SessionFilters | None) -> QuerySet:
    if filters is None:
        return sessions
    if filters.unit is not None:
        sessions = sessions.filter(org_unit__path__startswith=filters.unit.path)
    if filters.team is not None:
        sessions = sessions.filter(team=filters.team)
    if filters.service is not None:
        sessions = sessions.filter(lines__service=filters.service)
    if filters.campaign is not None:
        sessions = sessions.filter(campaign=filters.campaign)
    if filters.date_from:
        sessions = sessions.filter(date__gte=filters.date_from)
    if filters.date_to:
        sessions = sessions.filter(date__lte=filters.date_to)
    return sessions


def help_session_list(
    *, user, filters: SessionFilters | None = None, with_volunteers: bool = False
) -> QuerySet[HelpSession]:
    """Sessions whose team or place is in the user's view scope (their totals are stored on them),
    with their lines; ``with_volunteers`` also fetches who took part (the API shows them, the list
    and its export do not)."""
    scope = scope_for(user, Action.VIEW)
    sessions = scope.filter(HelpSession.objects.all(), "org_unit")
    sessions = _filter_sessions(sessions, filters)
    if filters is not None and filters.service is not None:
        # Filtered by a service: the ids first, so the totals are not multiplied by the join.
        sessions = HelpSession.objects.filter(pk__in=sessions.values("pk"))
    sessions = sessions.select_related("team", "org_unit", "campaign").prefetch_related(
        Prefetch("lines", queryset=ServiceLine.objects.select_related("service"))
    )
    if with_volunteers:
        people = Volunteer.objects.only("pk", "family_name", "middle_name", "given_name")
        sessions = sessions.prefetch_related(Prefetch("volunteers", queryset=people))
    return sessions.order_by("-date", "-start_time", "-pk")


def help_session_totals(*, user, filters: SessionFilters | None = None) -> dict:
    """Totals over every session the filters select, in one query: the sessions' stored totals
    (an index-only scan of ``helpsession_totals``), or the chosen service's lines."""
    scope = scope_for(user, Action.VIEW)
    f = filters or SessionFilters()
    sessions = _filter_sessions(scope.filter(HelpSession.objects.all(), "org_unit"), filters)
    if f.service is None:  # the sessions' stored totals: no join of their lines
        return sessions.aggregate(
            assisted=Coalesce(Sum("total_assisted"), 0),
            submitted_online=Coalesce(Sum("total_submitted_online"), 0),
            successful=Coalesce(Sum("total_successful"), 0),
            sessions=Count("*"),  # not COUNT(id): the id is not in the totals index
        )
    lines = ServiceLine.objects.filter(session__in=sessions.values("pk"), service=f.service)
    return lines.aggregate(
        assisted=Coalesce(Sum("citizens_assisted"), 0),
        submitted_online=Coalesce(Sum("dossiers_online"), 0),
        successful=Coalesce(Sum("successful"), 0),
        sessions=Count("session", distinct=True),
    )


def help_session_get(*, user, pk: int, action: Action = Action.VIEW) -> HelpSession:
    return get_in_scope_or_404(
        HelpSession.objects.select_related(
            "team", "team__org_unit", "org_unit", "campaign", "created_by"
        ).prefetch_related(
            Prefetch("lines", queryset=ServiceLine.objects.select_related("service")),
            "volunteers",
            "contacts",
        ),
        user,
        action,
        "org_unit",
        pk=pk,
    )


def help_session_history(*, session: HelpSession) -> list:
    """Changes to the session and its service lines (follow-up contacts keep no history)."""
    return history_rows(session.history.all(), ServiceLine.history.filter(session_id=session.pk))


def service_statistic_history(*, statistic: ServiceStatistic) -> list:
    return history_rows(statistic.history.all())


# The services volunteers help with most, first on the phone form until the teams have a history
# of their own: VNeID (install, level-2 account), full online public services, online payment.
COMMON_SERVICE_CODES = (
    "vneid-level2",
    "vneid-install",
    "dvc-national-full",
    "dvc-provincial-full",
    "online-fee-payment",
    "dossier-lookup",
)


def services_most_used(*, teams: QuerySet[Team], services: list[Service], limit: int = 6) -> list[Service]:
    """The ``limit`` services of ``services`` the teams logged most often, most used first.

    Ties (and teams with no sessions yet) fall back to COMMON_SERVICE_CODES, then catalogue order.
    One query: lines counted per service over the teams' sessions.
    """
    counts = dict(
        ServiceLine.objects.filter(session__team__in=teams)
        .order_by()
        .values_list("service")
        .annotate(n=Count("pk"))
    )
    common = {code: position for position, code in enumerate(COMMON_SERVICE_CODES)}
    ranked = sorted(
        enumerate(services),
        key=lambda item: (-counts.get(item[1].pk, 0), common.get(item[1].code, len(common)), item[0]),
    )
    return [service for _, service in ranked[:limit]]


def teams_for_logging(*, user) -> QuerySet[Team]:
    return (
        scope_for(user, Action.LOG)
        .filter(Team.objects.active(), "org_unit")
        .select_related("org_unit")
        .order_by("org_unit__name", "name")
    )


def roster_for_logging(*, teams: QuerySet[Team], team) -> list[Volunteer]:
    """The active members of ``team`` (a pk, a Team or nothing), in Vietnamese order, if it is one of
    the ``teams`` the user may log for; else nobody."""
    team_id = int_param(getattr(team, "pk", team))
    chosen = teams.filter(pk=team_id).first() if team_id else None
    return list(team_roster(team=chosen).order_by("sort_name")) if chosen else []


def team_roster(*, team: Team, day: datetime.date | None = None) -> QuerySet[Volunteer]:
    memberships = Membership.objects.filter(team=team).active()
    if day:
        memberships = Membership.objects.filter(team=team, joined_on__lte=day).exclude(left_on__lt=day)
    return Volunteer.objects.filter(pk__in=memberships.values("volunteer_id")).not_erased()


def service_statistic_list(
    *,
    user,
    unit: OrgUnit | None = None,
    month_from: datetime.date | None = None,
    month_to: datetime.date | None = None,
    source: str | None = None,
) -> QuerySet[ServiceStatistic]:
    statistics = scope_for(user, Action.VIEW).filter(ServiceStatistic.objects.all(), "org_unit")
    if unit is not None:
        statistics = statistics.filter(org_unit__path__startswith=unit.path)
    if month_from:
        statistics = statistics.filter(month__gte=month_from)
    if month_to:
        statistics = statistics.filter(month__lte=month_to)
    if source:
        statistics = statistics.filter(source=source)
    return statistics.select_related("org_unit").order_by("-month", "org_unit__path", "source")


def service_statistic_get(*, user, pk: int, action: Action = Action.VIEW) -> ServiceStatistic:
    return get_in_scope_or_404(
        ServiceStatistic.objects.select_related("org_unit"), user, action, "org_unit", pk=pk
    )


def rate(online: int | None, total: int | None) -> float | None:
    """A ratio of sums: Σonline / Σtotal, never an average of the units' percentages."""
    return (online or 0) / total if total else None


def statistics_by_month(statistics: QuerySet[ServiceStatistic]) -> list[dict]:
    """Σtotal, Σonline and their rate per month over the rows selected (one GROUP BY query)."""
    rows = (
        statistics.order_by()
        .values("month")
        .annotate(total=Sum("dossiers_total"), online=Sum("dossiers_online"), payments=Sum("online_payments"))
        .order_by("month")
    )
    return [{**row, "rate": rate(row["online"], row["total"])} for row in rows]


def statistics_totals(statistics: QuerySet[ServiceStatistic]) -> dict:
    totals = statistics.order_by().aggregate(
        total=Coalesce(Sum("dossiers_total"), 0),
        online=Coalesce(Sum("dossiers_online"), 0),
        payments=Sum("online_payments"),
        rows=Count("pk"),
    )
    totals["rate"] = rate(totals["online"], totals["total"])
    return totals


# --- A team's week and its citizens helped ----------------------------------------------------


def team_week(*, team: Team, iso_year: int, iso_week: int) -> dict:
    """The weekly report's content: the team's activities and its help sessions of that ISO week.

    Help sessions are the one record of citizens helped (activities count people reached by
    outreach), so the week's citizens assisted are the sessions' stored totals. Raises ValueError
    for a week that does not exist.
    """
    data = volunteer_selectors.weekly_report(team=team, iso_year=iso_year, iso_week=iso_week)
    sessions = list(
        HelpSession.objects.filter(team=team, date__range=(data["monday"], data["sunday"]))
        .select_related("org_unit")
        .order_by("date", "start_time", "pk")
    )
    return {
        **data,
        "sessions": sessions,
        "citizens_assisted": sum(s.total_assisted for s in sessions),
    }


def team_help_summary(*, team: Team, months: int = 12) -> dict:
    """Citizens a team helped: in total and per month of the last ``months`` (its sessions' totals)."""
    sessions = HelpSession.objects.filter(team=team)
    totals = sessions.aggregate(sessions=Count("*"), assisted=Coalesce(Sum("total_assisted"), 0))
    first = (timezone.localdate().replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    by_month = (
        sessions.filter(date__gte=first)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(sessions=Count("*"), assisted=Coalesce(Sum("total_assisted"), 0))
        .order_by("-month")
    )
    return {**totals, "months": list(by_month)}


# What a write may link to (accounts.choices): the campaigns the user sees (run in their scope or
# with a unit of theirs taking part), sessions of units in scope, and the shared service catalogue.
WRITE_CHOICES = {
    Campaign: lambda user, action: campaign_list(user=user),
    CampaignTarget: choices.unit_owned(CampaignTarget, "org_unit"),
    HelpSession: choices.unit_owned(HelpSession, "org_unit"),
    Service: choices.shared(Service),
}


def help_session_lock(session: HelpSession) -> str | None:
    """Why ``session`` cannot be changed by anyone now (its month is approved and locked), or None."""
    return lock_reason(marks=[(session.org_unit_id, session.date)])

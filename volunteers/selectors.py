"""Use-case reads, always through the caller's scope; joins and prefetches are fixed here."""

import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts import choices
from accounts.access import Action, get_in_scope_or_404, scope_for
from accounts.models import Role, RoleAssignment
from core.history import history_rows
from partnerships.selectors import agreements_visible
from volunteers.models import Activity, Membership, Skill, Team, Volunteer, WeeklyReport

ACTIVE_DAYS = 30


def _active_member_count():
    return Coalesce(
        Subquery(
            Membership.objects.filter(team=OuterRef("pk"), left_on__isnull=True)
            .order_by()
            .values("team")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _last_activity_date():
    return Subquery(Activity.objects.filter(team=OuterRef("pk")).order_by("-date").values("date")[:1])


# --- Teams -----------------------------------------------------------------------------------


def team_list(
    *,
    user,
    action: Action = Action.VIEW,
    kind: str | None = None,
    status: str | None = None,
    unit=None,
    search: str | None = None,
    active_in_days: int | None = None,
) -> QuerySet[Team]:
    teams = scope_for(user, action).filter(Team.objects.all(), "org_unit")
    if kind:
        teams = teams.filter(kind=kind)
    if status:
        teams = teams.filter(status=status)
    if unit is not None:
        teams = teams.filter(org_unit__path__startswith=unit.path)
    if search:
        from core.text import fold

        teams = teams.filter(search_name__contains=fold(search))
    if active_in_days:
        since = timezone.localdate() - datetime.timedelta(days=active_in_days)
        teams = teams.filter(Exists(Activity.objects.filter(team=OuterRef("pk"), date__gte=since)))
    return teams.select_related("org_unit").annotate(
        member_count=_active_member_count(), last_activity_on=_last_activity_date()
    )


def team_get(*, user, pk: int, action: Action = Action.VIEW) -> Team:
    return get_in_scope_or_404(Team.objects.select_related("org_unit"), user, action, "org_unit", pk=pk)


def team_agreements(*, user, team: Team) -> QuerySet:
    """The agreements ``team`` serves that ``user`` may see (another province's stay unnamed)."""
    return agreements_visible(user, Action.VIEW).filter(volunteer_teams=team).order_by("-start_date", "title")


def teams_for_logging(*, user) -> QuerySet[Team]:
    """Teams the user may log activities for (active or paused), in their log scope."""
    return (
        scope_for(user, Action.LOG)
        .filter(Team.objects.exclude(status=Team.Status.DISSOLVED), "org_unit")
        .select_related("org_unit")
        .order_by("name")
    )


def teams_led_by(*, user) -> QuerySet[Team]:
    """Teams whose active leader is the volunteer linked to ``user``, within their log scope."""
    if not user.is_authenticated:
        return Team.objects.none()
    return teams_for_logging(user=user).filter(
        memberships__volunteer__user=user,
        memberships__role=Membership.Role.LEADER,
        memberships__left_on__isnull=True,
    )


def default_team_for(*, user, teams: QuerySet[Team]) -> Team | None:
    """The team the phone flow pre-selects: the one the user leads, or the only one they can log for."""
    led = list(teams_led_by(user=user)[:2])
    if len(led) == 1:
        return led[0]
    if not led:
        only = list(teams[:2])
        if len(only) == 1:
            return only[0]
    return None


def team_roster(*, team: Team, include_past: bool = False) -> QuerySet[Membership]:
    memberships = team.memberships.select_related("volunteer__home_unit").prefetch_related(
        "volunteer__skills"
    )
    if not include_past:
        memberships = memberships.active()
    # Leader, deputies, then members; each group by given name the Vietnamese way.
    role_rank = Case(
        When(role=Membership.Role.LEADER, then=Value(0)),
        When(role=Membership.Role.DEPUTY, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return memberships.annotate(role_rank=role_rank).order_by("left_on", "role_rank", "volunteer__sort_name")


def team_activities(*, team: Team) -> QuerySet[Activity]:
    return team.activities.annotate(photo_count=Count("photos")).order_by("-date", "-pk")


def team_hours_by_month(*, team: Team, months: int = 12) -> list[dict]:
    """Activities, people reached and volunteer-hours per month, newest first."""
    since = (timezone.localdate().replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    return list(
        team.activities.filter(date__gte=since)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(
            activities=Count("pk"),
            participants=Sum("participants"),
            hours=Coalesce(Sum("volunteer_hours"), Value(Decimal("0")), output_field=DecimalField()),
        )
        .order_by("-month")
    )


def team_totals(*, teams: QuerySet[Team]) -> dict:
    """Aggregates the statistics read: activities, volunteer-hours and memberships (erasure keeps them)."""
    activities = Activity.objects.filter(team__in=teams).aggregate(
        activities=Count("pk"), hours=Coalesce(Sum("volunteer_hours"), Value(Decimal("0")))
    )
    memberships = Membership.objects.filter(team__in=teams).aggregate(
        memberships=Count("pk"), active=Count("pk", filter=Q(left_on__isnull=True))
    )
    return {**activities, **memberships}


# --- Volunteers ------------------------------------------------------------------------------


def volunteer_list(
    *,
    user,
    action: Action = Action.VIEW,
    search: str | None = None,
    skill: int | None = None,
    unit=None,
    team: Team | None = None,
    active_in_days: int | None = None,
) -> QuerySet[Volunteer]:
    volunteers = scope_for(user, action).filter(Volunteer.objects.all(), "home_unit")
    if search:
        volunteers = volunteers.search(search)
    if skill:
        volunteers = volunteers.filter(skills__pk=skill)
    if unit is not None:
        volunteers = volunteers.filter(home_unit__path__startswith=unit.path)
    if team is not None:
        volunteers = volunteers.filter(memberships__team=team, memberships__left_on__isnull=True)
    if active_in_days:
        since = timezone.localdate() - datetime.timedelta(days=active_in_days)
        volunteers = volunteers.filter(
            Exists(
                Membership.objects.filter(
                    volunteer=OuterRef("pk"), left_on__isnull=True, team__activities__date__gte=since
                )
            )
        )
    active_teams = Membership.objects.active().select_related("team").order_by("team__name")
    return (
        volunteers.select_related("home_unit")
        .prefetch_related(
            "skills", Prefetch("memberships", queryset=active_teams, to_attr="active_memberships")
        )
        .distinct()
    )


def volunteer_get(*, user, pk: int, action: Action = Action.VIEW) -> Volunteer:
    return get_in_scope_or_404(
        Volunteer.objects.select_related("home_unit", "user"), user, action, "home_unit", pk=pk
    )


def volunteer_memberships(*, volunteer: Volunteer, user) -> QuerySet[Membership]:
    """A person's memberships in teams the user may see."""
    return (
        scope_for(user, Action.VIEW)
        .filter(volunteer.memberships.all(), "team__org_unit")
        .select_related("team", "team__org_unit")
        .order_by("left_on", "-joined_on")
    )


def volunteer_history(*, volunteer: Volunteer) -> list[dict]:
    """Changes to a volunteer as shown to users: who, when, which fields; never the values."""
    records = list(volunteer.history.select_related("history_user").order_by("-history_date")[:20])
    rows = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changed = []
        if older is not None:
            changed = sorted(change.field for change in newer.diff_against(older).changes)
        rows.append({"record": newer, "changed": changed})
    return rows


def team_history(*, team: Team) -> list:
    return history_rows(team.history.all())


def volunteer_history_rows(*, volunteer: Volunteer) -> list:
    """For staff: the change history with values, personal ones masked (core.history)."""
    return history_rows(volunteer.history.all(), unit_field="home_unit")


def volunteer_export_data(*, volunteer: Volunteer) -> dict:
    """Everything the portal holds about one person, for a data-access request."""

    def day(value):
        return value.isoformat() if value else None

    return {
        "exported_at": timezone.now().isoformat(),
        "volunteer": {
            "id": volunteer.pk,
            "family_name": volunteer.family_name,
            "middle_name": volunteer.middle_name,
            "given_name": volunteer.given_name,
            "birth_year": volunteer.birth_year,
            "sex": volunteer.sex,
            "phone": volunteer.phone,
            "email": volunteer.email,
            "member_code": volunteer.member_code,
            "home_unit": {"code": volunteer.home_unit.code, "name": volunteer.home_unit.name},
            "skills": sorted(s.name for s in volunteer.skills.all()),
            "consent": {"date": day(volunteer.consent_on), "purpose": volunteer.consent_purpose},
            "portal_account": volunteer.user.username if volunteer.user_id else None,
            "created_at": volunteer.created_at.isoformat(),
            "erased_at": volunteer.erased_at.isoformat() if volunteer.erased_at else None,
        },
        "trainings": [
            {"course": t.course, "completed_on": day(t.completed_on)} for t in volunteer.trainings.all()
        ],
        "memberships": [
            {
                "team": m.team.name,
                "org_unit": m.team.org_unit.name,
                "role": m.role,
                "joined_on": day(m.joined_on),
                "left_on": day(m.left_on),
            }
            for m in volunteer.memberships.select_related("team__org_unit").order_by("joined_on")
        ],
    }


# --- Activities ------------------------------------------------------------------------------


def activity_list(
    *,
    user,
    team: Team | None = None,
    kind: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Activity]:
    activities = scope_for(user, Action.VIEW).filter(Activity.objects.all(), "team__org_unit")
    if team is not None:
        activities = activities.filter(team=team)
    if kind:
        activities = activities.filter(kind=kind)
    if date_from:
        activities = activities.filter(date__gte=date_from)
    if date_to:
        activities = activities.filter(date__lte=date_to)
    return activities.select_related("team", "team__org_unit", "created_by").annotate(
        photo_count=Count("photos")
    )


def activity_get(*, user, pk: int, action: Action = Action.VIEW) -> Activity:
    return get_in_scope_or_404(
        Activity.objects.select_related("team", "team__org_unit", "created_by").prefetch_related("photos"),
        user,
        action,
        "team__org_unit",
        pk=pk,
    )


# --- Weekly reports --------------------------------------------------------------------------


def week_bounds(iso_year: int, iso_week: int) -> tuple[datetime.date, datetime.date]:
    monday = datetime.date.fromisocalendar(iso_year, iso_week, 1)
    return monday, monday + datetime.timedelta(days=6)


def weekly_report(*, team: Team, iso_year: int, iso_week: int) -> dict:
    monday, sunday = week_bounds(iso_year, iso_week)
    activities = list(team.activities.filter(date__range=(monday, sunday)).order_by("date", "pk"))
    return {
        "monday": monday,
        "sunday": sunday,
        "activities": activities,
        "report": WeeklyReport.objects.filter(team=team, iso_year=iso_year, iso_week=iso_week)
        .select_related("submitted_by")
        .first(),
        "participants": sum(a.participants for a in activities),
        "hours": sum((a.volunteer_hours for a in activities), Decimal("0")),
    }


def teams_without_report(*, user, iso_year: int, iso_week: int) -> QuerySet[Team]:
    """Active teams the user logs for that have not submitted the given week's report."""
    monday, sunday = week_bounds(iso_year, iso_week)
    reported = WeeklyReport.objects.filter(team=OuterRef("pk"), iso_year=iso_year, iso_week=iso_week)
    return (
        scope_for(user, Action.LOG)
        .filter(Team.objects.active(), "org_unit")
        .exclude(Exists(reported))
        .select_related("org_unit")
        .annotate(
            week_activities=Coalesce(
                Subquery(
                    Activity.objects.filter(team=OuterRef("pk"), date__range=(monday, sunday))
                    .order_by()
                    .values("team")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
        .order_by("org_unit__path", "name")
    )


# --- Whom to call in a unit (reporting status, reminders) -------------------------------------


def unit_contacts(*, units) -> dict[int, dict]:
    """Who to call in each unit: {unit id: {"name", "phone"}}.

    The unit's leader (their role on the unit; the phone from their volunteer record), else the
    leader of one of its active teams, else a team's contact person. Three queries for a page.
    """
    ids = [u.pk for u in units]
    contacts: dict[int, dict] = {}
    leaders = (
        RoleAssignment.objects.filter(org_unit_id__in=ids, role=Role.UNIT_LEADER, user__is_active=True)
        .select_related("user")
        .order_by("org_unit_id", "created_at")
    )
    phones = dict(
        Volunteer.objects.filter(user__in=[a.user_id for a in leaders], erased_at__isnull=True)
        .exclude(phone="")
        .values_list("user_id", "phone")
    )
    for assignment in leaders:
        contacts.setdefault(
            assignment.org_unit_id,
            {
                "name": assignment.user.get_full_name() or assignment.user.username,
                "phone": phones.get(assignment.user_id, ""),
            },
        )
    missing = [i for i in ids if i not in contacts]
    if missing:
        memberships = (
            Membership.objects.active()
            .filter(
                team__org_unit_id__in=missing, team__in=Team.objects.active(), role=Membership.Role.LEADER
            )
            .select_related("volunteer", "team")
            .order_by("team__org_unit_id", "joined_on")
        )
        for m in memberships:
            contacts.setdefault(
                m.team.org_unit_id, {"name": m.volunteer.full_name, "phone": m.volunteer.phone}
            )
        for team in Team.objects.active().filter(org_unit_id__in=missing).exclude(contact_name=""):
            contacts.setdefault(team.org_unit_id, {"name": team.contact_name, "phone": team.contact_phone})
    return contacts


# What a write may link to (accounts.choices): teams, volunteers and activities of units in scope.
WRITE_CHOICES = {
    Team: choices.unit_owned(Team, "org_unit"),
    Volunteer: choices.unit_owned(Volunteer, "home_unit"),
    Activity: choices.unit_owned(Activity, "team__org_unit"),
    Skill: choices.shared(Skill),
}

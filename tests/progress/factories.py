"""Small builders for the facts the rollup reads (the lower apps' models, written directly)."""

import datetime
import itertools

from core.progress_marks import mark_dirty
from egov_support.models import HelpSession, Service, ServiceLine, ServiceStatistic
from egov_support.services import help_session_totals_refresh
from partnerships.models import Agreement, Indicator, Objective, Target
from volunteers.models import Membership, Team, Volunteer

_counter = itertools.count(1)


def team(unit, *, founded_on, dissolved_on=None, name=None) -> Team:
    return Team.objects.create(
        name=name or f"Đội {next(_counter)}",
        org_unit=unit,
        founded_on=founded_on,
        status=Team.Status.DISSOLVED if dissolved_on else Team.Status.ACTIVE,
        dissolved_on=dissolved_on,
    )


def session(team_, unit, day: datetime.date, *lines: tuple[str, int, int], mark: bool = True) -> HelpSession:
    """A help session with lines (service code, citizens assisted, dossiers online)."""
    created = HelpSession.objects.create(
        team=team_,
        org_unit=unit,
        location_kind="commune_office",
        date=day,
        start_time=datetime.time(8, 0),
        end_time=datetime.time(10, 30),
    )
    for code, citizens, dossiers in lines:
        ServiceLine.objects.create(
            session=created,
            service=Service.objects.get(code=code),
            citizens_assisted=citizens,
            dossiers_online=dossiers,
        )
    help_session_totals_refresh(session_ids=[created.pk])  # as the services do after the lines
    if mark:
        mark_dirty(org_unit_id=unit.pk, day=day)
    return created


def statistic(unit, month: datetime.date, total: int, online: int, source="provincial_portal"):
    stat = ServiceStatistic.objects.create(
        org_unit=unit, month=month, dossiers_total=total, dossiers_online=online, source=source
    )
    mark_dirty(org_unit_id=unit.pk, day=month)
    return stat


def volunteer(unit, name="An") -> Volunteer:
    return Volunteer.objects.create(
        family_name="Nguyễn",
        given_name=f"{name}{next(_counter)}",
        home_unit=unit,
        consent_on=datetime.date(2025, 7, 1),
        consent_purpose="Hoạt động tình nguyện",
    )


def member(volunteer_, team_, joined_on, left_on=None) -> Membership:
    membership = Membership.objects.create(
        volunteer=volunteer_, team=team_, joined_on=joined_on, left_on=left_on
    )
    mark_dirty(org_unit_id=team_.org_unit_id, day=joined_on, rosters=True)  # as the services do
    return membership


def target(
    unit, code: str, value, deadline, *, start=datetime.date(2025, 7, 1), baseline=None, direction="at_least"
):
    agreement = Agreement.objects.create(
        title=f"Thỏa thuận {next(_counter)}",
        start_date=start,
        end_date=deadline + datetime.timedelta(days=365),
    )
    objective = Objective.objects.create(
        agreement=agreement, number=1, text="Mục tiêu", area="digital_government"
    )
    return Target.objects.create(
        objective=objective,
        indicator=Indicator.objects.get(code=code),
        org_unit=unit,
        target_value=value,
        baseline=baseline,
        deadline=deadline,
        direction=direction,
    )

"""Factories for the volunteers app; services are what tests exercise, these only set the stage."""

import datetime

import factory

from volunteers.models import Activity, Membership, Team, Volunteer, WeeklyReport


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Đội thanh niên chuyển đổi số {n}")
    kind = Team.Kind.DIGITAL_YOUTH
    founded_on = datetime.date(2024, 3, 26)


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    family_name = "Nguyễn"
    middle_name = "Thị"
    given_name = factory.Sequence(lambda n: f"Lan{n}")
    birth_year = 2001
    sex = Volunteer.Sex.FEMALE
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    consent_on = datetime.date(2025, 9, 1)
    consent_purpose = "Tham gia đội tình nguyện"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    volunteer = factory.SubFactory(VolunteerFactory, home_unit=factory.SelfAttribute("..team.org_unit"))
    team = factory.SubFactory(TeamFactory)
    role = Membership.Role.MEMBER
    joined_on = datetime.date(2025, 9, 1)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    team = factory.SubFactory(TeamFactory)
    date = datetime.date(2025, 10, 6)
    kind = Activity.Kind.COMMUNICATION
    title = factory.Sequence(lambda n: f"Tuyên truyền VNeID {n}")
    participants = 40
    volunteers_count = 6
    volunteer_hours = 12


class WeeklyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklyReport

    team = factory.SubFactory(TeamFactory)
    iso_year = 2025
    iso_week = 41
    submitted_at = factory.LazyFunction(lambda: datetime.datetime(2025, 10, 12, 10, tzinfo=datetime.UTC))

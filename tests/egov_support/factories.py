"""Factories for e-government support tests (teams and volunteers made here, minimal and valid)."""

import datetime

import factory

from egov_support.models import Campaign, HelpSession, Service, ServiceLine, ServiceStatistic
from egov_support.services import help_session_totals_refresh
from volunteers.models import Membership, Team, Volunteer


def catalogue_service(code: str = "vneid-level2") -> Service:
    """A service of the seeded catalogue (re-created if a transactional test flushed the table)."""
    return ServiceFactory(code=code)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"svc-{n}")
    name_vi = factory.LazyAttribute(lambda o: f"Dịch vụ {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Service {o.code}")
    category = Service.Category.PUBLIC_SERVICE


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Đội hình thanh niên CĐS số {n}")
    org_unit = None
    founded_on = datetime.date(2025, 3, 26)


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    family_name = "Nguyễn"
    middle_name = "Văn"
    given_name = factory.Sequence(lambda n: f"An{n}")
    home_unit = None
    consent_on = datetime.date(2025, 3, 26)
    consent_purpose = "Điều phối hoạt động tình nguyện"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    volunteer = factory.SubFactory(VolunteerFactory, home_unit=factory.SelfAttribute("..team.org_unit"))
    team = None
    joined_on = datetime.date(2025, 3, 26)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Chiến dịch {n}")
    org_unit = None
    starts_on = datetime.date(2025, 7, 1)
    ends_on = datetime.date(2025, 12, 31)


class HelpSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpSession

    team = None
    org_unit = factory.LazyAttribute(lambda o: o.team.org_unit)
    location_kind = "one_stop_desk"
    date = datetime.date(2025, 9, 10)
    start_time = datetime.time(7, 30)
    end_time = datetime.time(11, 0)


class ServiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLine
        # The hook below writes the session's totals, not the line: saving the line again after it
        # would be a wasted UPDATE (and factory_boy warns it will stop doing so).
        skip_postgeneration_save = True

    session = None
    service = factory.SubFactory(ServiceFactory)
    citizens_assisted = 10
    dossiers_online = 5
    successful = 8

    @factory.post_generation
    def session_totals(self, create, extracted, **kwargs):
        """The session's stored totals follow its lines, as the services keep them."""
        if create:
            help_session_totals_refresh(session_ids=[self.session_id])


class ServiceStatisticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceStatistic

    org_unit = None
    month = datetime.date(2025, 9, 1)
    dossiers_total = 100
    dossiers_online = 25

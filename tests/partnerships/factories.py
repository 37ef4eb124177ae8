"""Partnership test data, written through the services like everything else."""

import datetime
from decimal import Decimal

import factory

from core.text import fold
from partnerships import services
from partnerships.models import Agreement, Indicator, Partner


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["name"]

    kind = Partner.Kind.ENTERPRISE
    name = factory.Sequence(lambda n: f"VNPT chi nhánh {n}")
    short_name = factory.LazyAttribute(lambda o: o.name)
    search_name = factory.LazyAttribute(lambda o: fold(f"{o.name} {o.short_name}"))


def indicator(code: str = "online_service_rate") -> Indicator:
    """The seeded indicator (re-created after a flush in transactional browser tests)."""
    found, _created = Indicator.objects.get_or_create(
        code=code,
        defaults={
            "name_vi": "Tỷ lệ hồ sơ trực tuyến",
            "name_en": "Online rate",
            "unit": "%",
            "kind": "ratio",
        },
    )
    return found


def make_agreement(
    *,
    units=(),
    partners=None,
    title="Thỏa thuận hợp tác",
    start=datetime.date(2020, 1, 1),
    end=datetime.date(2030, 12, 31),
    status=Agreement.Status.DRAFT,
    objectives=None,
    **fields,
) -> Agreement:
    """An agreement between ``units`` and ``partners`` (one new partner by default), in ``status``."""
    partners = [PartnerFactory()] if partners is None else list(partners)
    parties = [services.PartyInput(org_unit=u) for u in units] + [
        services.PartyInput(partner=p) for p in partners
    ]
    agreement = services.agreement_create(
        by=None,
        parties=parties,
        objectives=objectives or [],
        title=title,
        start_date=start,
        end_date=end,
        **fields,
    )
    if status != Agreement.Status.DRAFT:
        # Tests put an agreement straight into a status; real code goes through agreement_transition.
        Agreement.objects.filter(pk=agreement.pk).update(status=status)
        agreement.refresh_from_db()
    return agreement


def objective_with_everything(*, number=1, unit, due=None) -> services.ObjectiveInput:
    return services.ObjectiveInput(
        number=number,
        text=f"Nội dung {number}",
        area="digital_government",
        commitments=[
            services.CommitmentInput(text=f"Cam kết {number}", party_number=1, due_date=due),
        ],
        targets=[
            services.TargetInput(
                indicator=indicator(),
                org_unit=unit,
                target_value=Decimal("30"),
                deadline=datetime.date(2026, 12, 31),
            )
        ],
    )

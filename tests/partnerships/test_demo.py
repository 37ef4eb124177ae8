import datetime
from decimal import Decimal

import pytest
import time_machine

from partnerships.models import Agreement, AgreementParty, Partner, Target

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_demo_seeds_the_five_articles_and_a_marked_renewal_idempotently():
    from accounts import demo as accounts_demo
    from org import demo as org_demo
    from partnerships import demo

    org_demo.seed(password="x")
    accounts_demo.seed(password="demo-password-123")
    demo.seed(password="demo-password-123")
    again = demo.seed(password="demo-password-123")

    assert "(0 new)" in again and Agreement.objects.count() == 7
    ben_tre = Agreement.objects.get(title__contains="Tỉnh đoàn Bến Tre")
    assert ben_tre.parties.get(org_unit__isnull=False).org_unit.code == "old-83"
    assert ben_tre.signed_on == datetime.date(2020, 11, 14)
    target = Target.objects.get(objective__agreement=ben_tre)
    assert (target.indicator.code, target.target_value, target.deadline) == (
        "online_service_rate",
        Decimal("30.00"),
        datetime.date(2020, 12, 31),
    )
    tien_giang = Agreement.objects.get(title__contains="Tiền Giang")
    assert tien_giang.objectives.count() == 5
    assert tien_giang.parties.get(org_unit__isnull=False).org_unit.code == "old-82"
    assert (
        Agreement.objects.get(title__contains="Đồng Tháp").parties.get(org_unit__isnull=False).org_unit.code
        == "82"
    )
    assert Agreement.objects.get(title__contains="Thanh Hóa").signed_on == datetime.date(2023, 4, 13)
    central_2019 = Agreement.objects.get(title__contains="2019 - 2022")
    assert central_2019.status == Agreement.Status.ENDED
    renewal = Agreement.objects.get(follows=central_2019)
    assert "minh họa" in renewal.title and renewal.status == Agreement.Status.ACTIVE
    assert Partner.objects.get(short_name="VNPT Bến Tre").parent.short_name == "VNPT"
    assert renewal.is_illustrative and not central_2019.is_illustrative

    # A database seeded by an older demo (invented signatories, no attendees) is corrected in place.
    party = ben_tre.parties.get(org_unit__isnull=False)
    AgreementParty.objects.filter(pk=party.pk).update(signatory_name="Lê Thanh Tùng")
    ben_tre.attendees.all().delete()
    demo.seed(password="demo-password-123")
    party.refresh_from_db()
    assert (party.signatory_name, party.signatory_title) == ("Hà Quốc Cường", "Bí thư Tỉnh đoàn")
    assert ben_tre.attendees.count() == 4
    assert Agreement.objects.count() == 7

"""The demo's Tháng Thanh niên 2023 against the article (tests/portal/seed_facts.py CAMPAIGNS: Tiền
Giang, "11 chỉ tiêu trọng tâm"): its unit, theme and year, its eleven targets, all marked illustrative
(the article gives the count, not the list), and its page showing them against results."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from egov_support.models import Campaign, CampaignTarget
from progress.models import TargetStatus
from progress.rollup import rollup_full
from tests.portal.seed_facts import CAMPAIGNS

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_youth_month_2023_has_eleven_illustrative_targets_shown_against_results(client):
    from accounts import demo as accounts_demo
    from accounts.models import User
    from egov_support import demo
    from org import demo as org_demo
    from volunteers import demo as volunteers_demo

    org_demo.seed(password="x")
    accounts_demo.seed(password="demo-password-123")
    volunteers_demo.seed(password="demo-password-123")
    demo.seed(password="demo-password-123")
    again = demo.seed(password="demo-password-123")

    assert "(0 new campaign targets)" in again
    facts = CAMPAIGNS["youth_month_2023"]
    campaign = Campaign.objects.get(theme__contains=facts.name_contains.value)
    assert campaign.org_unit.code == facts.unit.value
    assert (campaign.starts_on, campaign.ends_on) == (facts.starts_on.value, facts.ends_on.value)
    targets = CampaignTarget.objects.filter(campaign=campaign)
    assert targets.count() == facts.targets.value
    assert not targets.filter(is_illustrative=False).exists()  # the list is not the article's
    assert set(targets.values_list("org_unit__code", flat=True)) == {"old-82", "old-d815"}
    assert campaign.help_sessions.count() == 12  # illustrative sessions of the Mỹ Tho team, tagged

    rollup_full()
    statuses = TargetStatus.objects.filter(campaign_target__campaign=campaign)
    assert statuses.count() == 11
    citizens = statuses.get(
        campaign_target__org_unit__code="old-d815", campaign_target__indicator__code="citizens_assisted"
    )
    assert citizens.value == sum(s.total_assisted for s in campaign.help_sessions.all()) > 0

    client.force_login(User.objects.filter(is_superuser=True).first())
    html = client.get(reverse("egov_support:campaign_detail", args=[campaign.pk])).content.decode()
    assert html.count('class="campaign-target"') == 11
    assert html.count("illustrative-badge") == 11
    assert "Thành đoàn Mỹ Tho" in html and "Tỉnh đoàn Tiền Giang" in html

"""Campaigns with targets and results (issue #22 item 3): the services, the rollup's figures for a
campaign target (only the work tagged with the campaign counts), the pages and the API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from egov_support import services
from egov_support.models import Campaign, CampaignTarget
from partnerships.models import Indicator
from progress.models import TargetStatus
from progress.rollup import rollup_full
from tests.egov_support.factories import CampaignFactory
from tests.progress import factories as f
from tests.volunteers.factories import ActivityFactory

D = datetime.date
TODAY = D(2025, 11, 20)


@pytest.fixture
def campaign(tree):
    campaign = CampaignFactory(
        name="Tháng cao điểm VNeID", org_unit=tree.province_a, starts_on=D(2025, 8, 1), ends_on=D(2025, 8, 31)
    )
    campaign.participating_units.add(tree.commune_a)  # the province's campaign, An Hội takes part
    return campaign


def _target(campaign, unit, code, value, **extra):
    return CampaignTarget.objects.create(
        campaign=campaign,
        indicator=Indicator.objects.get(code=code),
        org_unit=unit,
        target_value=value,
        **extra,
    )


# --- Services -------------------------------------------------------------------------------------


def test_staff_add_a_target_on_a_unit_they_manage(campaign, personas, tree):
    target = services.campaign_target_save(
        by=personas.staff_a,
        campaign=campaign,
        indicator=Indicator.objects.get(code="citizens_assisted"),
        org_unit=tree.commune_a,
        target_value=Decimal(500),
    )
    assert (target.campaign, target.org_unit, target.target_value) == (campaign, tree.commune_a, 500)


def test_a_target_in_another_province_is_refused_naming_the_unit(campaign, personas, tree):
    with pytest.raises(ValidationError) as exc:
        services.campaign_target_save(
            by=personas.staff_a,
            campaign=campaign,
            indicator=Indicator.objects.get(code="citizens_assisted"),
            org_unit=tree.commune_b,
            target_value=Decimal(500),
        )
    assert exc.value.message_dict["org_unit"] == [
        "Đoàn phường Hạc Thành không phải đơn vị bạn quản lý; chỉ cán bộ của đơn vị đó hoặc quản trị viên "
        "đặt chỉ tiêu ở đó."
    ]
    assert not CampaignTarget.objects.exists()


def test_the_same_indicator_twice_for_a_unit_is_refused_on_the_indicator(campaign, personas, tree):
    _target(campaign, tree.commune_a, "citizens_assisted", 100)
    with pytest.raises(ValidationError) as exc:
        services.campaign_target_save(
            by=personas.staff_a,
            campaign=campaign,
            indicator=Indicator.objects.get(code="citizens_assisted"),
            org_unit=tree.commune_a,
            target_value=Decimal(200),
        )
    assert exc.value.message_dict["indicator"] == ["Chiến dịch đã có chỉ tiêu cho chỉ số này ở đơn vị này."]
    assert CampaignTarget.objects.get().target_value == 100


def test_a_leader_cannot_set_campaign_targets(campaign, personas, tree):
    with pytest.raises(PermissionDenied):
        services.campaign_target_save(
            by=personas.leader_a,
            campaign=campaign,
            indicator=Indicator.objects.get(code="citizens_assisted"),
            org_unit=tree.commune_a,
            target_value=Decimal(1),
        )


def test_activities_are_tagged_only_by_those_who_log_for_their_team(campaign, personas, tree):
    own = ActivityFactory(team__org_unit=tree.commune_a, date=D(2025, 8, 5))
    other = ActivityFactory(team__org_unit=tree.commune_b, date=D(2025, 8, 5))
    assert services.campaign_activities_tag(by=personas.leader_a, campaign=campaign, activities=[own]) == 1
    with pytest.raises(PermissionDenied):
        services.campaign_activities_tag(by=personas.leader_a, campaign=campaign, activities=[other])
    assert list(campaign.activities.all()) == [own]


# --- The rollup -----------------------------------------------------------------------------------


def test_a_campaign_target_counts_the_tagged_work_in_its_territory(campaign, tree):
    team_a = f.team(tree.commune_a, founded_on=D(2025, 7, 15))
    team_b = f.team(tree.commune_b, founded_on=D(2025, 7, 15))
    tagged = f.session(team_a, tree.commune_a, D(2025, 8, 10), ("dvc-national-full", 10, 4))
    f.session(team_a, tree.commune_a, D(2025, 8, 12), ("dvc-national-full", 7, 0))  # not for the campaign
    other = f.session(team_b, tree.commune_b, D(2025, 8, 10), ("dvc-national-full", 20, 0))
    for session in (tagged, other):
        session.campaign = campaign
        session.save(update_fields=["campaign"])
    activity = ActivityFactory(team=team_a, date=D(2025, 8, 20), volunteer_hours=Decimal("12.5"))
    campaign.activities.add(activity)
    province = _target(campaign, tree.province_a, "citizens_assisted", 40)
    commune = _target(campaign, tree.commune_a, "dossiers_assisted", 4)
    hours = _target(campaign, tree.commune_a, "volunteer_hours", 100)
    rate = _target(campaign, tree.province_a, "online_service_rate", 50, is_illustrative=True)
    f.statistic(tree.commune_a, D(2025, 8, 1), 10, 1)
    f.statistic(tree.sibling_a, D(2025, 8, 1), 90, 90)

    rollup_full(today=TODAY)

    statuses = {s.campaign_target_id: s for s in TargetStatus.objects.filter(campaign_target__isnull=False)}
    # 10 citizens tagged in Vĩnh Long; the untagged 7 and Thanh Hóa's tagged 20 are not its result.
    assert statuses[province.pk].value == Decimal(10)
    assert statuses[province.pk].status == TargetStatus.Status.OFF_TRACK  # the campaign ended short
    assert statuses[commune.pk].value == Decimal(4)
    assert statuses[commune.pk].status == TargetStatus.Status.ACHIEVED
    # No volunteer was recorded present at the sessions: the tagged activity's 12.5 hours only.
    assert statuses[hours.pk].value == Decimal("12.5")
    # Official figures are the territory's over the campaign: 91 online of 100.
    assert (statuses[rate.pk].numerator, statuses[rate.pk].denominator) == (91, 100)
    assert statuses[rate.pk].value == Decimal(91)
    assert statuses[rate.pk].window_start == D(2025, 8, 1)
    # Agreements' statuses are untouched by campaigns' and vice versa: one row per target.
    assert TargetStatus.objects.count() == 4

    province.delete()
    rollup_full(today=TODAY)
    assert TargetStatus.objects.count() == 3


# --- Pages ----------------------------------------------------------------------------------------


def test_the_campaign_page_shows_targets_against_results_by_unit(campaign, tree, personas, as_user):
    target = _target(campaign, tree.commune_a, "citizens_assisted", 40, is_illustrative=True)
    team_a = f.team(tree.commune_a, founded_on=D(2025, 7, 15))
    session = f.session(team_a, tree.commune_a, D(2025, 8, 10), ("dvc-national-full", 10, 4))
    session.campaign = campaign
    session.save(update_fields=["campaign"])
    rollup_full(today=TODAY)
    response = as_user(personas.leader_a).get(reverse("egov_support:campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đoàn phường An Hội" in html
    assert "Lượt người dân được hỗ trợ" in html
    assert "illustrative-badge" in html
    row = html[html.index(f'data-target="{target.pk}"') :]
    assert "<strong>10</strong> / 40" in row[:2000]
    assert reverse("egov_support:campaign_target_create", args=[campaign.pk]) not in html  # leaders read


def test_staff_create_a_campaign_in_the_portal(tree, personas, as_user):
    client = as_user(personas.staff_a)
    response = client.post(
        reverse("egov_support:campaign_create"),
        {
            "name": "Tháng Thanh niên 2026",
            "theme": "Tuổi trẻ tiên phong chuyển đổi số",
            "org_unit": tree.province_a.pk,
            "starts_on": "01/03/2026",
            "ends_on": "31/03/2026",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "egov_support:campaign_detail", args=[campaign.pk]
    )
    assert (campaign.starts_on, campaign.ends_on) == (D(2026, 3, 1), D(2026, 3, 31))


def test_a_campaign_ending_before_it_starts_is_refused_on_the_end_date(tree, personas, as_user):
    response = as_user(personas.staff_a).post(
        reverse("egov_support:campaign_create"),
        {"name": "X", "org_unit": tree.province_a.pk, "starts_on": "31/03/2026", "ends_on": "01/03/2026"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ends_on"] == ["Ngày kết thúc trước ngày bắt đầu."]
    assert not Campaign.objects.exists()


def test_a_target_with_a_negative_value_is_refused_naming_the_field(campaign, personas, tree, as_user):
    response = as_user(personas.staff_a).post(
        reverse("egov_support:campaign_target_create", args=[campaign.pk]),
        {
            "indicator": Indicator.objects.get(code="citizens_assisted").pk,
            "org_unit": tree.commune_a.pk,
            "target_value": "-5",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["target_value"] == ["Giá trị chỉ tiêu: hãy nhập một số từ 0 trở lên."]
    assert str(form["target_value"].label) in response.content.decode()  # shown beside its field
    assert not CampaignTarget.objects.exists()


# --- API ------------------------------------------------------------------------------------------


def test_the_api_lists_a_campaigns_targets_with_their_figures(campaign, tree, personas, api_as):
    target = _target(campaign, tree.commune_a, "citizens_assisted", 40)
    team_a = f.team(tree.commune_a, founded_on=D(2025, 7, 15))
    session = f.session(team_a, tree.commune_a, D(2025, 8, 10), ("dvc-national-full", 10, 4))
    session.campaign = campaign
    session.save(update_fields=["campaign"])
    rollup_full(today=TODAY)
    body = api_as(personas.leader_a).get(f"/api/v1/campaigns/{campaign.pk}/").json()
    assert body["targets"] == [
        {
            "id": target.pk,
            "indicator": "citizens_assisted",
            "indicator_name": "Lượt người dân được hỗ trợ",
            "org_unit": tree.commune_a.pk,
            "org_unit_name": "Đoàn phường An Hội",
            "target_value": "40.00",
            "baseline": None,
            "is_illustrative": False,
            "actual": "10.0000",
            "status": "off_track",
            "computed_at": body["targets"][0]["computed_at"],
        }
    ]

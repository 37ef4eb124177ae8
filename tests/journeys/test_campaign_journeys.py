"""Province staff run a campaign in the portal (issue #22 item 3), desktop 1280 x 800, real buttons:
create it, set a target, tag a help session with it, and after the progress computation (run here
eagerly, as the other journeys do) see the target against its result on the campaign page."""

import datetime

import pytest

from egov_support.demo import _ensure_catalogue
from egov_support.models import Campaign, CampaignTarget, HelpSession
from progress import rollup
from tests.conftest import browser_login, pick_unit, screenshot
from tests.progress.conftest import catalogues  # noqa: F401  (indicators and rules, again)
from tests.volunteers.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_create_a_campaign_set_a_target_tag_a_session_and_see_the_result(
    staff_page,
    personas,
    tree,
    catalogues,  # noqa: F811
):
    _ensure_catalogue()
    team = TeamFactory(name="Đội TNCS An Hội", org_unit=tree.commune_a)
    today = datetime.date.today()
    first = today.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    page = staff_page
    browser_login(page, personas.staff_a.username)

    # A new campaign of the province.
    page.goto("/")
    page.get_by_role("link", name="Chiến dịch", exact=True).first.click()
    page.get_by_role("link", name="+ Tạo chiến dịch").click()
    page.fill("input[name=name]", "Tháng cao điểm VNeID")
    page.fill("input[name=theme]", "Tuổi trẻ tiên phong chuyển đổi số")
    pick_unit(page, "id_org_unit", "vinh long", "Tỉnh đoàn Vĩnh Long")
    page.fill("input[name=starts_on]", last.strftime("%d/%m/%Y"))
    page.fill("input[name=ends_on]", first.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Lưu").click()
    # The end before the start: refused, the field named, nothing saved, what was typed kept.
    assert "Ngày kết thúc trước ngày bắt đầu." in page.locator(".campaign-form").inner_text()
    assert not Campaign.objects.exists()
    page.fill("input[name=starts_on]", first.strftime("%d/%m/%Y"))
    page.fill("input[name=ends_on]", last.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url("**/campaigns/*/")
    campaign = Campaign.objects.get(name="Tháng cao điểm VNeID")
    assert campaign.org_unit == tree.province_a
    assert "Chưa có chỉ tiêu nào." in page.content()

    # A target: 20 citizens helped in An Hội during the campaign.
    page.get_by_role("link", name="+ Thêm chỉ tiêu").click()
    page.select_option("select[name=indicator]", label="Lượt người dân được hỗ trợ")
    pick_unit(page, "id_org_unit", "an hoi", "Đoàn phường An Hội")
    page.fill("input[name=target_value]", "-20")
    page.get_by_role("button", name="Lưu").click()
    assert (
        "Giá trị chỉ tiêu: hãy nhập một số từ 0 trở lên."
        in page.locator(".campaign-target-form").inner_text()
    )
    assert not CampaignTarget.objects.exists()
    page.fill("input[name=target_value]", "20")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/")
    row = page.locator(".campaign-target")
    assert "Lượt người dân được hỗ trợ" in row.inner_text()
    assert "đến nay 0 / 20" in row.inner_text()  # computed on saving (eager tasks here): nothing yet

    # A help session of An Hội's team, tagged with the campaign in the session form.
    page.goto("/help-sessions/new/")
    page.select_option("select[name=team]", str(team.pk))
    page.select_option("select[name=location_kind]", "market")
    page.fill("input[name=address]", "Chợ phường An Hội")
    page.locator("input[id$='-citizens_assisted']").first.fill("12")
    page.locator(".session-more > summary").click()
    page.select_option("select[name=campaign]", label="Tháng cao điểm VNeID")
    page.click(".session-form button[type=submit]")
    page.wait_for_url("**/help-sessions/")
    assert HelpSession.objects.get().campaign == campaign

    rollup.rollup_full()  # what the worker does after the session's commit

    page.goto(f"/campaigns/{campaign.pk}/")
    row = page.locator(".campaign-target")
    assert "Đoàn phường An Hội" in page.locator("h3").first.inner_text()
    text = row.inner_text()
    assert "12 / 20" in text.replace("\n", " ")
    # Sessions tagged, citizens they helped, activities tagged.
    assert page.locator(".campaign-work .fs-5").all_inner_texts() == ["1", "12", "0"]
    screenshot(page, "journey-staff-campaign-targets")

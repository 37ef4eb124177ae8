"""Province staff on a desktop open an agreement their province carries on from a dissolved one
(Bến Tre–VNPT Bến Tre 2020-2030, carried on by Vĩnh Long) and set a target for the rest of the phase."""

import datetime

import pytest

from partnerships.models import Target
from tests.conftest import browser_login, screenshot
from tests.partnerships.factories import indicator
from tests.partnerships.test_succession import CARRIED, make_ben_tre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_open_the_ben_tre_agreement_and_add_a_target_on_vinh_long(staff_page, personas, tree):
    agreement = make_ben_tre(tree, personas.admin)
    page = staff_page
    browser_login(page, personas.staff_a.username)

    page.goto("/agreements/")
    listed = page.locator(".list-group-item", has_text="Bến Tre - VNPT Bến Tre")
    assert CARRIED in listed.inner_text()
    listed.click()
    page.wait_for_url(f"**/agreements/{agreement.pk}/")
    assert CARRIED in page.locator(".card", has_text="Các bên").first.inner_text()
    targets = page.locator(".targets").inner_text()
    assert "32,9" in targets and "Đã đạt" in targets  # the 2020 figure of Bến Tre
    assert "sau đó số liệu của Tỉnh đoàn Vĩnh Long" in targets

    page.get_by_role("link", name="Sửa").first.click()
    page.fill("#id_targets-2-objective_number", "3")
    page.select_option("#id_targets-2-indicator", value=str(indicator("online_service_rate").pk))
    picker = page.locator("#id_targets-2-org_unit").locator(
        "xpath=following-sibling::div[contains(@class,'ts-wrapper')]"
    )
    picker.locator(".ts-control").click()
    page.keyboard.type("vinh long")
    page.locator(".ts-dropdown .option", has_text="Tỉnh đoàn Vĩnh Long").first.click()
    page.fill("#id_targets-2-target_value", "80")
    page.fill("#id_targets-2-deadline", "31/12/2030")
    page.get_by_role("button", name="Lưu").click()

    page.wait_for_url(f"**/agreements/{agreement.pk}/")
    added = page.locator(".targets li", has_text="31/12/2030")
    assert "Tỉnh đoàn Vĩnh Long" in added.inner_text() and "≥ 80 %" in added.inner_text()
    target = Target.objects.get(objective__agreement=agreement, deadline=datetime.date(2030, 12, 31))
    assert target.org_unit == target.measured_unit == tree.province_a
    screenshot(page, "journey-staff-ben-tre-carried-on")

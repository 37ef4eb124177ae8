import datetime

import pytest

from partnerships.models import Agreement, Target
from tests.conftest import DESKTOP, browser_login, pick_unit, screenshot
from tests.partnerships.factories import PartnerFactory, indicator, make_agreement, objective_with_everything

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_create_an_agreement_with_two_parties_an_objective_and_a_target(
    browser_context_factory, personas, tree
):
    PartnerFactory(name="VNPT Vĩnh Long")
    rate = indicator()
    page = browser_context_factory(DESKTOP)
    browser_login(page, personas.staff_a.username)

    page.goto("/agreements/new/")
    page.fill("#id_title", "Thỏa thuận hợp tác chuyển đổi số Tỉnh đoàn Vĩnh Long – VNPT Vĩnh Long")
    page.fill("#id_code", "12/TTHT-TĐ")
    page.fill("#id_start_date", "01/01/2026")
    page.fill("#id_end_date", "31/12/2030")
    page.fill("#id_signed_on", "15/01/2026")
    pick_unit(page, "id_parties-0-org_unit", "vinh long", "Tỉnh đoàn Vĩnh Long")
    page.fill("#id_parties-0-signatory_name", "Nguyễn Văn Bình")
    page.select_option("#id_parties-1-partner", label="VNPT Vĩnh Long")
    page.fill("#id_objectives-0-number", "1")
    page.fill("#id_objectives-0-text", "Hỗ trợ người dân sử dụng dịch vụ công trực tuyến")
    page.select_option("#id_objectives-0-area", "digital_government")
    page.fill("#id_targets-0-objective_number", "1")
    page.select_option("#id_targets-0-indicator", label=rate.name_vi)
    pick_unit(page, "id_targets-0-org_unit", "an hoi", "Đoàn phường An Hội")
    page.fill("#id_targets-0-target_value", "30")
    page.fill("#id_targets-0-deadline", "31/12/2026")
    page.click("text=+ Thêm một bên")  # a third, blank party row is ignored
    screenshot(page, "agreement-form-desktop")
    page.click("button[type=submit]:has-text('Lưu')")
    page.wait_for_load_state("networkidle")

    agreement = Agreement.objects.get()
    assert page.url.endswith(f"/agreements/{agreement.pk}/")
    assert page.locator("h1").inner_text().startswith("Thỏa thuận hợp tác chuyển đổi số")
    assert agreement.parties.count() == 2
    assert agreement.start_date == datetime.date(2026, 1, 1)
    target = Target.objects.get()
    assert (target.org_unit, target.deadline) == (tree.commune_a, datetime.date(2026, 12, 31))
    assert page.get_by_text("Đã lưu thỏa thuận.").is_visible()
    screenshot(page, "agreement-detail-desktop")


def test_list_detail_and_form_on_a_phone_and_desktop(browser_context_factory, personas, tree):
    indicator()
    first = make_agreement(
        units=[tree.dissolved_a],
        partners=[PartnerFactory(name="VNPT Bến Tre")],
        title="Thỏa thuận hợp tác về Viễn thông - CNTT giữa Tỉnh đoàn Bến Tre và VNPT Bến Tre giai đoạn 2020 - 2030",
        start=datetime.date(2020, 11, 14),
        status=Agreement.Status.ACTIVE,
        objectives=[
            objective_with_everything(number=n, unit=tree.dissolved_a, due=datetime.date(2020, 12, 31))
            for n in (1, 2)
        ],
    )
    make_agreement(
        units=[tree.province_a], title="Chương trình phối hợp Vĩnh Long 2026", status=Agreement.Status.DRAFT
    )
    for name, viewport in (("phone", None), ("desktop", DESKTOP)):
        page = browser_context_factory(viewport) if viewport else browser_context_factory()
        browser_login(page, personas.staff_a.username)
        page.goto("/agreements/?q=ben+tre")
        assert page.locator(".list-group-item-action").count() == 1
        screenshot(page, f"agreement-list-{name}")
        page.goto(f"/agreements/{first.pk}/")
        assert page.get_by_text("Tỉnh đoàn Bến Tre").first.is_visible()
        screenshot(page, f"agreement-detail-{name}")
        page.goto(f"/agreements/{first.pk}/edit/")
        screenshot(page, f"agreement-form-{name}")
        page.goto(f"/agreements/{first.pk}/print/")
        screenshot(page, f"agreement-print-{name}")

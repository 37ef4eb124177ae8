"""An administrator defines an indicator in Django admin (issue #22 item 4), then sees its figures on
the dashboard once the rollup ran (eagerly, as Celery runs in tests). Desktop 1280 x 800."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import browser_login, screenshot
from tests.progress import factories as f
from tests.progress.conftest import catalogues, story  # noqa: F401  (the progress story, reused)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_defines_an_indicator_and_sees_its_figures_on_the_dashboard(staff_page, personas, story):  # noqa: F811
    t = story.tree
    today = datetime.date.today()
    # This month An Hội's team helped 6 people with a digital signature (5 issued), and 4 more in Phú Khương.
    first = f.session(story.team_a1, t.commune_a, today.replace(day=1), ("digital-signature", 6, 0))
    first.lines.update(successful=5)
    second = f.session(story.team_a1, t.sibling_a, today.replace(day=1), ("digital-signature", 4, 0))
    second.lines.update(successful=4)

    page = staff_page
    browser_login(page, personas.admin.username)
    page.goto(reverse("admin:partnerships_indicator_changelist"))
    page.locator(".object-tools a.addlink").click()  # the catalogue's own "add" button
    page.fill("#id_code", "digital_signatures_issued")
    page.fill("#id_name_vi", "Chữ ký số được cấp cho người dân")
    page.fill("#id_name_en", "Digital signatures issued")
    page.fill("#id_unit", "chữ ký số")
    page.get_by_label("Tổng: một đại lượng").check()
    page.get_by_label("Lưu lượng: số phát sinh trong kỳ, cộng các tháng của kỳ").check()
    page.get_by_label("Tử số: đếm hoặc cộng từ").select_option(
        label="Dòng dịch vụ của buổi hỗ trợ (theo dịch vụ)"
    )
    page.get_by_label("Tử số: phép tính").select_option(label="Cộng một trường")
    page.get_by_label("Tử số: trường được cộng").select_option(label="Dòng dịch vụ: số lượt hoàn thành")
    page.get_by_label("Tử số: chỉ dịch vụ").select_option(label="Đăng ký và sử dụng chữ ký số")

    # First a mistake: a ratio without a denominator, refused with the field named.
    page.get_by_label("Tỷ lệ: Σ tử số ÷ Σ mẫu số (ở mọi cấp)").check()
    page.get_by_role("button", name="Lưu lại", exact=True).click()
    expect(page.locator(".field-denominator_source .errorlist")).to_contain_text(
        "Chỉ tiêu tỷ lệ cần có mẫu số"
    )
    page.get_by_label("Tổng: một đại lượng").check()
    page.get_by_role("button", name="Lưu lại", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert "Chữ ký số được cấp cho người dân" in page.locator("#result_list").inner_text()

    page.goto(reverse("progress:dashboard", args=[t.province_a.pk]))
    card = page.locator(".kpi-card[data-indicator='digital_signatures_issued']")
    assert "Chữ ký số được cấp cho người dân" in card.inner_text()
    assert card.locator(".kpi-value").inner_text() == "9"  # 5 + 4 issued, the 10 helped are not counted
    screenshot(page, "indicator-defined-in-admin-dashboard")

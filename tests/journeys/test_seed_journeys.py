"""Province staff of Đồng Tháp on a desktop read their 2022 - 2026 programme with the department as the
seed article tells it: who signed, who attended, and the district teams of the 12 pre-reform districts."""

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.models import Role
from org.models import OrgUnit
from tests.conftest import _person, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded():
    from accounts import demo as accounts_demo
    from org import demo as org_demo
    from partnerships import demo as partnerships_demo
    from volunteers import demo as volunteers_demo

    with time_machine.travel(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC), tick=False):
        org_demo.seed(password="x")
        accounts_demo.seed(password="demo-password-123")
        partnerships_demo.seed(password="demo-password-123")
        volunteers_demo.seed(password="demo-password-123")
    return _person("giang_staff_dongthap", Role.PROVINCE_STAFF, OrgUnit.objects.get(code="82"))


def test_staff_open_the_dong_thap_agreement_and_see_its_signatories_attendees_and_district_teams(
    staff_page, seeded
):
    browser_login(staff_page, seeded.username)
    staff_page.goto("/agreements/")
    staff_page.get_by_role(
        "link", name="Chương trình phối hợp hoạt động giữa Sở Thông tin và Truyền thông"
    ).click()
    staff_page.wait_for_load_state("networkidle")

    parties = staff_page.locator(".signatory").all_inner_texts()
    assert parties == [
        "Đoàn Thanh Bình, Giám đốc Sở Thông tin và Truyền thông",
        "Huỳnh Minh Thức, Tỉnh uỷ viên, Bí thư Tỉnh đoàn",
    ]
    attendees = staff_page.locator(".attendees").inner_text()
    assert (
        "Viettel Đồng Tháp" in attendees
        and "VNPT Đồng Tháp" in attendees
        and "Bưu điện tỉnh Đồng Tháp" in attendees
    )
    teams = staff_page.locator(".agreement-teams > li")
    text = staff_page.locator(".agreement-teams").inner_text()
    expect(teams).to_have_count(13)  # the provincial consulting team and the 12 district teams
    assert text.count("Đội hình Thanh niên Chuyển đổi số cấp huyện") == 12
    assert "Huyện đoàn Tháp Mười" in text and "Thành đoàn Sa Đéc" in text and "giải thể 30/06/2025" in text
    assert "Tổ Tham vấn chuyển đổi số cấp tỉnh" in text and "4 tổ chức" in text
    expect(staff_page.locator(".agreement-teams .illustrative-badge")).to_have_count(12)
    assert "minh họa" in staff_page.locator(".agreement-teams .illustrative-badge").first.inner_text()
    screenshot(staff_page, "journey-staff-dong-thap-agreement")

    staff_page.get_by_role("link", name="Tổ Tham vấn chuyển đổi số cấp tỉnh").click()
    staff_page.wait_for_load_state("networkidle")
    assert "Tổ Tham vấn chuyển đổi số cấp tỉnh" in staff_page.locator("h1").inner_text()

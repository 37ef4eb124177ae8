"""Progress journeys: staff download the dashboard as Excel and PDF and read them back; the viewer
sees the national dashboard with its partial mark. Desktop 1280 x 800, the real buttons."""

import datetime
import re
import shutil
import subprocess

import docx
import openpyxl
import pytest
from playwright.sync_api import expect

from progress import rollup
from tests.conftest import browser_login, require_service, screenshot
from tests.factories import OrgUnitFactory
from tests.progress import factories as f
from tests.progress.conftest import catalogues, story  # noqa: F401  (the progress story, reused)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
THIS_YEAR = datetime.date.today().year


@pytest.fixture
def year_of_work(story):  # noqa: F811  (the fixture imported above)
    """This year in Vĩnh Long: sessions and statistics in An Hội, a target of 6,000 citizens; Thanh Hóa
    has nothing this year (so the national figures come from 1 of 2 provinces)."""
    t = story.tree
    today = datetime.date.today()
    for back, citizens in ((2, 300), (1, 500), (0, 600)):
        day = rollup.add_months(today.replace(day=1), -back)
        if day.year != THIS_YEAR:
            continue
        f.session(story.team_a1, t.commune_a, day, ("dvc-national-full", citizens, citizens // 3))
        f.statistic(t.commune_a, day, 100, 40)
    f.target(
        t.province_a,
        "citizens_assisted",
        6000,
        datetime.date(THIS_YEAR, 12, 31),
        start=datetime.date(THIS_YEAR, 1, 1),
    )
    f.target(
        t.province_a,
        "online_service_rate",
        80,
        datetime.date(THIS_YEAR, 12, 31),
        start=datetime.date(THIS_YEAR, 1, 1),
    )
    for n in range(12):  # enough communes for a real table, every one short of the province's 80%
        commune = OrgUnitFactory(code=f"J{n:02d}", name=f"Đoàn xã Hành Trình {n:02d}", parent=t.province_a)
        f.statistic(commune, today.replace(day=1), 100, 10 + n)
    rollup.rollup_full()
    return story


def _card_value(page, code: str) -> str:
    return page.locator(f".kpi-card[data-indicator={code}] .kpi-value").inner_text().strip()


def test_staff_download_the_progress_excel_and_pdf_and_read_them_back(
    staff_page, personas, year_of_work, tmp_path
):
    page = staff_page
    browser_login(page, personas.staff_a.username)
    page.get_by_role("link", name="Tiến độ").first.click()
    assert page.locator("h1").inner_text() == "Tỉnh đoàn Vĩnh Long"
    citizens_on_screen = _card_value(page, "citizens_assisted")  # "1.400" (Vietnamese grouping)
    rate_on_screen = _card_value(page, "online_service_rate")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel", exact=True).click()
    assert download.value.suggested_filename == f"tien-do-86-{THIS_YEAR}.xlsx"
    xlsx = tmp_path / download.value.suggested_filename
    download.value.save_as(xlsx)
    workbook = openpyxl.load_workbook(xlsx)
    summary = workbook[f"Tổng hợp {THIS_YEAR}"]
    header = [cell.value for cell in summary[1]]
    assert header[0] == "Đơn vị" and "Lượt người dân được hỗ trợ" in header
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref
    province_row = list(summary[2])
    assert province_row[0].value == "Tỉnh đoàn Vĩnh Long"
    citizens = province_row[header.index("Lượt người dân được hỗ trợ")]
    assert f"{citizens.value:,}".replace(",", ".") == citizens_on_screen  # the dashboard's figure
    rate = province_row[header.index("Tỷ lệ hồ sơ dịch vụ công trực tuyến")]
    assert rate.number_format == "0.0%"
    assert f"{rate.value * 100:.1f}".replace(".", ",") + "%" == rate_on_screen

    with page.expect_download() as download:
        page.get_by_role("button", name="PDF", exact=True).click()
    assert download.value.suggested_filename == f"bao-cao-86-{THIS_YEAR}.pdf"
    require_service(
        bool(shutil.which("pdftotext")), "pdftotext is missing (apt-get install -y poppler-utils)"
    )
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "BÁO CÁO" in text and "BCH ĐOÀN TỈNH VĨNH LONG" in text
    assert re.search(r"Vĩnh Long, ngày \d\d tháng \d\d năm \d{4}", text)
    citizens_line = next(
        line for line in text.splitlines() if "Lượt người dân được hỗ trợ" in line and "31/12" in line
    )
    assert citizens_on_screen in citizens_line and "6.000" in citizens_line
    rate_line = next(
        line
        for line in text.splitlines()
        if "Tỷ lệ hồ sơ dịch vụ công trực tuyến" in line and "31/12" in line
    )
    assert rate_on_screen in rate_line and "80%" in rate_line
    assert "TM. BAN THƯỜNG VỤ" in text

    page.locator("#lagging-panel").scroll_into_view_if_needed()
    screenshot(page, "journey-staff-progress-downloads")


def test_viewer_sees_the_national_dashboard_marked_partial(browser_context_factory, personas, year_of_work):
    page = browser_context_factory({"width": 1280, "height": 800})
    browser_login(page, personas.viewer.username)
    page.get_by_role("link", name="Tiến độ").first.click()
    assert page.locator("h1").inner_text() == "Trung ương Đoàn TNCS Hồ Chí Minh"

    # Only Vĩnh Long has figures this year: the national figure says it comes from 1 of 2 provinces.
    card = page.locator(".kpi-card[data-indicator=citizens_assisted]")
    assert "Một phần" in card.inner_text() and "1/2 tỉnh có số liệu" in card.inner_text()

    # The units table fits the screen; the dissolved province is behind a toggle, not in it.
    table = page.locator("#ranking")
    assert "Tỉnh đoàn Bến Tre" not in table.inner_text()
    box = page.locator("#ranking").bounding_box()
    assert box["width"] <= page.locator("main .container-lg").first.bounding_box()["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    dissolved = page.locator("#dissolved-units")
    expect(dissolved.get_by_text("Tỉnh đoàn Bến Tre")).not_to_be_visible()
    dissolved.locator("summary").click()
    expect(dissolved.get_by_text("Tỉnh đoàn Bến Tre")).to_be_visible()

    # The ranking by indicator: pick one, its highest units show.
    page.select_option("#leaders-indicator", "citizens_assisted")
    panel = page.locator(".js-leaders-panel[data-indicator=citizens_assisted]")
    expect(panel).to_be_visible()
    assert "Tỉnh đoàn Vĩnh Long" in panel.locator(".leaders-top").inner_text()
    page.locator(".kpi-card[data-indicator=citizens_assisted]").scroll_into_view_if_needed()
    screenshot(page, "journey-viewer-national-partial")


def test_staff_download_the_word_report_and_read_it_back(staff_page, personas, year_of_work, tmp_path):
    """Issue #23 item 4: the period picked beside the PDF button, the Word button pressed, the file
    opened with python-docx: the letterhead, the date line and the dashboard's figures in its tables."""
    page = staff_page
    browser_login(page, personas.staff_a.username)
    page.get_by_role("link", name="Tiến độ").first.click()
    card = page.locator(".kpi-card[data-indicator=citizens_assisted]")
    citizens_on_screen = _card_value(page, "citizens_assisted")
    target_on_screen = re.search(r"Chỉ tiêu: ([\d.,]+%?)", card.inner_text()).group(1)  # "6.000"

    assert page.get_by_label("Kỳ báo cáo").input_value() == str(THIS_YEAR)  # the year, first
    page.get_by_label("Kỳ báo cáo").select_option(str(THIS_YEAR))
    with page.expect_download() as download:
        page.get_by_role("button", name="Word", exact=True).click()
    assert download.value.suggested_filename == f"bao-cao-86-{THIS_YEAR}.docx"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    document = docx.Document(str(path))
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["BCH ĐOÀN TỈNH VĨNH LONG", "***", "Số: …-BC/TĐTN"]
    assert right.paragraphs[0].text == "ĐOÀN TNCS HỒ CHÍ MINH"
    today = datetime.date.today()
    assert right.paragraphs[-1].text == f"Vĩnh Long, ngày {today:%d} tháng {today:%m} năm {today:%Y}"
    assert right.paragraphs[-1].runs[0].italic

    # The agreements' targets: the citizens target's row carries the dashboard's target and figure.
    rows = [[c.text for c in row.cells] for t in document.tables if len(t.columns) == 6 for row in t.rows]
    citizens = next(r for r in rows if r[0] == "Lượt người dân được hỗ trợ")
    assert citizens[1] == target_on_screen and citizens[3] == citizens_on_screen
    rate = next(r for r in rows if r[0] == "Tỷ lệ hồ sơ dịch vụ công trực tuyến")
    assert rate[3] == _card_value(page, "online_service_rate")

    page.get_by_label("Kỳ báo cáo").scroll_into_view_if_needed()
    screenshot(page, "journey-staff-word-report")

"""The periodic report as a Word file (issue #23 item 4), read back with python-docx; its periods, its
letterhead pieces, and the same content as the PDF (one selector builds both)."""

import datetime
import html
import io

import docx
import pytest
from django.urls import reverse
from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from org.models import OrgUnit
from progress import rollup
from progress.models import PeriodKind
from progress.reports.content import date_line, issuer_name, number_line, report_content
from progress.reports.period import PeriodError, parse_period, period_choices
from tests.factories import OrgUnitFactory
from tests.progress import factories as f

TODAY = datetime.date(2026, 12, 7)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- Periods -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind, start, end",
    [
        ("2026-11", PeriodKind.MONTH, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)),
        ("2024-02", PeriodKind.MONTH, datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2026-Q4", PeriodKind.QUARTER, datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
        ("2026-q1", PeriodKind.QUARTER, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        (" 2025 ", PeriodKind.YEAR, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        ("2026-12", PeriodKind.MONTH, datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)),
    ],
)
def test_periods_people_write(text, kind, start, end):
    period = parse_period(text, today=TODAY)
    assert (period.kind, period.start, period.end) == (kind, start, end)


def test_period_codes_and_vietnamese_labels():
    with translation.override("vi"):
        month = parse_period("2026-03", today=TODAY)
        quarter = parse_period("2026-Q4", today=TODAY)
        year = parse_period("2026", today=TODAY)
        assert (month.code, month.label) == ("2026-03", "tháng 03 năm 2026")
        assert (quarter.code, quarter.label) == ("2026-Q4", "quý IV năm 2026")
        assert (year.code, year.label) == ("2026", "năm 2026")


@pytest.mark.parametrize(
    "text", ["", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26", "abc", "1999", "2026/11"]
)
def test_bad_periods_say_what_to_write_in_vietnamese(text):
    with translation.override("vi"), pytest.raises(PeriodError) as error:
        parse_period(text, today=TODAY)
    assert "không hợp lệ" in str(error.value) and "YYYY-Qn" in str(error.value)


@pytest.mark.parametrize("text", ["2027", "2027-Q1", "2027-01"])
def test_a_period_not_begun_is_refused(text):
    with translation.override("vi"), pytest.raises(PeriodError) as error:
        parse_period(text, today=TODAY)
    assert str(error.value) == f"Kỳ báo cáo {text} chưa bắt đầu."


def test_period_choices_stop_at_today():
    with translation.override("vi"):
        choices = period_choices(year=2026, today=datetime.date(2026, 5, 20))
    assert [code for code, _label in choices] == [
        "2026",
        "2026-Q1",
        "2026-Q2",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
    ]
    assert dict(choices)["2026-Q2"] == "Quý II/2026" and dict(choices)["2026-05"] == "Tháng 05/2026"


# --- Letterhead pieces ---------------------------------------------------------------------------


def test_issuer_names_as_union_letterheads_write_them(tree):
    assert issuer_name(tree.province_a) == "BCH ĐOÀN TỈNH VĨNH LONG"
    assert issuer_name(tree.commune_a) == "BCH ĐOÀN PHƯỜNG AN HỘI"
    assert issuer_name(tree.central) == "BAN CHẤP HÀNH TRUNG ƯƠNG"
    city = OrgUnitFactory(code="79", name="Thành đoàn Hồ Chí Minh", kind=OrgUnit.Kind.PROVINCE)
    assert issuer_name(city) == "BCH ĐOÀN TP. HỒ CHÍ MINH"


def test_number_and_date_lines(tree):
    assert number_line(tree.province_a) == "Số: …-BC/TĐTN"
    assert number_line(tree.commune_a) == "Số: …-BC/ĐTN"
    with translation.override("vi"):
        assert date_line(tree.province_a, datetime.date(2026, 3, 5)) == "Vĩnh Long, ngày 05 tháng 03 năm 2026"
        tree.commune_a.document_place = "Phường An Hội"
        assert date_line(tree.commune_a, TODAY) == "Phường An Hội, ngày 07 tháng 12 năm 2026"


# --- The file ------------------------------------------------------------------------------------


@pytest.fixture
def province(story, personas):
    """This year in Vĩnh Long: 3 communes short of the province's 80% online rate, a target for it."""
    t = story.tree
    year = datetime.date.today().year
    month = datetime.date.today().replace(day=1)
    for n in range(3):
        unit = OrgUnitFactory(code=f"D{n:02d}", name=f"Đoàn xã Báo Cáo {n:02d}", parent=t.province_a)
        f.statistic(unit, month, 100, 10 + n)
    f.target(
        t.province_a, "online_service_rate", 80, datetime.date(year, 12, 31), start=datetime.date(year, 1, 1)
    )
    t.province_a.signer_title = "Phó Bí thư"
    t.province_a.signer_name = "Nguyễn Thị Mai"
    t.province_a.save()
    rollup.rollup_full()
    return t.province_a


def _docx(response) -> docx.document.Document:
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    return docx.Document(io.BytesIO(response.content))


def _cell_text(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


@pytest.mark.django_db
def test_word_report_in_the_union_layout(province, personas, as_user):
    year = datetime.date.today().year
    response = as_user(personas.staff_a).get(
        reverse("progress:export_docx", args=[province.pk]) + f"?period={year}"
    )
    assert response["Content-Disposition"] == f'attachment; filename="bao-cao-86-{year}.docx"'
    document = _docx(response)

    # The letterhead: a two-column table without borders; the issuing body left, the union right.
    letterhead = document.tables[0]
    borders = letterhead._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    left, right = letterhead.rows[0].cells
    assert _cell_text(left) == ["BCH ĐOÀN TỈNH VĨNH LONG", "***", "Số: …-BC/TĐTN"]
    today = datetime.date.today()
    assert _cell_text(right) == [
        "ĐOÀN TNCS HỒ CHÍ MINH",
        f"Vĩnh Long, ngày {today:%d} tháng {today:%m} năm {today:%Y}",
    ]
    date_paragraph = right.paragraphs[-1]
    assert date_paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT and date_paragraph.runs[0].italic
    assert left.paragraphs[0].runs[0].bold and right.paragraphs[0].runs[0].underline

    # Times New Roman, 14 pt text, 13 pt letterhead.
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert left.paragraphs[0].runs[0].font.size == Pt(13)

    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert f"Kết quả thực hiện chương trình chuyển đổi số năm {year}" in texts
    for heading in (
        "I. TÌNH HÌNH CHUNG",
        "II. KẾT QUẢ THỰC HIỆN CHỈ TIÊU CÁC THỎA THUẬN HỢP TÁC",
        "III. ĐƠN VỊ CHẬM TIẾN ĐỘ, CHƯA BÁO CÁO",
        "IV. CÁC CHIẾN DỊCH",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ):
        assert heading in texts
    lagging = next(t for t in texts if t.startswith("Chậm: Tỷ lệ hồ sơ dịch vụ công trực tuyến"))
    assert "— 3 đơn vị:" in lagging and "Đoàn xã Báo Cáo 02." in lagging
    assert "Không có chiến dịch nào của đơn vị trong kỳ này." in texts
    # The communes not reporting this month (the reporting status's selector): none of them has.
    month = datetime.date.today()
    unreported = next(t for t in texts if t.startswith("Chưa báo cáo tháng"))
    assert f"tháng {month.month}/{month.year}" in unreported and "Đoàn xã Báo Cáo 00" in unreported

    # The agreement's target, with its value so far as the dashboard shows it (11% = 33/300).
    targets = next(t for t in document.tables if len(t.columns) == 6)
    row = [c.text for c in targets.rows[1].cells]
    assert row[0] == "Tỷ lệ hồ sơ dịch vụ công trực tuyến"
    assert row[1:3] == ["80%", f"31/12/{year}"] and row[4] == "11%" and row[5] == "Chậm tiến độ"

    # The closing: recipients left, the signer from the unit's settings right.
    closing = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    left, right = closing.rows[0].cells
    assert _cell_text(left)[1] == "- Trung ương Đoàn TNCS Hồ Chí Minh (để báo cáo);"
    assert _cell_text(right) == ["TM. BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Thị Mai"]

    # The appendix on a landscape page, every unit under it.
    assert document.sections[-1].page_width > document.sections[-1].page_height
    names = [row.cells[0].text for row in document.tables[-1].rows]
    assert names[0] == "Đơn vị" and {"Đoàn phường An Hội", "Đoàn xã Báo Cáo 00"} <= set(names)


@pytest.mark.django_db
def test_a_month_report_reads_the_month_rows(province, personas, as_user):
    month = datetime.date.today().replace(day=1)
    response = as_user(personas.staff_a).get(
        reverse("progress:export_docx", args=[province.pk]) + f"?period={month:%Y-%m}"
    )
    document = _docx(response)
    texts = [p.text for p in document.paragraphs]
    assert f"Kết quả thực hiện chương trình chuyển đổi số tháng {month:%m} năm {month:%Y}" in texts
    official = next(t for t in document.tables if t.rows[0].cells[0].text == "Chỉ tiêu")
    assert official.rows[0].cells[1].text == f"Kết quả tháng {month:%m} năm {month:%Y}"


@pytest.mark.django_db
def test_bad_period_is_a_vietnamese_page_not_a_file(province, personas, as_user):
    response = as_user(personas.staff_a).get(
        reverse("progress:export_docx", args=[province.pk]) + "?period=2026-13"
    )
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert 'Kỳ báo cáo "2026-13" không hợp lệ' in html.unescape(response.content.decode())


@pytest.mark.django_db
def test_out_of_scope_is_404_whatever_the_period(province, personas, as_user):
    client = as_user(personas.staff_b)  # Thanh Hóa's staff
    for period in ("2026", "nonsense"):
        response = client.get(reverse("progress:export_docx", args=[province.pk]) + f"?period={period}")
        assert response.status_code == 404


@pytest.mark.django_db
def test_pdf_and_word_print_the_same_content(province, personas, rf):
    """One selector: every line of the content is in the Word file (the PDF template prints the same
    fields, checked by test_report_pdf)."""
    from progress.reports.word import report_docx

    with translation.override("vi"):
        period = parse_period(str(datetime.date.today().year), today=datetime.date.today())
        content = report_content(user=personas.staff_a, unit=province, period=period)
        document = docx.Document(io.BytesIO(report_docx(content)))
    paragraphs = {p.text for p in document.paragraphs}
    cells = {p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs}
    for line in [*content.situation, *content.proposals, content.note, content.subtitle]:
        assert line in paragraphs
    for line in [*content.recipients, content.sign_name, content.date_line, content.number]:
        assert line in cells


@pytest.mark.django_db
def test_campaigns_of_the_unit_during_the_period(province, personas):
    from egov_support.models import Campaign

    year = datetime.date.today().year
    Campaign.objects.create(
        name="Tháng Thanh niên",
        org_unit=province,
        starts_on=datetime.date(year, 3, 1),
        ends_on=datetime.date(year, 3, 31),
    )
    Campaign.objects.create(
        name="Năm trước",
        org_unit=province,
        starts_on=datetime.date(year - 1, 3, 1),
        ends_on=datetime.date(year - 1, 3, 31),
    )
    with translation.override("vi"):
        period = parse_period(str(year), today=datetime.date.today())
        content = report_content(user=personas.staff_a, unit=province, period=period)
    assert content.campaigns == [
        f"1. Tháng Thanh niên (01/03/{year}–31/03/{year}): 0 buổi hỗ trợ, 0 lượt người dân được hỗ trợ."
    ]

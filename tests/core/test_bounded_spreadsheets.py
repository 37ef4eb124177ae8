"""A small spreadsheet cannot hold a worker: the declared size is refused before reading, and
reading stops at the first row or column past the limits (issue #17 item 6).

The crafted workbooks are built here: a normal header and one row, then the sheet's XML rewritten
to declare A1:XFD1048576 (or to lie small) with a cell at the bottom right. Each is ~5 KB. Both
imports that share the parser (a team's roster, the official statistics) answer with the Vietnamese
message on the form and import nothing.
"""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import tabular
from egov_support.models import ServiceStatistic, StatisticImport
from tests.core.test_garbage_inputs import VALID_XLSX
from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerFactory
from volunteers.models import Membership, Volunteer

ROSTER_HEADER = [
    "Họ",
    "Đệm",
    "Tên",
    "Năm sinh",
    "Giới tính",
    "Điện thoại",
    "Email",
    "Mã đoàn viên",
    "Mã đơn vị",
    "Vai trò",
    "Ngày vào đội",
    "Ngày đồng ý",
    "Kỹ năng",
]
ROSTER_ROW = ["Nguyễn", "Văn", "An", 2001, "Nam", "0912345678", "", "", "28777", "", "", "", ""]
STATS_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Tháng",
    "Tổng hồ sơ",
    "Hồ sơ trực tuyến",
    "Thanh toán trực tuyến",
    "Nguồn",
]
STATS_ROW = ["28777", "An Hội", "09/2025", 100, 30, None, "tỉnh"]
FAR_CELL = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


def crafted(
    header, row, *, dimension: str, far_cell: bool = True, name: str = "bang.xlsx"
) -> SimpleUploadedFile:
    """A real workbook whose first sheet declares ``dimension`` and, with ``far_cell``, holds a
    value in the last cell Excel has (row 1,048,576, column XFD) after a sparse gap."""
    book = openpyxl.Workbook()
    book.active.append(header)
    book.active.append(row)
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = body.decode()
                xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', xml)
                if far_cell:
                    xml = xml.replace("</sheetData>", FAR_CELL + "</sheetData>")
                body = xml.encode()
            target.writestr(item, body)
    return SimpleUploadedFile(name, out.getvalue())


def test_the_crafted_files_are_small():
    for dimension in ("A1:XFD1048576", "A1:M2"):
        assert len(crafted(ROSTER_HEADER, ROSTER_ROW, dimension=dimension).read()) < 6_000


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", "A1:M1048576", "A1:ZZ2"])
def test_a_declared_size_beyond_the_limits_is_refused_before_reading(dimension):
    upload = crafted(ROSTER_HEADER, ROSTER_ROW, dimension=dimension, far_cell=False)
    with pytest.raises(ValidationError) as refused:
        tabular.read_table(upload, expected=["ho", "ten"])
    assert (
        "at most 50.000 rows and 60 columns" in refused.value.messages[0]
        or "tối đa 50.000 dòng" in (refused.value.messages[0])
    )


def test_a_file_that_declares_little_and_holds_a_far_cell_is_refused_too():
    # The dimension says two rows; the sheet has a value a million rows down: reading stops at the cap.
    upload = crafted(ROSTER_HEADER, ROSTER_ROW, dimension="A1:M2")
    with pytest.raises(ValidationError, match="tối đa 50.000 dòng và 60 cột"):
        tabular.read_table(upload, expected=["ho", "ten"])


def test_columns_past_the_limit_are_never_read():
    # Declared wide: refused. Declared narrow with a value far right: that column is not read.
    header = [*ROSTER_HEADER, *[""] * 60, "ghi chú xa"]
    with pytest.raises(ValidationError, match="60 cột"):
        tabular.read_table(crafted(header, ROSTER_ROW, dimension="A1:CA2", far_cell=False), expected=["ho"])
    rows = tabular.read_table(crafted(header, ROSTER_ROW, dimension="A1:M2", far_cell=False), expected=["ho"])
    assert [r.values["ten"] for r in rows] == ["An"]
    assert "ghi_chu_xa" not in rows[0].values


def test_a_file_that_declares_less_than_it_holds_is_read_whole():
    # Within the limits, rows past a (wrong) declared dimension are still read, not silently dropped.
    book = openpyxl.Workbook()
    book.active.append(["ma_don_vi", "so_luong"])
    for number in range(5):
        book.active.append([f"2877{number}", number])
    plain = io.BytesIO()
    book.save(plain)
    lying = crafted(["ma_don_vi", "so_luong"], ["28770", 0], dimension="A1:B2", far_cell=False)
    # Rebuild from the 6-row workbook with the small dimension.
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:B2"/>', body)
            target.writestr(item, body)
    rows = tabular.read_table(SimpleUploadedFile("x.xlsx", out.getvalue()), expected=["ma_don_vi"])
    assert [r.values["so_luong"] for r in rows] == [0, 1, 2, 3, 4]
    assert lying.size < 6_000


# --- Through the pages, as the people who upload them --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("dimension", ["A1:XFD1048576", "A1:M2"])
def test_roster_import_page_refuses_the_crafted_file_and_imports_nothing(as_user, personas, tree, dimension):
    team = TeamFactory(name="Đội TNCS An Hội", org_unit=tree.commune_a)
    MembershipFactory(team=team, volunteer=VolunteerFactory(home_unit=tree.commune_a, user=personas.leader_a))
    before = (Volunteer.objects.count(), Membership.objects.count())
    client = as_user(personas.leader_a)

    response = client.post(
        reverse("volunteers:roster_import", args=[team.pk]),
        {"file": crafted(ROSTER_HEADER, ROSTER_ROW, dimension=dimension), "consent_purpose": "Đội"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Trang tính lớn hơn mức cho phép khi nhập: tối đa 50.000 dòng và 60 cột. Hãy chép riêng bảng dữ "
        "liệu sang một tệp Excel mới (hoặc xóa các dòng, cột trống bên dưới và bên phải bảng) rồi tải tệp đó lên."
    ]
    assert (Volunteer.objects.count(), Membership.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize("dimension", ["A1:XFD1048576", "A1:G2"])
def test_statistics_import_page_refuses_the_crafted_file_and_imports_nothing(as_user, personas, dimension):
    client = as_user(personas.staff_a)

    response = client.post(
        reverse("egov_support:statistic_import"),
        {"file": crafted(STATS_HEADER, STATS_ROW, dimension=dimension)},
    )

    assert response.status_code == 400  # the page's answer to a refused file
    assert "tối đa 50.000 dòng và 60 cột" in response.context["form"].errors["file"][0]
    assert not ServiceStatistic.objects.exists()
    assert not StatisticImport.objects.exists()


def test_a_zip_that_claims_an_unknown_version_is_a_clean_refusal():
    # Found by the fuzzer: a damaged central directory made zipfile raise NotImplementedError (a 500).
    content = bytearray(VALID_XLSX)
    directory = content.index(b"PK\x01\x02")
    content[directory + 6] = 64  # "version needed to extract": 6.4
    with pytest.raises(ValidationError, match="không phải bảng tính Excel|not an Excel workbook"):
        tabular.read_table(SimpleUploadedFile("hong.xlsx", bytes(content)), expected=["ma_don_vi"])

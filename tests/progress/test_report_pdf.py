"""The printable progress report (issue #21 item 8), read back with poppler's pdftotext and pdfinfo.

A province with 40 communes: their table spans pages, every commune is behind on the same indicator.
"""

import datetime
import os
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from progress import rollup
from tests.conftest import SCREENSHOTS, require_service
from tests.factories import OrgUnitFactory
from tests.progress import factories as f

pytestmark = pytest.mark.django_db
THIS_YEAR = datetime.date.today().year
COMMUNES = 40


def _pdftotext(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page, laid out as printed (one line of a table row per line)."""
    require_service(
        bool(shutil.which("pdftotext")), "pdftotext is missing (apt-get install -y poppler-utils)"
    )
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return text.stdout.split("\f")


def _page_sizes(pdf: bytes, tmp_path) -> list[tuple[float, float]]:
    path = tmp_path / "sizes.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, check=True, text=True
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


@pytest.fixture
def province(story, personas):
    t = story.tree
    today = datetime.date.today()
    month = today.replace(day=1)
    for n in range(COMMUNES):
        # A long name wraps in its cell: a row split by a page break would leave half of it behind.
        unit = OrgUnitFactory(
            code=f"T{n:02d}", name=f"Đoàn phường Thử Nghiệm Tách Dòng Số {n:02d}", parent=t.province_a
        )
        team = f.team(unit, founded_on=datetime.date(THIS_YEAR, 1, 1))
        f.session(team, unit, month, ("dvc-national-full", 700 + n, 1))
        f.statistic(unit, month, 100, 10)  # 10% online, against the province's 80%: red
    f.target(
        t.province_a,
        "online_service_rate",
        80,
        datetime.date(THIS_YEAR, 12, 31),
        start=datetime.date(THIS_YEAR, 1, 1),
    )
    t.province_a.signer_title = "Phó Bí thư"
    t.province_a.signer_name = "Nguyễn Thị Mai"
    t.province_a.save()
    rollup.rollup_full()
    return t.province_a


def test_report_reads_as_a_union_document(province, personas, as_user, tmp_path):
    response = as_user(personas.staff_a).get(reverse("progress:export_pdf", args=[province.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    os.makedirs(SCREENSHOTS, exist_ok=True)
    with open(os.path.join(SCREENSHOTS, "progress-report.pdf"), "wb") as out:  # to look at
        out.write(response.content)
    pages = _pdftotext(response.content, tmp_path)
    text = "\n".join(pages)
    flat = " ".join(text.split())

    today = datetime.date.today()
    # The date line with the place, taken from the unit's name when no place is set.
    assert f"Vĩnh Long, ngày {today:%d} tháng {today:%m} năm {today:%Y}" in flat
    # The signature block: on behalf of the standing committee, the signer's title and name.
    # (beside the recipients, so read in order from the flat text)
    assert re.search(r"TM\. BAN THƯỜNG VỤ.*PHÓ BÍ THƯ.*Nguyễn Thị Mai", flat)
    assert "Nơi nhận:" in flat and "- Lưu: Văn phòng." in flat
    # A ratio's target reads 80%, not 80.
    rate_line = next(
        line
        for line in text.splitlines()
        if "Tỷ lệ hồ sơ dịch vụ công trực tuyến" in line and "31/12" in line
    )
    assert "80%" in rate_line

    # The lagging units grouped: one line for the indicator all 40 communes miss, not 40 bullets.
    lagging = flat[flat.index("ĐƠN VỊ CHẬM TIẾN ĐỘ") : flat.index("ĐỀ XUẤT, KIẾN NGHỊ")]
    assert lagging.count("Tỷ lệ hồ sơ dịch vụ công trực tuyến") == 1
    assert f"— {COMMUNES} đơn vị:" in lagging


def test_unit_table_has_every_indicator_on_landscape_pages_and_rows_never_split(
    province, personas, as_user, tmp_path
):
    pdf = as_user(personas.staff_a).get(reverse("progress:export_pdf", args=[province.pk])).content
    pages = _pdftotext(pdf, tmp_path)
    sizes = _page_sizes(pdf, tmp_path)
    table_pages = [i for i, page in enumerate(pages) if re.search(r"Thử Nghiệm\s+10%", page)]
    assert len(table_pages) >= 2  # the table spans pages...
    for i in table_pages:
        width, height = sizes[i]
        assert width > height  # ...in landscape
        header = " ".join(pages[i].split())
        for name in ("Tỷ lệ hồ sơ", "Tỷ lệ xã,", "Số đội hình", "Lượt người", "Tài khoản", "Giờ tình"):
            assert name in header  # every indicator, its header repeated on each page
    for n in range(COMMUNES):
        # The two lines of a commune's wrapped name and its value are on one page.
        first = {i for i in table_pages if re.search(rf"Thử Nghiệm.*\b{700 + n}\b", pages[i])}
        last = {i for i in table_pages if f"Số {n:02d}" in pages[i]}
        assert len(first) == 1 and first == last, f"commune {n:02d} split across pages {first} / {last}"


def test_place_setting_wins_over_the_name(tree):
    assert tree.province_a.place == "Vĩnh Long"
    assert tree.commune_a.place == "An Hội"
    assert tree.central.place == "Hà Nội"
    tree.commune_a.document_place = "Phường An Hội, Vĩnh Long"
    assert tree.commune_a.place == "Phường An Hội, Vĩnh Long"

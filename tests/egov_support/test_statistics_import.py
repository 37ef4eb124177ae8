import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core.models import DirtyMark
from egov_support import services, statistics_import
from egov_support.models import ServiceStatistic, StatisticImport

pytestmark = pytest.mark.django_db

HEADER = "Mã đơn vị,Tên đơn vị,Tháng,Tổng hồ sơ,Hồ sơ trực tuyến,Thanh toán trực tuyến,Nguồn\n"


def csv_upload(body: str, name: str = "thong-ke.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\ufeff" + HEADER + body).encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().split(","))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("thong-ke.xlsx", buffer.getvalue())


def test_dry_run_lists_every_bad_row_and_writes_nothing(tree, personas):
    body = (
        "28777,An Hội,09/2025,100,30,,tỉnh\n"  # fine
        "99999,?,09/2025,10,1,,tỉnh\n"  # unknown unit
        "16066,Hạc Thành,09/2025,10,1,,tỉnh\n"  # province B: out of scope reads as unknown
        "28756,Phú Khương,09/2025,10,11,,tỉnh\n"  # online > total
        "28789,Bến Tre,13/2025,-4,1,,tỉnh\n"  # bad month and negative
        "28777,An Hội,09/2025,100,30,,sao hỏa\n"  # unknown source
    )

    result = services.service_statistics_import(by=personas.staff_a, upload=csv_upload(body), dry_run=False)

    errors = [(e.row, e.column) for e in result.report.errors]
    assert errors == [
        (3, "Mã đơn vị"),
        (4, "Mã đơn vị"),
        (5, "Hồ sơ trực tuyến"),
        (6, "Tháng"),
        (6, "Tổng hồ sơ"),
        (7, "Nguồn"),
    ]
    assert not ServiceStatistic.objects.exists()
    assert not StatisticImport.objects.exists()
    assert not DirtyMark.objects.exists()


def test_duplicate_rows_in_one_file_are_refused(tree, personas):
    body = "28777,,09/2025,100,30,,\n28777,,2025-09,100,31,,\n"

    result = services.service_statistics_import(by=personas.staff_a, upload=csv_upload(body), dry_run=False)

    assert [(e.row, e.column) for e in result.report.errors] == [(3, "Mã đơn vị")]
    assert not ServiceStatistic.objects.exists()


def test_clean_file_previews_then_imports_and_reimport_is_idempotent(tree, personas):
    body = "28777,An Hội,09/2025,100,30,12,tỉnh\n28756,Phú Khương,09/2025,80,20,,quốc gia\n28789,Bến Tre,09/2025,,,,\n"

    preview = services.service_statistics_import(by=personas.staff_a, upload=csv_upload(body), dry_run=True)
    assert (preview.report.created, preview.report.updated, preview.report.unchanged, preview.skipped) == (
        2,
        0,
        0,
        1,
    )
    assert not ServiceStatistic.objects.exists()

    first = services.service_statistics_import(by=personas.staff_a, upload=csv_upload(body), dry_run=False)
    again = services.service_statistics_import(by=personas.staff_a, upload=csv_upload(body), dry_run=False)
    changed_body = body.replace("100,30,12", "100,45,12")
    changed = services.service_statistics_import(
        by=personas.staff_a, upload=csv_upload(changed_body), dry_run=False
    )

    assert (first.report.created, first.report.updated, first.report.unchanged) == (2, 0, 0)
    assert (again.report.created, again.report.updated, again.report.unchanged) == (0, 0, 2)
    assert (changed.report.created, changed.report.updated, changed.report.unchanged) == (0, 1, 1)
    assert changed.rows[0].changes == {"dossiers_online": (30, 45)}
    assert ServiceStatistic.objects.count() == 2
    an_hoi = ServiceStatistic.objects.get(org_unit=tree.commune_a)
    assert (an_hoi.dossiers_online, an_hoi.online_payments) == (45, 12)
    history = list(an_hoi.history.order_by("history_date"))
    assert [h.dossiers_online for h in history] == [30, 45]
    last_import = StatisticImport.objects.order_by("-pk").first()
    assert history[-1].history_change_reason.endswith(f"#{last_import.pk}: thong-ke.csv")
    assert StatisticImport.objects.count() == 3
    assert ServiceStatistic.objects.get(org_unit=tree.sibling_a).source == "national_portal"


def test_xlsx_with_date_cells_and_numbers_imports(tree, personas):
    upload = xlsx_upload([["28777", "An Hội", datetime.datetime(2025, 8, 1), 120, 40, None, "tỉnh"]])

    result = services.service_statistics_import(by=personas.staff_a, upload=upload, dry_run=False)

    assert result.report.is_clean
    assert ServiceStatistic.objects.get().month == datetime.date(2025, 8, 1)


def test_missing_columns_and_non_spreadsheets_are_file_errors(tree, personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Hồ sơ trực tuyến|ho_so_truc_tuyen"):
        services.service_statistics_import(
            by=personas.staff_a,
            upload=SimpleUploadedFile("x.csv", "Mã đơn vị,Tháng,Tổng hồ sơ\n28777,09/2025,1\n".encode()),
        )
    with pytest.raises(ValidationError):
        services.service_statistics_import(
            by=personas.staff_a, upload=SimpleUploadedFile("x.xlsx", b"%PDF-1.4 not a workbook")
        )


def test_out_of_range_totals_and_fractions_are_row_errors_in_the_preview(tree, personas, as_user):
    # Issue #17 item 9: 2,147,483,648 passed the preview and the confirm answered 500; 1.5 was stored as 15.
    upload = xlsx_upload(
        [
            ["28777", "An Hội", "09/2025", 2_147_483_648, 30, None, "tỉnh"],  # past the 32-bit column
            ["28756", "Phú Khương", "09/2025", 1.5, 1, None, "tỉnh"],  # a fraction where a count is due
            ["28789", "Bến Tre", "09/2025", 100, "2,5", 10**12, "tỉnh"],  # a fraction typed as text; huge
        ]
    )
    client = as_user(personas.staff_a)

    response = client.post(reverse("egov_support:statistic_import"), {"file": upload})

    assert response.status_code == 400
    report = response.context["result"].report
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "Tổng hồ sơ", "không được lớn hơn 2.147.483.647"),
        (3, "Tổng hồ sơ", "không phải số nguyên"),
        (4, "Hồ sơ trực tuyến", "không phải số nguyên"),
        (4, "Thanh toán trực tuyến", "không được lớn hơn 2.147.483.647"),
    ]
    assert "Dòng 2, cột Tổng hồ sơ: không được lớn hơn 2.147.483.647" in response.content.decode()
    assert response.context["token"] is None  # nothing to confirm
    assert not ServiceStatistic.objects.exists()
    assert not StatisticImport.objects.exists()


def test_the_largest_count_the_column_holds_imports(tree, personas):
    upload = xlsx_upload([["28777", "An Hội", "09/2025", 2_147_483_647, "1.000", None, "tỉnh"]])

    result = services.service_statistics_import(by=personas.staff_a, upload=upload, dry_run=False)

    assert result.report.is_clean
    assert (
        ServiceStatistic.objects.get().dossiers_total,
        ServiceStatistic.objects.get().dossiers_online,
    ) == (
        2_147_483_647,
        1000,
    )


def test_a_file_with_the_english_titles_imports_the_same(tree, personas):
    """Staff who use the portal in English download English titles; that file comes back too."""
    with translation.override("en"):
        english = ",".join(statistics_import.SHEET.header())
    assert english.startswith("Unit code,")  # not the Vietnamese header under another name
    body = f"{english}\n28777,An Hội,09/2025,100,30,12,tỉnh\n"
    upload = SimpleUploadedFile("statistics.csv", body.encode("utf-8"), content_type="text/csv")
    result = services.service_statistics_import(by=personas.staff_a, upload=upload, dry_run=False)
    assert (result.report.created, result.report.errors) == (1, [])
    assert ServiceStatistic.objects.get(org_unit=tree.commune_a).dossiers_online == 30

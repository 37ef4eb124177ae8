import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.volunteers.factories import VolunteerFactory
from volunteers import services
from volunteers.models import Membership, Volunteer

pytestmark = pytest.mark.django_db

HEADER = "Họ,Đệm,Tên,Năm sinh,Giới tính,Điện thoại,Email,Mã đoàn viên,Mã đơn vị,Vai trò,Ngày vào đội,Ngày đồng ý,Kỹ năng"


def _csv(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("roster.csv", ("\n".join([HEADER, *rows]) + "\n").encode("utf-8-sig"))


GOOD = [
    "Nguyễn,Văn,An,2001,Nam,0912 345 678,,,28777,Đội trưởng,01/09/2025,01/09/2025,VNeID",
    "Trần,Thị,Bích,2003,Nữ,+84 903 000 111,bich@example.vn,DV01,28777,Thành viên,01/09/2025,01/09/2025,",
]


def test_clean_file_dry_run_writes_nothing_then_import_writes_all(teams, personas):
    report = services.roster_import(
        by=personas.leader_a, team=teams.a, upload=_csv(*GOOD), consent_purpose="Đội", dry_run=True
    )
    assert report.is_clean and (report.rows_total, report.created) == (2, 2)
    assert Volunteer.objects.count() == 1  # only the fixture's leader

    report = services.roster_import(
        by=personas.leader_a, team=teams.a, upload=_csv(*GOOD), consent_purpose="Đội", dry_run=False
    )

    assert report.is_clean
    an = Volunteer.objects.get(given_name="An")
    assert (an.phone, an.home_unit, an.consent_purpose) == ("0912345678", teams.a.org_unit, "Đội")
    assert Membership.objects.get(volunteer=an).role == "leader"
    assert Volunteer.objects.get(given_name="Bích").phone == "0903000111"


def test_every_bad_row_is_reported_and_nothing_is_imported(teams, personas):
    rows = [
        GOOD[0],
        "Lê,,Cường,2000,Nam,0912345678,,,28777,,,,",  # duplicate phone of row 2
        "Phạm,,Dung,1999,Nữ,0977111222,,,99999,,31/02/2025,,",  # unknown unit, bad date
        "Võ,,Em,abc,Nam,12345,,,28756,,,,",  # bad year, bad phone, sibling unit outside a leader's scope
        "Đỗ,,Giang,2002,Nữ,0977333444,,,38,,,,",  # province B: unknown to this leader
    ]

    report = services.roster_import(
        by=personas.leader_a, team=teams.a, upload=_csv(*rows), consent_purpose="Đội", dry_run=False
    )

    problems = {(e.row, e.column) for e in report.errors}
    assert problems == {
        (3, "Điện thoại"),
        (4, "Mã đơn vị"),
        (4, "Ngày vào đội"),
        (5, "Năm sinh"),
        (5, "Điện thoại"),
        (5, "Mã đơn vị"),
        (6, "Mã đơn vị"),
    }
    assert "dòng 2" in next(e.message for e in report.errors if e.row == 3)
    assert Volunteer.objects.count() == 1
    assert Membership.objects.count() == 1


def test_known_phone_in_the_unit_joins_the_existing_person(teams, personas):
    existing = VolunteerFactory(home_unit=teams.a.org_unit, phone="0912345678", given_name="An")

    report = services.roster_import(
        by=personas.leader_a, team=teams.a, upload=_csv(GOOD[0]), consent_purpose="Đội", dry_run=False
    )

    assert (report.created, report.updated) == (0, 1)
    assert Membership.objects.get(volunteer=existing).team == teams.a


def test_excel_file_is_read_too(teams, personas):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["Nguyễn", "Văn", "An", 2001, "Nam", 912345678, None, None, "28777", None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("roster.xlsx", buffer.getvalue())

    report = services.roster_import(
        by=personas.leader_a, team=teams.a, upload=upload, consent_purpose="Đội", dry_run=False
    )

    assert report.is_clean
    assert Volunteer.objects.get(given_name="An").phone == "0912345678"


def test_import_page_previews_then_confirms(as_user, personas, teams):
    client = as_user(personas.leader_a)
    url = reverse("volunteers:roster_import", args=[teams.a.pk])

    preview = client.post(url, {"file": _csv(*GOOD), "consent_purpose": "Đội", "check": "1"})
    assert preview.status_code == 200
    assert preview.context["report"].is_clean
    assert Volunteer.objects.count() == 1
    token = preview.context["token"]

    done = client.post(url, {"token": token, "confirm": "1"})

    assert done.status_code == 302
    assert Volunteer.objects.count() == 3


def test_import_page_lists_bad_rows(as_user, personas, teams):
    client = as_user(personas.leader_a)
    url = reverse("volunteers:roster_import", args=[teams.a.pk])

    response = client.post(url, {"file": _csv(GOOD[0], GOOD[0]), "consent_purpose": "Đội", "check": "1"})

    html = response.content.decode()
    assert "import-errors" in html
    assert [(e.row, e.column) for e in response.context["report"].errors] == [(3, "Điện thoại")]
    assert not response.context["token"]
    assert Volunteer.objects.count() == 1


def test_template_download(as_user, personas, teams):
    response = as_user(personas.leader_a).get(reverse("volunteers:roster_template", args=[teams.a.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook.active[1]][:3] == ["Họ", "Đệm", "Tên"]


def test_the_template_sent_back_unchanged_adds_nobody(as_user, personas, teams):
    """Its example row (a made-up person with a phone number) passed the check (a persona run saw it)."""
    client = as_user(personas.leader_a)
    template = client.get(reverse("volunteers:roster_template", args=[teams.a.pk]))
    url = reverse("volunteers:roster_import", args=[teams.a.pk])
    response = client.post(url, {"file": _download(template), "consent_purpose": "Đội", "check": "1"})

    assert (
        "đây là dòng mẫu của tệp mẫu: xóa dòng này và ghi danh sách thành viên của đội"
        in response.content.decode()
    )
    assert [e.row for e in response.context["report"].errors] == [2]
    assert not response.context["token"]
    assert not Volunteer.objects.filter(phone="0900000000").exists()


def test_imports_and_exports_are_logged_as_structured_lines_without_personal_data(
    teams, personas, as_user, caplog
):
    import json
    import logging

    with caplog.at_level(logging.INFO, logger="portal.audit"):
        services.roster_import(
            by=personas.leader_a, team=teams.a, upload=_csv(*GOOD), consent_purpose="Đội", dry_run=True
        )
        services.roster_import(
            by=personas.leader_a, team=teams.a, upload=_csv(*GOOD), consent_purpose="Đội", dry_run=False
        )
        response = as_user(personas.leader_a).get(reverse("volunteers:roster_export", args=[teams.a.pk]))
        assert response.status_code == 200
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "portal.audit"]
    imports = [e for e in events if e["event"].startswith("import.")]
    assert [(e["event"], e["kind"], e["rows"], e["created"]) for e in imports] == [
        ("import.dry_run", "roster", 2, 2),
        ("import.written", "roster", 2, 2),
    ]
    exports = [e for e in events if e["event"] == "export"]
    assert (
        exports and exports[0]["filename"].endswith(".xlsx") and exports[0]["user_id"] == personas.leader_a.pk
    )
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "0912" not in text and "345678" not in text and "Bích" not in text


def _download(response) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "roster.xlsx", b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_the_portals_own_export_imports_back(as_user, teams, personas, tree):
    """One column definition: the export's headers are the import's; its rows are read back as they are."""
    services.roster_import(
        by=personas.leader_a, team=teams.a, upload=_csv(*GOOD), consent_purpose="Đội", dry_run=False
    )
    client = as_user(personas.staff_a)
    exported = client.get(reverse("volunteers:roster_export", args=[teams.a.pk]))
    template = client.get(reverse("volunteers:roster_template", args=[teams.a.pk]))
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(exported.content)).active[1]]
    assert header == [c.value for c in openpyxl.load_workbook(io.BytesIO(template.content)).active[1]]

    # Into the same team: everyone is already there, so nothing changes and nothing is an error.
    report = services.roster_import(
        by=personas.staff_a, team=teams.a, upload=_download(exported), consent_purpose="Đội", dry_run=False
    )
    assert report.is_clean, report.errors
    assert (report.rows_total, report.created, report.updated, report.unchanged) == (3, 0, 0, 3)

    # Into a new team of the sibling commune: the same people join it, no one is duplicated.
    report = services.roster_import(
        by=personas.staff_a,
        team=teams.sibling,
        upload=_download(exported),
        consent_purpose="Đội",
        dry_run=False,
    )
    assert report.is_clean, report.errors
    assert (report.created, report.updated) == (0, 3)
    assert Volunteer.objects.count() == 3
    an = Membership.objects.get(team=teams.sibling, volunteer__given_name="An")
    assert an.role == "leader" and an.volunteer.skills.get().name == "VNeID"


def test_missing_columns_are_named_as_the_person_sees_them(teams, personas):
    upload = SimpleUploadedFile("roster.csv", "Họ,Tên\nNguyễn,An\n".encode("utf-8-sig"))
    with pytest.raises(ValidationError) as caught:
        services.roster_import(by=personas.leader_a, team=teams.a, upload=upload, consent_purpose="Đội")
    assert caught.value.messages == ["Thiếu cột: Điện thoại, Mã đơn vị."]


def test_a_roster_row_joining_before_the_founding_is_reported_in_the_dry_run(teams, personas):
    import datetime

    teams.a.founded_on = datetime.date(2025, 8, 15)
    teams.a.save()
    rows = [GOOD[0], GOOD[1].replace(",01/09/2025,01/09/2025,", ",01/08/2025,01/08/2025,")]

    report = services.roster_import(
        by=personas.leader_a, team=teams.a, upload=_csv(*rows), consent_purpose="Đội"
    )

    (error,) = report.errors
    assert (error.row, error.column) == (3, "Ngày vào đội") and "15/08/2025" in error.message
    assert Volunteer.objects.count() == 1  # the leader's own record only: nothing imported


def test_a_roster_with_the_english_titles_imports_and_errors_name_the_vietnamese_columns(teams, personas):
    """Column titles live in the translations: a file made with the English interface imports too."""
    header = (
        "Family name,Middle name,Given name,Year of birth,Sex,Phone,Email,Union member code,Unit code,"
        "Role in the team,Joined the team on,Consent given on,Skills"
    )
    rows = [GOOD[0], "Lê,,Cường,1850,Nam,0977111222,,,28777,Trưởng nhóm,,,"]
    upload = SimpleUploadedFile("roster.csv", ("\n".join([header, *rows]) + "\n").encode("utf-8-sig"))

    report = services.roster_import(
        by=personas.leader_a, team=teams.a, upload=upload, consent_purpose="Đội", dry_run=True
    )

    assert report.rows_total == 2
    assert {(e.row, e.column) for e in report.errors} == {(3, "Năm sinh"), (3, "Vai trò")}

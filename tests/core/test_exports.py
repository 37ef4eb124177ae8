"""Every spreadsheet the portal hands out goes through one helper (core.tabular), which neutralises
formulas and lays the sheet out to be read (issue #17 item 5, issue #21 item 15).

The class test finds the exports itself: every function that calls the helper (an AST walk of the
apps), every URL that looks like a download, every admin action named export. Each must be covered by
a case below that feeds the export text Excel would run as a formula and reads the file back; an
export added next year without a case, or written without the helper, fails here.
"""

import ast
import datetime
import io
import pathlib
import re
from dataclasses import dataclass
from types import SimpleNamespace

import openpyxl
import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.tabular import FORMULA_TRIGGERS, Column, Kind, csv_response, neutralise, sheet_title, xlsx_response
from egov_support.models import Campaign
from tests.egov_support.factories import (
    HelpSessionFactory,
    ServiceFactory,
    ServiceLineFactory,
    ServiceStatisticFactory,
)
from tests.factories import OrgUnitFactory
from tests.partnerships.factories import PartnerFactory, make_agreement
from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The project's own code: every installed app that lives in this repository, and the settings package.
APPS = sorted(
    {
        pathlib.Path(c.path).relative_to(ROOT).parts[0]
        for c in apps.get_app_configs()
        if c.path.startswith(str(ROOT)) and "site-packages" not in c.path
    }
    | {"config"}
)
HELPERS = {"xlsx_response", "csv_response"}

# Text a spreadsheet would run: a live link, arithmetic, a function, and the tab/CR variants.
HYPERLINK = '=HYPERLINK("http://x","y")'
PLUS, MINUS, AT = "+1", "-1+1", "@SUM(A1)"
PAYLOADS = [HYPERLINK, PLUS, MINUS, AT, "\t=1+1", "\r=1+1"]


# --- The helper itself ------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralise_prefixes_an_apostrophe_and_keeps_the_text(payload):
    assert neutralise(payload) == "'" + payload
    assert neutralise("Đoàn phường An Hội") == "Đoàn phường An Hội"
    assert neutralise(-1) == -1  # numbers are numbers, never text


def test_sheet_titles_are_legal_short_and_unique():
    long = "Tài khoản VNeID được hỗ trợ kích hoạt"
    title = sheet_title(long)
    assert len(title) <= 31 and title.endswith("…") and title.startswith("Tài khoản VNeID")
    assert sheet_title("Tỷ lệ: a/b [c]?") == "Tỷ lệ a b c"
    assert sheet_title(long, taken=[title]) != title
    assert len(sheet_title(long, taken=[title])) <= 31


def _workbook(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_helper_writes_formats_widths_frozen_header_and_filter():
    rows = [
        ["Đoàn phường An Hội", datetime.date(2026, 3, 5), 1234, 80.456, datetime.date(2026, 3, 1), 2026],
        [HYPERLINK, None, 5, 12, datetime.date(2026, 4, 1), 2026],
    ]
    columns = [
        "Đơn vị",
        "Ngày",
        Column("Lượt người dân được hỗ trợ", Kind.INTEGER),
        Column("Tỷ lệ", Kind.PERCENT),
        Column("Tháng", Kind.MONTH),
        Column("Năm", Kind.YEAR),
    ]
    workbook = _workbook(xlsx_response("x.xlsx", [("Tổng hợp", columns, rows)]))
    sheet = workbook["Tổng hợp"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F3"
    assert sheet["A1"].font.b and sheet["A1"].alignment.wrap_text
    assert sheet["B2"].number_format == "DD/MM/YYYY" and sheet["B2"].value == datetime.datetime(2026, 3, 5)
    assert sheet["C2"].number_format == "#,##0" and sheet["C2"].value == 1234
    assert sheet["D2"].number_format == "0.0%" and sheet["D2"].value == pytest.approx(0.8046)
    assert sheet["E2"].number_format == "MM/YYYY"
    assert sheet["F2"].number_format == "0" and sheet["F2"].value == 2026
    assert sheet["A3"].value == "'" + HYPERLINK and sheet["A3"].data_type == "s"
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEF"}
    assert widths["A"] >= len("Đoàn phường An Hội") and all(8 <= w <= 60 for w in widths.values())


def test_csv_neutralises_too_and_reads_dates_the_vietnamese_way():
    response = csv_response("x.csv", ["Tên", Column("Ngày", Kind.DATE)], [[AT, datetime.date(2026, 3, 5)]])
    text = response.content.decode("utf-8-sig")
    assert text.splitlines() == ["Tên,Ngày", "'@SUM(A1),05/03/2026"]


def test_a_neutralised_export_reads_back_as_the_original_text():
    """The roster round trip: what the portal exported imports as what the person typed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.tabular import read_table

    response = xlsx_response("r.xlsx", [("Danh sách", ["Họ", "Tên"], [[MINUS, "An"]])])
    upload = SimpleUploadedFile("r.xlsx", response.content)
    rows = read_table(upload, expected=["ho", "ten"])
    assert rows[0].values == {"ho": MINUS, "ten": "An"}


# --- Every export of the portal ---------------------------------------------------------------


@dataclass
class Export:
    functions: set[str]  # the functions that call the helper, as module.function
    request: object  # (client, data) -> response
    sheet_titles: list[str]  # the Vietnamese sheet names, in order (a prefix for generated ones)


@pytest.fixture
def hostile(tree, personas):
    """Every kind of record the exports read, with names and texts a spreadsheet would run."""
    unit = OrgUnitFactory(code="29999", name=HYPERLINK, parent=tree.province_a)
    team = TeamFactory(name=PLUS, org_unit=unit)
    volunteer = VolunteerFactory(family_name=MINUS, middle_name="\t=1+1", given_name=AT, home_unit=unit)
    MembershipFactory(team=team, volunteer=volunteer)
    campaign = Campaign.objects.create(
        name=AT,
        org_unit=tree.province_a,
        starts_on=datetime.date(2025, 7, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    service = ServiceFactory(code="svc-hostile", name_vi=MINUS)
    session = HelpSessionFactory(team=team, org_unit=unit, address=HYPERLINK, campaign=campaign)
    ServiceLineFactory(session=session, service=service)
    statistic = ServiceStatisticFactory(org_unit=unit)
    agreement = make_agreement(
        units=[tree.province_a],
        partners=[PartnerFactory(name=AT, short_name=AT)],
        title=HYPERLINK,
        code=MINUS,
    )
    return SimpleNamespace(
        unit=unit, team=team, volunteer=volunteer, session=session, statistic=statistic, agreement=agreement
    )


def _admin_action(path, action):
    def post(client, data):
        pk = data.session.pk if "helpsession" in path else data.statistic.pk
        return client.post(path, {"action": action, "_selected_action": [pk]})

    return post


EXPORTS = {
    "agreements": Export(
        {"partnerships.views.agreement_export"},
        lambda client, data: client.get(reverse("partnerships:agreement_export")),
        ["Thỏa thuận"],
    ),
    "help sessions": Export(
        {"egov_support.views._sessions_xlsx"},
        lambda client, data: client.get(reverse("egov_support:session_list"), {"format": "xlsx"}),
        ["Buổi hỗ trợ"],
    ),
    "statistics template": Export(
        {"egov_support.views.statistic_template"},
        lambda client, data: client.get(reverse("egov_support:statistic_template")),
        ["Thống kê DVC", "Hướng dẫn"],
    ),
    "teams": Export(
        {"volunteers.views.team_list"},
        lambda client, data: client.get(reverse("volunteers:team_list"), {"format": "xlsx"}),
        ["Đội"],
    ),
    "volunteers": Export(
        {"volunteers.views.volunteer_list"},
        lambda client, data: client.get(reverse("volunteers:volunteer_list"), {"format": "xlsx"}),
        ["Tình nguyện viên"],
    ),
    "roster": Export(
        {"volunteers.views.team_roster_export"},
        lambda client, data: client.get(reverse("volunteers:roster_export", args=[data.team.pk])),
        ["Danh sách"],
    ),
    "roster template": Export(
        {"volunteers.views.roster_template"},
        lambda client, data: client.get(reverse("volunteers:roster_template", args=[data.team.pk])),
        ["Danh sách"],
    ),
    "admin help sessions": Export(
        {"egov_support.admin.HelpSessionAdmin.export_xlsx"},
        _admin_action("/admin/egov_support/helpsession/", "export_xlsx"),
        ["Buổi hỗ trợ"],
    ),
    "admin statistics": Export(
        {"egov_support.admin.ServiceStatisticAdmin.export_xlsx"},
        _admin_action("/admin/egov_support/servicestatistic/", "export_xlsx"),
        ["Thống kê DVC"],
    ),
    "progress": Export(
        {"progress.views.export_xlsx"},
        lambda client, data: client.get(reverse("progress:export_xlsx", args=[data.unit.parent_id])),
        [f"Tổng hợp {datetime.date.today().year}", "Mục tiêu"],
    ),
    "reporting status": Export(
        {"reporting.views.status_export"},
        lambda client, data: client.get(reverse("reporting:status_export")),
        [f"Báo cáo {datetime.date.today().isocalendar()[0]}-W{datetime.date.today().isocalendar()[1]:02d}"],
    ),
}

# Exports that carry no payload of ours (a template of empty rows): the layout is still checked.
WITHOUT_PAYLOAD = {"roster template"}
# Downloads that are not spreadsheets: a person's own data as JSON, the printable report.
NOT_SPREADSHEETS = {
    "volunteers:volunteer_export",
    "progress:export_pdf",
    "progress:export_docx",  # a Word report: prose and a table of figures, no cell a spreadsheet runs
}


def _helper_callers() -> set[str]:
    """module.function (or module.Class.method) of every function in the apps that calls the helper."""
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            if module == "core.tabular":
                continue
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if not isinstance(node, ast.Module | ast.ClassDef):
                    continue
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and _calls_helper(item):
                        owner = f"{node.name}." if isinstance(node, ast.ClassDef) else ""
                        found.add(f"{module}.{owner}{item.name}")
    return found


def _calls_helper(function: ast.FunctionDef) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in HELPERS:
                return True
    return False


def test_every_function_that_exports_is_covered_by_a_case():
    covered = set().union(*(e.functions for e in EXPORTS.values()))
    callers = _helper_callers()
    assert callers - covered == set(), "an export without a case in EXPORTS: add one"
    assert covered - callers == set(), "a case names a function that no longer exports"


def test_nothing_writes_a_spreadsheet_or_csv_but_the_helper():
    """openpyxl's writer, csv.writer and the xlsx content type appear in core/tabular.py only."""
    offenders = []
    pattern = re.compile(
        r"Workbook\(|xlsxwriter|\.to_excel\(|csv\.writer\(|csv\.DictWriter\("
        r"|content_type=\S*(text/csv|spreadsheetml|XLSX_CONTENT_TYPE)"
    )
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.relative_to(ROOT).as_posix() == "core/tabular.py" or "migrations" in path.parts:
                continue
            if pattern.search(path.read_text()):
                offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield (
                prefix + str(entry.pattern),
                f"{namespace}{entry.name}" if entry.name else "",
                entry.callback,
            )


def test_every_download_url_is_a_case_or_declared_not_a_spreadsheet():
    covered_views = {f.rsplit(".", 1)[-1] for e in EXPORTS.values() for f in e.functions}
    missing = []
    for route, name, callback in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") or route.startswith("^admin/"):
            continue
        looks_like_download = re.search(r"\.(xlsx|csv|xls)\b", route) or "export" in name
        if looks_like_download and name not in NOT_SPREADSHEETS and callback.__name__ not in covered_views:
            missing.append(name or route)
    assert missing == []


def test_every_admin_export_action_is_a_case():
    covered = {f for e in EXPORTS.values() for f in e.functions}
    missing = []
    for model_admin in admin.site._registry.values():
        for action in model_admin.actions or ():
            name = action if isinstance(action, str) else action.__name__
            if "export" in name or "xlsx" in name or "csv" in name:
                qualified = f"{type(model_admin).__module__}.{type(model_admin).__name__}.{name}"
                if qualified not in covered:
                    missing.append(qualified)
    assert missing == []


def _assert_inert_and_laid_out(workbook, name):
    seen = set()
    for sheet in workbook.worksheets:
        # A Vietnamese name a person reads, never an internal code like "online_service_rate".
        assert not re.fullmatch(r"[a-z0-9_ ]+", sheet.title), f"{name}: sheet {sheet.title!r}"
        assert len(sheet.title) <= 31
        assert sheet.freeze_panes == "A2", f"{name}: {sheet.title} has no frozen header"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), f"{name}: no autofilter"
        for column in range(1, sheet.max_column + 1):
            letter = openpyxl.utils.get_column_letter(column)
            assert sheet.column_dimensions[letter].width, f"{name}: column {letter} has no width"
            assert sheet.cell(1, column).font.b, f"{name}: header {letter} is not bold"
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{name}: {sheet.title}!{cell.coordinate} is a live formula"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_TRIGGERS), (
                        f"{name}: {sheet.title}!{cell.coordinate} = {cell.value!r}"
                    )
                    seen.add(cell.value)
    return seen


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_export_neutralises_formulas_and_opens_ready_to_read(name, hostile, personas, as_user):
    export = EXPORTS[name]
    workbook = _workbook(export.request(as_user(personas.staff_a), hostile))

    assert workbook.sheetnames[: len(export.sheet_titles)] == export.sheet_titles
    seen = _assert_inert_and_laid_out(workbook, name)
    if name not in WITHOUT_PAYLOAD:
        # The hostile values did reach the file, made inert and still readable.
        assert seen & {"'" + p for p in PAYLOADS}, f"{name}: no payload in the file"

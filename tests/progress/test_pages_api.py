"""Dashboard, exports and API: scoped, bounded query counts, and the numbers the rollup wrote."""

import datetime
import io
import os

import openpyxl
import pytest
from django.urls import reverse

from progress import rollup
from progress.models import PeriodValue, Progress
from tests.conftest import SCREENSHOTS
from tests.factories import OrgUnitFactory
from tests.progress import factories as f

pytestmark = pytest.mark.django_db
THIS_YEAR = datetime.date.today().year


@pytest.fixture
def computed(story, personas):
    """The story, plus a session this year so the year view has data, rolled up."""
    t = story.tree
    today = datetime.date.today()
    f.session(story.team_a1, t.commune_a, today.replace(day=1), ("dvc-national-full", 6, 2))
    f.target(
        t.province_a,
        "citizens_assisted",
        500,
        datetime.date(THIS_YEAR, 12, 31),
        start=datetime.date(THIS_YEAR, 1, 1),
    )
    rollup.rollup_full()
    return story


def test_home_lands_on_the_users_unit(computed, personas, as_user):
    response = as_user(personas.staff_a).get(reverse("progress:home"))
    assert response.status_code == 302
    assert response.url == reverse("progress:dashboard", args=[computed.tree.province_a.pk])
    response = as_user(personas.viewer).get(reverse("progress:home"))
    assert response.url == reverse("progress:dashboard", args=[computed.tree.central.pk])


def test_dashboard_shows_kpis_children_and_chart_data(
    computed, personas, as_user, django_assert_max_num_queries
):
    client = as_user(personas.staff_a)
    url = reverse("progress:dashboard", args=[computed.tree.province_a.pk])
    with django_assert_max_num_queries(18):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "progress-chart-data" in body and "js-progress-chart" in body
    assert "Đoàn phường An Hội" in body  # a child in the ranking
    assert 'name="csrfmiddlewaretoken"' in body  # staff see the refresh form
    assert "<script>" not in body.replace('<script src="', "")  # no inline scripts (CSP)


def test_dashboard_query_count_does_not_grow_with_units(
    computed, personas, as_user, django_assert_max_num_queries
):
    t = computed.tree
    for n in range(25):
        unit = OrgUnitFactory(code=f"X{n}", parent=t.province_a)
        f.session(computed.team_a1, unit, datetime.date.today(), ("dvc-national-full", 1, 0))
    rollup.rollup_full()
    client = as_user(personas.staff_a)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("progress:dashboard", args=[t.province_a.pk]))
    table = response.content.decode().split('id="ranking"', 1)[1].split("</table>", 1)[0]
    assert table.count("Đoàn đơn vị X") == 25  # every child is listed
    assert response.status_code == 200


def test_drill_down_and_scope(computed, personas, as_user):
    t = computed.tree
    assert (
        as_user(personas.staff_a).get(reverse("progress:dashboard", args=[t.commune_a.pk])).status_code == 200
    )
    assert (
        as_user(personas.staff_b).get(reverse("progress:dashboard", args=[t.province_a.pk])).status_code
        == 404
    )
    assert (
        as_user(personas.leader_a).get(reverse("progress:dashboard", args=[t.province_a.pk])).status_code
        == 404
    )
    # The dissolved province merged into A is in A's scope.
    assert (
        as_user(personas.staff_a).get(reverse("progress:dashboard", args=[t.dissolved_a.pk])).status_code
        == 200
    )


def test_refresh_is_for_staff_of_the_unit(computed, personas, as_user, django_capture_on_commit_callbacks):
    t = computed.tree
    url = reverse("progress:refresh", args=[t.province_a.pk])
    assert (
        as_user(personas.leader_a).post(reverse("progress:refresh", args=[t.commune_a.pk])).status_code == 403
    )
    assert as_user(personas.staff_b).post(url).status_code == 404
    PeriodValue.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(personas.staff_a).post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Progress.objects.exists()  # the eager task recomputed


def test_excel_export_has_a_summary_the_targets_and_a_sheet_per_indicator(computed, personas, as_user):
    response = as_user(personas.staff_a).get(
        reverse("progress:export_xlsx", args=[computed.tree.province_a.pk])
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    # Vietnamese sheet names: the summary, the targets, then the nine indicators by name (<= 31 characters).
    assert workbook.sheetnames[:3] == [f"Tổng hợp {THIS_YEAR}", "Mục tiêu", "Tỷ lệ hồ sơ dịch vụ công trực…"]
    assert len(workbook.sheetnames) == 2 + 9 and "Lượt người dân được hỗ trợ" in workbook.sheetnames

    summary = list(workbook[f"Tổng hợp {THIS_YEAR}"].iter_rows(values_only=True))
    assert summary[0][0] == "Đơn vị" and "Lượt người dân được hỗ trợ" in summary[0]
    citizens = summary[0].index("Lượt người dân được hỗ trợ")
    by_unit = {row[0]: row for row in summary[1:]}
    assert by_unit["Tỉnh đoàn Vĩnh Long"][citizens] == 6  # this year's session in An Hội
    assert by_unit["Đoàn phường An Hội"][citizens] == 6

    sheet = workbook["Lượt người dân được hỗ trợ"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    month_rows = [r for r in rows if isinstance(r[1], datetime.datetime)]
    assert month_rows and sheet.cell(2, 2).number_format == "MM/YYYY"
    # A unit's year total is the year itself, a number shown 2026: never a date in January.
    year_rows = [r for r in rows if r[1] == THIS_YEAR]
    assert {r[0] for r in year_rows} >= {"Tỉnh đoàn Vĩnh Long", "Đoàn phường An Hội"}
    assert sheet.cell(len(rows) + 1, 2).number_format == "0"
    # The unit's own year row carries its target (500 citizens this year).
    assert year_rows[0][:5] == ("Tỉnh đoàn Vĩnh Long", THIS_YEAR, 6, None, 500)


def test_excel_export_writes_ratios_as_rounded_percentages(computed, personas, as_user):
    response = as_user(personas.staff_a).get(
        reverse("progress:export_xlsx", args=[computed.tree.province_a.pk]), {"year": 2025}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["Tổng hợp 2025"]
    header = [c.value for c in sheet[1]]
    rate = header.index("Tỷ lệ hồ sơ dịch vụ công trực tuyến") + 1
    province = sheet.cell(2, rate)
    # Vĩnh Long 2025: (1 + 90 + 9) online of (10 + 90 + 100) = 50%, written 0.5 with a % format.
    assert province.value == pytest.approx(0.5) and province.number_format == "0.0%"


def test_pdf_report(computed, personas, as_user):
    response = as_user(personas.staff_a).get(
        reverse("progress:export_pdf", args=[computed.tree.province_a.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    os.makedirs(SCREENSHOTS, exist_ok=True)
    with open(os.path.join(SCREENSHOTS, "progress-report.pdf"), "wb") as out:  # to look at
        out.write(response.content)


def test_api_progress_values_and_scope(computed, personas, api_as, django_assert_max_num_queries):
    t = computed.tree
    client = api_as(personas.staff_a)
    with django_assert_max_num_queries(8):
        response = client.get(
            "/api/v1/progress/",
            {"unit": t.province_a.pk, "indicator": "online_service_rate", "period": "2025-08"},
        )
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (row["numerator"], row["denominator"], row["value"]) == ("91.00", "100.00", "91.0000")
    assert row["computed_at"]
    response = client.get(
        "/api/v1/progress/",
        {"unit": t.province_a.pk, "indicator": "citizens_assisted", "period": str(THIS_YEAR)},
    )
    (row,) = response.json()["results"]
    assert row["target"] == "500.00" and row["status"] in {"on_track", "at_risk", "off_track", "achieved"}
    # Out of scope: 404 for the unit, and no rows of A in B's lists.
    assert api_as(personas.staff_b).get("/api/v1/progress/", {"unit": t.province_a.pk}).status_code == 404
    rows = api_as(personas.staff_b).get("/api/v1/progress/", {"page_size": 200}).json()["results"]
    assert rows and {r["unit"] for r in rows} <= {t.province_b.pk, t.commune_b.pk}
    assert client.get("/api/v1/progress/", {"period": "2025-13"}).status_code == 400
    # A misspelt indicator is a 400 that names the field, not an empty list that reads as "no data".
    unknown = client.get("/api/v1/progress/", {"indicator": "online_rate"})
    assert unknown.status_code == 400
    assert "online_rate" in unknown.json()["indicator"]


def test_api_answers_follow_the_rollup_and_never_another_scope(computed, personas, api_as):
    t = computed.tree
    query = {"unit": t.province_a.pk, "indicator": "citizens_assisted", "period": str(THIS_YEAR)}
    client = api_as(personas.staff_a)
    (before,) = client.get("/api/v1/progress/", query).json()["results"]
    # New facts show once the rollup has run (the API reads its rows), not before.
    f.session(
        computed.team_a1, t.commune_a, datetime.date.today().replace(day=1), ("dvc-national-full", 4, 1)
    )
    assert client.get("/api/v1/progress/", query).json()["results"] == [before]
    rollup.rollup_dirty()
    (after,) = client.get("/api/v1/progress/", query).json()["results"]
    assert float(after["numerator"]) == float(before["numerator"]) + 4

    # Another scope never gets this scope's rows.
    assert api_as(personas.staff_b).get("/api/v1/progress/", query).status_code == 404
    other = api_as(personas.staff_b).get("/api/v1/progress/", {"indicator": "citizens_assisted"}).json()
    assert t.province_a.pk not in {r["unit"] for r in other["results"]}


def test_api_query_count_is_bounded(computed, personas, api_as, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = api_as(personas.admin).get("/api/v1/progress/", {"page_size": 200})
    assert response.status_code == 200 and len(response.json()["results"]) == 200


def test_api_indicators(personas, api_as):
    rows = api_as(personas.leader_b).get("/api/v1/indicators/").json()["results"]
    rate = next(r for r in rows if r["code"] == "online_service_rate")
    assert (rate["numerator"], rate["denominator"], rate["aggregation"]) == (
        "official_dossiers_online",
        "official_dossiers_total",
        "flow",
    )
    assert api_as(personas.outsider).get("/api/v1/indicators/").status_code == 200


def test_agreement_detail_shows_each_targets_live_progress(story, personas, as_user):
    t = story.tree
    target = f.target(
        t.province_a, "online_service_rate", 30, datetime.date(2025, 12, 31), start=datetime.date(2025, 7, 1)
    )
    from partnerships.models import AgreementParty

    AgreementParty.objects.create(agreement=target.objective.agreement, org_unit=t.province_a)
    rollup.rollup_full(today=datetime.date(2025, 11, 20))
    response = as_user(personas.staff_a).get(
        reverse("partnerships:agreement_detail", args=[target.objective.agreement.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "target-progress" in body and "Đã đạt" in body  # 50% so far against 30%


def test_dashboard_figures_follow_the_rollup_and_never_another_scope(computed, personas, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    t = computed.tree
    url = reverse("progress:dashboard", args=[t.province_a.pk])
    staff = as_user(personas.staff_a)

    def progress_reads(client, target=url) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(target)
        assert response.status_code == 200
        return sum("progress_progress" in q["sql"] for q in queries), response.content.decode()

    first_reads, first = progress_reads(staff)
    assert first_reads > 0  # the rollup's rows
    assert "Đoàn phường An Hội" in first

    # Out of scope: a 404.
    from django.test import Client

    other = Client()
    other.force_login(personas.staff_b, backend="django.contrib.auth.backends.ModelBackend")
    assert other.get(url).status_code == 404

    # A new rollup run (new data) is shown at once.
    f.session(
        computed.team_a1, t.commune_a, datetime.date.today().replace(day=1), ("dvc-national-full", 40, 0)
    )
    before = _kpi_value(staff, url, "citizens_assisted")
    rollup.rollup_full()
    assert _kpi_value(staff, url, "citizens_assisted") == before + 40


def _kpi_value(client, url, code):
    kpis = client.get(url).context["kpis"]
    return next(k.value for k in kpis if k.code == code) or 0

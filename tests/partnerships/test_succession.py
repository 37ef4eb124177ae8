"""Agreements and targets outlive a dissolved union (issue #22 item 1).

Tỉnh đoàn Bến Tre signed with VNPT Bến Tre for 2020-2030 and was dissolved after 30/06/2025 into
Tỉnh đoàn Vĩnh Long: the agreement says who carries it on (page, lists, API, PDF); its 2020 target
is measured on Bến Tre's own official figures, imported for the months it existed; a target whose
deadline is after Bến Tre's end counts Bến Tre's months up to it, then Vĩnh Long's.
"""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from egov_support import services as egov_services
from egov_support.models import ServiceStatistic
from partnerships import services
from partnerships.models import Agreement
from progress import rollup
from tests.conftest import require_service
from tests.egov_support.test_statistics_import import csv_upload
from tests.partnerships.factories import PartnerFactory, indicator, make_agreement

pytestmark = pytest.mark.django_db
D = datetime.date
CARRIED = "do Tỉnh đoàn Vĩnh Long kế thừa từ 01/07/2025"


def _statistic(user, unit, month, total, online):
    egov_services.service_statistic_save(
        by=user, org_unit=unit, month=month, dossiers_total=total, dossiers_online=online
    )


@pytest.fixture
def ben_tre(tree, personas):
    return make_ben_tre(tree, personas.admin)


def make_ben_tre(tree, admin):
    """The Bến Tre–VNPT Bến Tre agreement with its 2020 target (30% online) and one target to 2026,
    both on the dissolved Tỉnh đoàn Bến Tre; Bến Tre's 2020 and 2025 figures, Vĩnh Long's after."""
    rate = indicator("online_service_rate")
    agreement = make_agreement(
        units=[tree.dissolved_a],
        partners=[PartnerFactory(name="VNPT Bến Tre")],
        title="Thỏa thuận hợp tác Tỉnh đoàn Bến Tre - VNPT Bến Tre 2020 - 2030",
        start=D(2020, 11, 14),
        end=D(2030, 12, 31),
        status=Agreement.Status.ACTIVE,
        objectives=[
            services.ObjectiveInput(
                number=3,
                text="Tỷ lệ dịch vụ công trực tuyến trên 30% ngay năm 2020",
                area="digital_government",
                targets=[
                    services.TargetInput(
                        indicator=rate,
                        org_unit=tree.dissolved_a,
                        target_value=Decimal(30),
                        deadline=D(2020, 12, 31),
                    ),
                    services.TargetInput(
                        indicator=rate,
                        org_unit=tree.dissolved_a,
                        target_value=Decimal(50),
                        deadline=D(2026, 6, 30),
                    ),
                ],
            )
        ],
    )
    _statistic(admin, tree.dissolved_a, D(2020, 11, 1), 3120, 1005)
    _statistic(admin, tree.dissolved_a, D(2020, 12, 1), 3480, 1166)
    _statistic(admin, tree.dissolved_a, D(2025, 6, 1), 1000, 400)
    _statistic(admin, tree.province_a, D(2025, 7, 1), 2000, 1200)
    _statistic(admin, tree.province_a, D(2026, 1, 1), 1000, 900)
    rollup.rollup_full(today=D(2026, 12, 7))
    return agreement


def _targets(agreement):
    first, later = sorted(
        (t for o in agreement.objectives.all() for t in o.targets.all()), key=lambda t: t.deadline
    )
    return first, later


def test_the_agreement_names_who_carries_it_on(ben_tre, tree):
    carried = Agreement.objects.get(pk=ben_tre.pk).carried_by

    assert (carried.predecessor, carried.unit, carried.since) == (
        tree.dissolved_a,
        tree.province_a,
        D(2025, 7, 1),
    )


def test_an_agreement_of_a_unit_that_still_exists_is_carried_by_nobody(tree):
    agreement = make_agreement(units=[tree.province_a])

    assert agreement.carried_by is None


def test_the_2020_target_counts_ben_tre_s_own_months(ben_tre, tree):
    first, _later = _targets(ben_tre)
    status = first.progress_status

    assert first.measured_unit == tree.dissolved_a and first.handed_over_on is None
    # (1005 + 1166) / (3120 + 3480) = 32.9%: above 30%, achieved.
    assert round(status.value, 1) == Decimal("32.9")
    assert status.status == "achieved"


def test_a_target_past_its_unit_s_end_counts_the_successor_s_months_after_it(ben_tre, tree):
    _first, later = _targets(ben_tre)

    assert later.measured_unit == tree.province_a and later.handed_over_on == D(2025, 6, 30)
    # Window 11/2020-06/2026: Bến Tre's months to 06/2025, Vĩnh Long's from 07/2025.
    online, total = 1005 + 1166 + 400 + 1200 + 900, 3120 + 3480 + 1000 + 2000 + 1000
    assert later.progress_status.value == (Decimal(online) / total * 100).quantize(Decimal("0.0001"))


def test_the_page_says_who_carries_it_on_and_whose_figures_count(ben_tre, personas, as_user):
    page = as_user(personas.staff_a).get(reverse("partnerships:agreement_detail", args=[ben_tre.pk]))
    text = page.content.decode()

    assert CARRIED in text
    assert (
        "Tính số liệu của Tỉnh đoàn Bến Tre đến ngày 30/06/2025, sau đó số liệu của Tỉnh đoàn Vĩnh Long"
        in text
    )
    assert "Tính số liệu của chính Tỉnh đoàn Bến Tre, trong những tháng đơn vị còn tồn tại" in text
    assert "32,9" in text  # the 2020 figure, no longer "no data"


@pytest.mark.parametrize("persona", ["staff_a", "viewer"])
def test_the_successor_s_list_and_the_national_list_say_it_too(ben_tre, tree, personas, as_user, persona):
    client = as_user(getattr(personas, persona))
    query = {"province": tree.province_a.pk} if persona == "staff_a" else {}
    page = client.get(reverse("partnerships:agreement_list"), query)

    assert [a.pk for a in page.context["page"].object_list] == [ben_tre.pk]
    assert CARRIED in page.content.decode()


def test_the_api_gives_actual_status_measured_unit_and_carried_by(ben_tre, tree, personas, api_as):
    body = api_as(personas.staff_a).get(f"/api/v1/agreements/{ben_tre.pk}/").json()

    assert body["carried_by"] == {
        "id": tree.province_a.pk,
        "code": "86",
        "name": "Tỉnh đoàn Vĩnh Long",
        "since": "2025-07-01",
        "predecessor": {"id": tree.dissolved_a.pk, "code": "old-83", "name": "Tỉnh đoàn Bến Tre"},
    }
    first, later = sorted(body["objectives"][0]["targets"], key=lambda t: t["deadline"])
    assert (first["actual"][:5], first["status"], first["measured_unit"]["id"]) == (
        "32.89",
        "achieved",
        tree.dissolved_a.pk,
    )
    assert first["measured_until"] is None
    assert (later["measured_unit"]["name"], later["measured_until"]) == ("Tỉnh đoàn Vĩnh Long", "2025-06-30")
    listed = api_as(personas.viewer).get("/api/v1/agreements/").json()["results"]
    assert [a["carried_by"]["name"] for a in listed] == ["Tỉnh đoàn Vĩnh Long"]


def test_the_api_writes_ignore_the_read_only_figures(ben_tre, tree, personas, api_as):
    client = api_as(personas.staff_a)
    body = client.get(f"/api/v1/agreements/{ben_tre.pk}/").json()
    for target in body["objectives"][0]["targets"]:
        target.update(actual="99", status="achieved", measured_unit={"id": tree.commune_b.pk})

    response = client.put(f"/api/v1/agreements/{ben_tre.pk}/", body, format="json")

    assert response.status_code == 200, response.json()
    assert {t["measured_unit"]["id"] for t in response.json()["objectives"][0]["targets"]} == {
        tree.dissolved_a.pk,
        tree.province_a.pk,
    }


def test_the_pdf_says_who_carries_it_on_and_shows_the_figure(ben_tre, personas, as_user, tmp_path):
    require_service(
        bool(shutil.which("pdftotext")), "pdftotext is missing (apt-get install -y poppler-utils)"
    )
    response = as_user(personas.staff_a).get(reverse("partnerships:agreement_pdf", args=[ben_tre.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(response.content)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
        ).stdout.split()
    )
    assert CARRIED in text
    assert "32,9 · Đã đạt" in text
    assert "sau đó số liệu của Tỉnh đoàn Vĩnh Long" in text


def test_staff_of_the_successor_add_a_target_for_the_rest_of_the_phase(ben_tre, tree, personas):
    agreement = Agreement.objects.get(pk=ben_tre.pk)
    objective = agreement.objectives.get()
    kept = [
        services.TargetInput(
            id=t.pk,
            indicator=t.indicator,
            org_unit=t.org_unit,
            target_value=t.target_value,
            deadline=t.deadline,
            direction=t.direction,
        )
        for t in objective.targets.all()
    ]
    new = services.TargetInput(
        indicator=indicator("online_service_rate"),
        org_unit=tree.province_a,
        target_value=Decimal(80),
        deadline=D(2030, 12, 31),
    )
    services.agreement_update(
        by=personas.staff_a,
        agreement=agreement,
        objectives=[
            services.ObjectiveInput(
                id=objective.pk,
                number=objective.number,
                text=objective.text,
                area=objective.area,
                targets=[*kept, new],
            )
        ],
    )

    added = objective.targets.get(deadline=D(2030, 12, 31))
    assert added.org_unit == added.measured_unit == tree.province_a


def test_statistics_of_a_dissolved_unit_are_for_the_months_it_existed(tree, personas):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        _statistic(personas.staff_a, tree.dissolved_a, D(2025, 7, 1), 10, 4)

    (message,) = caught.value.message_dict["month"]
    assert "Tỉnh đoàn Bến Tre chỉ tồn tại đến ngày 30/06/2025" in message and "Tỉnh đoàn Vĩnh Long" in message
    assert not ServiceStatistic.objects.exists()
    _statistic(personas.staff_a, tree.dissolved_a, D(2025, 6, 1), 10, 4)  # its last month is its own
    assert ServiceStatistic.objects.get().org_unit == tree.dissolved_a


def test_the_import_takes_a_dissolved_unit_s_old_months_and_refuses_later_ones(tree, personas):
    body = "old-83,Bến Tre,11/2020,3120,1005,,tỉnh\nold-83,Bến Tre,08/2025,10,4,,tỉnh\n"

    refused = egov_services.service_statistics_import(
        by=personas.staff_a, upload=csv_upload(body), dry_run=False
    )

    assert [(e.row, e.column) for e in refused.report.errors] == [(3, "Tháng")]
    assert not ServiceStatistic.objects.exists()
    good = egov_services.service_statistics_import(
        by=personas.staff_a, upload=csv_upload(body.splitlines()[0] + "\n"), dry_run=False
    )
    assert good.report.created == 1
    assert ServiceStatistic.objects.get().month == D(2020, 11, 1)


def test_the_demo_s_2020_figures_of_ben_tre_are_seeded_once_and_marked_illustrative(tree):
    from egov_support import demo

    assert demo._ben_tre_2020() == 2
    assert demo._ben_tre_2020() == 0
    rows = ServiceStatistic.objects.filter(org_unit=tree.dissolved_a).order_by("month")
    assert [r.month for r in rows] == [D(2020, 11, 1), D(2020, 12, 1)]
    assert all("minh họa" in r.note for r in rows)

"""An administrator defines an indicator in Django admin, as they would: the add form, then the
rollup computes it (issue #22: "An indicator created in admin shows figures after the next rollup")."""

import datetime

import pytest
from django.urls import reverse

from partnerships.models import Indicator
from progress import rollup
from progress.models import IndicatorRule, Progress
from tests.progress import factories as f
from tests.progress.conftest import TODAY

pytestmark = pytest.mark.django_db
D = datetime.date


def _form(**overrides) -> dict:
    data = {
        "code": "digital_signatures",
        "name_vi": "Chữ ký số được cấp",
        "name_en": "Digital signatures issued",
        "unit": "chữ ký số",
        "direction": "at_least",
        "description": "",
        "formula": "sum",
        "aggregation": "flow",
        "scale": "",
        "numerator_source": "service_lines",
        "numerator_operation": "sum",
        "numerator_field": "line_successful",
        "numerator_service": "",
        "numerator_service_category": "signature",
        "numerator_activity_kind": "",
        "denominator_source": "",
        "denominator_operation": "",
        "denominator_field": "",
        "denominator_service": "",
        "denominator_service_category": "",
        "denominator_activity_kind": "",
    }
    data.update(overrides)
    return data


def test_an_indicator_added_in_admin_shows_figures_after_the_next_rollup(story, personas, as_user, settings):
    client = as_user(personas.admin)
    page = client.get(reverse("admin:partnerships_indicator_add"))
    assert page.status_code == 200
    html = page.content.decode()
    # The choices in Vietnamese.
    assert "Dòng dịch vụ của buổi hỗ trợ (theo dịch vụ)" in html
    assert "Dòng dịch vụ: số lượt hoàn thành" in html
    assert "Tồn lượng" in html

    response = client.post(reverse("admin:partnerships_indicator_add"), _form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    indicator = Indicator.objects.get(code="digital_signatures")
    rule = IndicatorRule.objects.get(indicator=indicator)
    assert rule.numerator_measure.service_category == "signature" and rule.aggregation == "flow"

    # Records: two sessions with digital-signature lines, one with something else.
    session = f.session(story.team_a1, story.tree.commune_a, D(2025, 10, 2), ("digital-signature", 6, 0))
    session.lines.update(successful=5)
    f.session(story.team_a1, story.tree.commune_a, D(2025, 11, 3), ("digital-signature", 3, 0))
    rollup.rollup_dirty(today=TODAY)

    row = Progress.objects.get(
        org_unit=story.tree.province_a, indicator=indicator, period_kind="year", period_start=D(2025, 1, 1)
    )
    assert row.value == 5  # successful completions only
    # The dashboard shows it beside the built-in indicators.
    dashboard = client.get(reverse("progress:dashboard", args=[story.tree.province_a.pk]))
    assert "Chữ ký số được cấp" in dashboard.content.decode()


def test_the_admin_form_shows_each_error_by_its_field_and_saves_nothing(story, personas, as_user):
    client = as_user(personas.admin)
    response = client.post(
        reverse("admin:partnerships_indicator_add"),
        _form(formula="ratio", numerator_service_category="", numerator_activity_kind="training"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Chỉ tiêu tỷ lệ cần có mẫu số" in errors["denominator_source"][0]
    assert "chỉ hoạt động mới lọc theo loại hoạt động" in errors["numerator_activity_kind"][0]
    assert not Indicator.objects.filter(code="digital_signatures").exists()


def test_staff_read_the_catalogue_but_do_not_define_indicators(story, personas, as_user):
    client = as_user(personas.staff_a)
    assert client.get(reverse("admin:partnerships_indicator_changelist")).status_code == 200
    assert client.post(reverse("admin:partnerships_indicator_add"), _form()).status_code == 403
    assert not Indicator.objects.filter(code="digital_signatures").exists()


def test_a_built_in_indicator_changes_only_its_names(story, personas, as_user):
    client = as_user(personas.admin)
    indicator = Indicator.objects.get(code="citizens_assisted")
    url = reverse("admin:partnerships_indicator_change", args=[indicator.pk])
    page = client.get(url)
    assert page.status_code == 200 and "numerator_source" not in page.content.decode()
    response = client.post(
        url,
        {
            "name_vi": "Người dân được hỗ trợ",
            "name_en": "Citizens helped",
            "unit": "người",
            "direction": "at_least",
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name_vi == "Người dân được hỗ trợ"
    assert IndicatorRule.objects.get(indicator=indicator).numerator == "citizens_assisted"

"""Numbers too big for the database are a client error, not a server error (found by schemathesis)."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "9" * 20


def test_a_huge_parent_filter_is_a_400(api_as, personas):
    response = api_as(personas.staff_a).get(f"/api/v1/org-units/?parent={HUGE}")
    assert response.status_code == 400


def test_a_huge_or_non_numeric_id_is_a_404(api_as, personas):
    client = api_as(personas.staff_a)
    assert client.get(f"/api/v1/org-units/{HUGE}/").status_code == 404
    assert client.get("/api/v1/org-units/abc/").status_code == 404


def test_root_unit_has_a_null_parent_in_the_api(api_as, personas, tree):
    body = api_as(personas.viewer).get(f"/api/v1/org-units/{tree.central.pk}/").json()
    assert body["parent"] is None and body["successor"] is None


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/agreements/?year=0", "year"),
        ("/api/v1/agreements/?year=-1.5e-268", "year"),
        (f"/api/v1/agreements/?partner={HUGE}", "partner"),
        ("/api/v1/agreements/?province=1.5", "province"),
        ("/api/v1/teams/?active_days=100001", "active_days"),
        ("/api/v1/volunteers/?team=-3", "team"),
        ("/api/v1/help-sessions/?campaign=0", "campaign"),
    ],
)
def test_a_number_outside_its_range_is_a_400_naming_the_parameter(api_as, personas, path, parameter):
    """A year 0 once reached the database as `date(0, 1, 1)`: a 500 (found by schemathesis)."""
    response = api_as(personas.staff_a).get(path)
    assert response.status_code == 400, response.content
    assert parameter in response.json()


def test_agreement_page_ignores_an_impossible_year(client, personas):
    client.force_login(personas.staff_a)
    assert client.get("/agreements/?year=0&partner=" + HUGE).status_code == 200

"""The dashboard as each user sees it: their own name, a working CSRF token, the menu their roles
open, the page's own address, their language; a flash message shown once."""

import re

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from accounts.services import role_assign
from tests.conftest import _person
from tests.progress.test_pages_api import computed  # noqa: F401  (the story, rolled up)

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def url(computed):  # noqa: F811
    return reverse("progress:dashboard", args=[computed.tree.province_a.pk]) + "?year=2025"


def test_two_staff_of_one_province_each_see_their_own_name(computed, personas, url):  # noqa: F811
    personas.staff_a.first_name, personas.staff_a.last_name = "Bình", "Nguyễn"
    personas.staff_a.save()
    other = _person(
        "ben_staff_a", Role.PROVINCE_STAFF, computed.tree.province_a, first_name="Hoa <b>", last_name="Lê"
    )

    first = _get(_client(personas.staff_a), url)
    second = _get(_client(other), url)

    assert "Nguyễn Bình" in first and "Lê Hoa &lt;b&gt;" not in first
    assert "Lê Hoa &lt;b&gt;" in second and "Nguyễn Bình" not in second  # escaped, never raw
    assert "Hoa <b>" not in second
    for html in (first, second):
        assert 'name="next" value="/progress/' in html and "?year=2025" in html


def test_the_token_in_the_page_is_the_viewers_own_and_works(computed, personas, url):  # noqa: F811
    _get(_client(personas.staff_a), url)
    other = _person("ben_staff_a", Role.PROVINCE_STAFF, computed.tree.province_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(other, backend="django.contrib.auth.backends.ModelBackend")

    html = _get(client, url)
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1  # the refresh form, the sign-out form and the language switch
    refresh = reverse("progress:refresh", args=[computed.tree.province_a.pk])
    response = client.post(refresh, {"csrfmiddlewaretoken": tokens.pop()}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # not 403: the token matches this client's cookie


def test_what_the_users_roles_open_is_never_shared(computed, personas, url):  # noqa: F811
    """Same view scope, different manage scope: the viewer's page has no refresh form."""
    viewer = _person("vic_viewer_a", Role.VIEWER, computed.tree.province_a)
    staff_html = _get(_client(personas.staff_a), url)
    viewer_html = _get(_client(viewer), url)

    assert 'hx-post="/progress/' in staff_html and "/refresh/" in staff_html
    assert "/refresh/" not in viewer_html

    # A role granted is on the very next page.
    role_assign(user=viewer, role=Role.PROVINCE_STAFF, org_unit=computed.tree.province_a)
    now_html = _get(_client(viewer), url)
    assert "/refresh/" in now_html


def test_a_flash_message_is_shown_once_to_its_user(computed, personas, url):  # noqa: F811
    client = _client(personas.staff_a)
    _get(client, url)
    response = client.post(reverse("progress:refresh", args=[computed.tree.province_a.pk]), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html  # "The recompute is queued" after the redirect
    assert [m.level for m in response.context["messages"]] == [constants.INFO]

    again = _get(client, url)
    assert 'role="alert"' not in again  # shown once
    other = _get(_client(_person("ben_staff_a", Role.PROVINCE_STAFF, computed.tree.province_a)), url)
    assert 'role="alert"' not in other


def test_a_renamed_unit_shows_its_new_name_at_once(computed, personas, url):  # noqa: F811
    client = _client(personas.staff_a)
    _get(client, url)
    province = computed.tree.province_a
    province.name = "Tỉnh đoàn Vĩnh Long (mới)"
    province.save()
    html = _get(client, url)
    assert "Tỉnh đoàn Vĩnh Long (mới)</h1>" in html


def test_each_language_has_its_own_page(computed, personas, url):  # noqa: F811
    client = _client(personas.staff_a)
    vietnamese = _get(client, url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _get(client, url)
    assert "Units under it" in english and "Units under it" not in vietnamese

"""The dashboard's whole page reused per layout (core.page_cache): each user still sees their own name,
a working CSRF token, their menu and the page's own address; flash messages are never cached."""

import re

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse

from accounts.models import Role
from accounts.services import role_assign
from core import page_cache
from tests.conftest import _person
from tests.progress.test_pages_api import computed  # noqa: F401  (the story, rolled up)

pytestmark = pytest.mark.django_db
TEMPLATE = "progress/dashboard.html"


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _get(client, url) -> tuple[str, bool]:
    """The page, and whether its template was rendered for it (False: served from the cache)."""
    rendered = []

    def seen(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(seen)
    try:
        response = client.get(url)
    finally:
        template_rendered.disconnect(seen)
    assert response.status_code == 200
    return response.content.decode(), TEMPLATE in rendered


def _no_placeholders(html: str) -> None:
    for placeholder in (
        page_cache.CSRF_PLACEHOLDER,
        page_cache.USER_NAME_PLACEHOLDER,
        page_cache.PAGE_PATH_PLACEHOLDER,
    ):
        assert placeholder not in html


@pytest.fixture
def url(computed):  # noqa: F811
    return reverse("progress:dashboard", args=[computed.tree.province_a.pk]) + "?year=2025"


def test_two_staff_of_one_province_share_the_page_each_with_their_own_name(computed, personas, url):  # noqa: F811
    personas.staff_a.first_name, personas.staff_a.last_name = "Bình", "Nguyễn"
    personas.staff_a.save()
    other = _person(
        "ben_staff_a", Role.PROVINCE_STAFF, computed.tree.province_a, first_name="Hoa <b>", last_name="Lê"
    )

    first, rendered_first = _get(_client(personas.staff_a), url)
    second, rendered_second = _get(_client(other), url)

    assert rendered_first and not rendered_second  # the second view reused the first one's HTML
    assert "Nguyễn Bình" in first and "Lê Hoa &lt;b&gt;" not in first
    assert "Lê Hoa &lt;b&gt;" in second and "Nguyễn Bình" not in second  # escaped, never raw
    assert "Hoa <b>" not in second
    for html in (first, second):
        _no_placeholders(html)
        assert 'name="next" value="/progress/' in html and "?year=2025" in html


def test_the_token_in_a_reused_page_is_the_viewers_own_and_works(computed, personas, url):  # noqa: F811
    _get(_client(personas.staff_a), url)  # rendered and stored
    other = _person("ben_staff_a", Role.PROVINCE_STAFF, computed.tree.province_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(other, backend="django.contrib.auth.backends.ModelBackend")

    html, rendered = _get(client, url)
    assert not rendered
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1  # the refresh form, the sign-out form and the language switch
    refresh = reverse("progress:refresh", args=[computed.tree.province_a.pk])
    response = client.post(refresh, {"csrfmiddlewaretoken": tokens.pop()}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # not 403: the token matches this client's cookie


def test_what_the_users_roles_open_is_never_shared(computed, personas, url):  # noqa: F811
    """Same view scope, different manage scope: the viewer's page has no refresh form, wherever it
    was rendered first."""
    viewer = _person("vic_viewer_a", Role.VIEWER, computed.tree.province_a)
    staff_html, _ = _get(_client(personas.staff_a), url)
    viewer_html, viewer_rendered = _get(_client(viewer), url)

    assert 'hx-post="/progress/' in staff_html and "/refresh/" in staff_html
    assert viewer_rendered
    assert "/refresh/" not in viewer_html

    # A role granted is on the very next page (the manage scope is part of the key).
    role_assign(user=viewer, role=Role.PROVINCE_STAFF, org_unit=computed.tree.province_a)
    now_html, _ = _get(_client(viewer), url)
    assert "/refresh/" in now_html


def test_a_flash_message_is_shown_once_and_never_stored(computed, personas, url):  # noqa: F811
    client = _client(personas.staff_a)
    _get(client, url)  # the page is in the cache
    response = client.post(reverse("progress:refresh", args=[computed.tree.province_a.pk]), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html  # "The recompute is queued" after the redirect
    assert [m.level for m in response.context["messages"]] == [constants.INFO]

    again, _ = _get(client, url)
    assert 'role="alert"' not in again  # shown once; the cached page never held it
    other, rendered = _get(
        _client(_person("ben_staff_a", Role.PROVINCE_STAFF, computed.tree.province_a)), url
    )
    assert 'role="alert"' not in other


def test_a_renamed_unit_shows_its_new_name_at_once(computed, personas, url):  # noqa: F811
    client = _client(personas.staff_a)
    _get(client, url)
    province = computed.tree.province_a
    province.name = "Tỉnh đoàn Vĩnh Long (mới)"
    province.save()
    html, rendered = _get(client, url)
    assert rendered
    assert "Tỉnh đoàn Vĩnh Long (mới)</h1>" in html


def test_each_language_has_its_own_page(computed, personas, url):  # noqa: F811
    client = _client(personas.staff_a)
    vietnamese, _ = _get(client, url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, rendered = _get(client, url)
    assert rendered
    assert "Units under it" in english and "Units under it" not in vietnamese

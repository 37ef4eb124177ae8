"""The installable app's shell (issue 24): manifest, service worker, CSP, whose pages the worker keeps."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_manifest_is_vietnamese_with_the_portals_own_icons(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == "vi" and manifest["short_name"] == "Đoàn CĐS"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    assert manifest["theme_color"] == "#0b5cad"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/img/icon-")  # no CDN
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_every_page_links_the_manifest_and_loads_the_offline_scripts(client, personas):
    client.force_login(personas.leader_a)
    html = client.get(reverse("portal:home")).content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert "js/offline-store.js" in html and "js/offline.js" in html
    assert 'data-sw="/sw.js"' in html
    assert "<script>" not in html  # the CSP forbids inline scripts


def test_the_worker_is_served_from_the_root_versioned_and_never_cached_long(client):
    response = client.get("/sw.js")
    body = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert 'importScripts("/static/js/offline-store.js")' in body
    version = body.split('var VERSION = "')[1].split('"')[0]
    assert len(version) == 12 and version != ""
    assert "http://" not in body and "https://" not in body  # no CDN
    # The worker keeps only the logging pages, never the API.
    pages = json.loads(body.split("var OFFLINE_PAGES = ")[1].split(";")[0])
    assert pages == ["/", "/offline/queue/", "/help-sessions/new/", "/activities/log/"]
    assert "/api/" not in body


def test_the_csp_allows_the_worker_and_the_manifest_from_this_site_only(client):
    policy = client.get("/sw.js")["Content-Security-Policy"]

    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )


def test_pages_name_their_user_for_the_worker_and_anonymous_pages_name_nobody(client, personas):
    assert "X-Portal-User" not in client.get(reverse("account_login")).headers

    client.force_login(personas.leader_a)
    response = client.get(reverse("portal:home"))

    assert response["X-Portal-User"] == str(personas.leader_a.pk)
    assert "no-store" in response["Cache-Control"]


def test_the_queue_page_is_a_frame_for_the_phones_own_list(client, personas):
    client.force_login(personas.leader_a)
    html = client.get(reverse("portal:offline_queue")).content.decode()

    assert 'id="offline-entries"' in html
    assert "Bản ghi trên máy này" in html and "Gửi ngay" in html


def test_the_home_page_tells_a_leader_which_pages_to_keep_and_a_viewer_none(client, personas):
    client.force_login(personas.leader_a)
    assert "data-pages=" in client.get(reverse("portal:home")).content.decode()

    client.force_login(personas.viewer)
    assert "data-pages=" not in client.get(reverse("portal:home")).content.decode()

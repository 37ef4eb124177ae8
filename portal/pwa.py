"""The installable app (issue 24): the web app manifest, the service worker and the offline queue page.

The worker is served from the site's root (not /static/) so that its scope is the whole portal; its
version is a hash of what it caches, so a deploy that changes a file replaces the shell's cache.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# What every logging page needs: base.html's files, the two forms' own, the queue's.
SHELL_FILES = [
    "vendor/bootstrap-5.3.9.min.css",
    "vendor/tom-select-2.6.2.bootstrap5.min.css",
    "css/portal.css",
    "css/egov_support.css",
    "img/favicon.svg",
    "img/icon-192.png",
    "vendor/bootstrap-5.3.9.bundle.min.js",
    "vendor/htmx-2.0.11.min.js",
    "vendor/tom-select-2.6.2.complete.min.js",
    "js/portal.js",
    "js/offline-store.js",
    "js/offline.js",
    "js/egov_support.js",
    "js/volunteers.js",
]
THEME_COLOUR = "#0b5cad"


def offline_pages() -> list[str]:
    """The pages a leader opens without signal (each kept for the signed-in user only)."""
    return [
        reverse("portal:home"),
        reverse("portal:offline_queue"),
        reverse("egov_support:session_create"),
        reverse("volunteers:activity_log"),
    ]


@require_GET
@cache_control(max_age=86400, public=True)
def manifest(request):
    """Public: Chrome fetches the manifest without cookies."""
    body = {
        "name": "Đoàn CĐS – Ghi nhận hỗ trợ chuyển đổi số",
        "short_name": "Đoàn CĐS",
        "description": "Ghi nhận buổi hỗ trợ và hoạt động của đội, cả khi không có mạng.",
        "lang": "vi",
        "dir": "ltr",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("img/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request):
    """Public (the browser checks for a new version on each visit): no data, only which files to keep."""
    shell = [static(name) for name in SHELL_FILES]
    context = {
        "store_url": static("js/offline-store.js"),
        "shell_json": json.dumps(shell),
        "static_prefix": settings.STATIC_URL
        if settings.STATIC_URL.startswith("/")
        else f"/{settings.STATIC_URL}",
        # Hashed file names (manifest storage) never change content: cache first. In development, network first.
        "immutable": not settings.DEBUG,
        "pages_json": json.dumps(offline_pages()),
        "roster_path": reverse("egov_support:session_roster"),
        "offline_html_json": json.dumps(
            render_to_string("portal/offline_fallback.html", request=None), ensure_ascii=False
        ),
        "version": "",
    }
    draft = render_to_string("portal/sw.js", context)
    context["version"] = hashlib.sha256(draft.encode()).hexdigest()[:12]
    response = HttpResponse(render_to_string("portal/sw.js", context), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"  # always asked again: a deploy reaches phones on their next visit
    response["Service-Worker-Allowed"] = "/"
    return response


@login_required
@require_GET
def offline_queue(request):
    """What this phone still holds: entries waiting for signal, and those the server refused, to fix.

    The list lives in the phone's IndexedDB; the page only gives it a frame (offline.js fills it)."""
    return render(request, "portal/offline_queue.html")

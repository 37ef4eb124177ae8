"""Ids that are not numbers are a 404 on every detail route of the API, never a 500.

Found by walking the resolver, so a route added later is tried too: each pattern under /api/v1/
with a ``pk`` in it, GET and PATCH (and POST for detail actions), as province staff.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

GARBAGE = ["null%2Cnull", "null", "1.5", "-1", "%20", "abc", "99999999999999999999"]


def _detail_routes(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _detail_routes(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name and "pk" in pattern.pattern.regex.groupindex:
            if "format" in pattern.pattern.regex.groupindex or namespace:
                continue  # the ".json" twin of a route, and admin's own (not the API)
            yield pattern.name


ROUTES = sorted(set(_detail_routes()))


def test_the_walk_finds_the_api_detail_routes():
    assert {"agreement-detail", "help-session-detail", "service-stat-detail", "team-detail"} <= set(ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_non_numeric_ids_are_not_found(route, personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas.staff_a, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse(route, kwargs={"pk": 987654})
    assert url.startswith("/api/v1/")
    answers = {}
    for garbage in GARBAGE:
        bad = re.sub(r"/987654/", f"/{garbage}/", url)
        for method in ("get", "patch", "post"):
            if method == "get":
                response = client.get(bad)
            else:
                response = getattr(client, method)(bad, data="{}", content_type="application/json")
            answers[f"{method.upper()} {bad}"] = response.status_code
    wrong = {where: status for where, status in answers.items() if status != 404}
    assert not wrong, f"expected 404 for every non-numeric id: {wrong}"

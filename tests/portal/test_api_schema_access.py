"""/api/docs/ and /api/schema/ are for signed-in users; an anonymous caller is told how to get in."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_anonymous_browser_opening_the_api_docs_is_sent_to_sign_in_and_back(client):
    response = client.get("/api/docs/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/api/docs/"


def test_an_anonymous_client_asking_for_the_schema_is_told_how_to_authenticate(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 401  # token auth is the first class: 401 with WWW-Authenticate
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"].startswith("Lược đồ API chỉ dành cho người đã đăng nhập")
    assert "/accounts/login/" in response.json()["detail"]
    assert "/api/v1/auth/token/" in response.json()["detail"]


def test_signed_in_the_docs_and_the_schema_answer(as_user, personas):
    client = as_user(personas.viewer)

    assert client.get("/api/docs/").status_code == 200
    assert b"/api/v1/org-units/" in client.get("/api/schema/").content

"""Pages are gzipped for browsers that ask: commune leaders read them over mobile data."""

import gzip

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_is_gzipped_when_the_browser_asks_and_plain_otherwise(personas, as_user):
    client = as_user(personas.staff_a)
    url = reverse("org:unit_list")

    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert plain.status_code == zipped.status_code == 200
    assert not plain.has_header("Content-Encoding")
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    html = gzip.decompress(zipped.content).decode()
    assert "Tỉnh đoàn Vĩnh Long" in html and "csrfmiddlewaretoken" in html
    assert len(zipped.content) < len(plain.content) / 3


def test_a_tiny_answer_is_sent_as_it_is(client):
    response = client.get("/ping/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")  # four bytes: not worth compressing

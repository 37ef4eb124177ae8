"""Every error page a person can meet reads Vietnamese, says what to do and leads back home (the
persona pass of stop 29 met Django's English "Not Found" on an out-of-scope address)."""

import datetime

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    body = response.content.decode() if hasattr(response, "content") else response
    assert "Not Found" not in body and "Forbidden" not in body and "Server Error" not in body
    assert 'href="/"' in body  # a way back home
    return body


def test_an_address_outside_the_scope_and_one_that_does_not_exist_read_vietnamese(tree, personas, as_user):
    other_province = as_user(personas.staff_b)
    for url in (reverse("signoff:unit_months", args=[tree.commune_a.pk]), "/khong-co-trang-nay/"):
        response = other_province.get(url)
        assert response.status_code == 404
        body = _page(response)
        assert "Không tìm thấy trang" in body
        assert "không thuộc các đơn vị bạn phụ trách" in body
        assert tree.commune_a.name not in body


def test_a_step_the_role_does_not_allow_reads_vietnamese(tree, personas, as_user):
    month = datetime.date(2026, 11, 1)
    url = reverse("signoff:month_step", args=[tree.commune_a.pk, month.year, month.month, "submit"])
    response = as_user(personas.viewer).post(url)
    assert response.status_code == 403
    assert "Vai trò của bạn không cho phép thao tác này" in _page(response)


def test_a_form_sent_without_its_token_says_the_page_expired_and_nothing_was_saved(tree, personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.leader_a)
    month = datetime.date(2026, 11, 1)
    url = reverse("signoff:month_step", args=[tree.commune_a.pk, month.year, month.month, "submit"])
    response = client.post(url, {"note": "x"})
    assert response.status_code == 403
    body = _page(response)
    assert "Trang đã hết hạn" in body and "Chưa có gì được lưu" in body


def test_a_bad_request_and_a_server_error_read_vietnamese():
    request = RequestFactory().get("/")
    bad = defaults.bad_request(request, SuspiciousOperation("x"))
    assert bad.status_code == 400
    assert "Yêu cầu không hợp lệ" in _page(bad)

    failed = defaults.server_error(request)  # rendered without the request: no menu, no database
    assert failed.status_code == 500
    body = _page(failed)
    assert "Đã có lỗi xảy ra" in body and "có thể chưa được lưu" in body


def test_no_error_page_hands_out_a_new_csrf_cookie(tree, personas):
    """A phone's queue posts for a leader whose session has ended while the next leader's sign-in page
    loads: a fresh CSRF cookie from the refusal would replace the sign-in page's and refuse the sign-in
    (the flaky offline journey of stop 29). No error page asks for a token, signed in or not."""
    month = datetime.date(2026, 11, 1)
    step = reverse("signoff:month_step", args=[tree.commune_a.pk, month.year, month.month, "submit"])
    out_of_scope = reverse("signoff:unit_months", args=[tree.commune_a.pk])
    anonymous = Client(enforce_csrf_checks=True)
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(personas.leader_a)
    other_province = Client()
    other_province.force_login(personas.staff_b)
    viewer = Client()
    viewer.force_login(personas.viewer)
    answers = {
        "403 CSRF, signed out": anonymous.post("/help-sessions/new/", {"address": "x"}),
        "403 CSRF, signed in": signed_in.post(step, {"note": "x"}),
        "404, signed out": anonymous.get("/khong-co-trang-nay/"),
        "404, out of scope": other_province.get(out_of_scope),
        "403, role": viewer.post(step),
    }
    request = RequestFactory().get("/")
    bad = defaults.bad_request(request, SuspiciousOperation("x"))
    for name, response in answers.items():
        assert response.status_code in (403, 404), name
        assert "csrftoken" not in response.cookies, name
    for name, response in [*answers.items(), ("400", bad)]:
        assert "csrfmiddlewaretoken" not in response.content.decode(), name
    assert 'href="/accounts/logout/"' in answers["404, out of scope"].content.decode()  # still a way out

"""A fragment htmx fetches after the session has ended sends the whole page to the sign-in page (and
back to that page after), never the sign-in page into the fragment's place."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fragment", "page"),
    [
        ("/help-sessions/filter/", "/help-sessions/?page=2"),  # the list's filter, opened
        ("/notifications/unread/", "/progress/"),  # the bell's count on every page
    ],
)
def test_a_fragment_after_the_session_ended_signs_the_page_in(client, fragment, page):
    response = client.get(
        fragment, headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"}
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=" + page.replace("/", "%2F").replace(
        "?", "%3F"
    ).replace("=", "%3D")
    assert b"<html" not in response.content


def test_a_page_itself_still_redirects_to_the_sign_in_page(client):
    response = client.get("/help-sessions/filter/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")

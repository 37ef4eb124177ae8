"""The agreement page's cached body (partnerships.pages): reused across views and users of one scope,
retired by every write to what it shows, never shown to a scope that may not see it, and carrying each
response's own CSRF token."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from org.models import OrgUnit
from partnerships import pages, services
from partnerships.models import Agreement, Commitment, Target
from progress.models import TargetStatus
from tests.conftest import _person
from tests.partnerships.factories import make_agreement, objective_with_everything
from tests.queries import sql_of_get

pytestmark = pytest.mark.django_db

S = Agreement.Status


@pytest.fixture
def agreement(tree):
    return make_agreement(
        units=[tree.province_a],
        title="Thỏa thuận Vĩnh Long",
        status=S.ACTIVE,
        objectives=[objective_with_everything(unit=tree.province_a)],
    )


def _url(agreement) -> str:
    return reverse("partnerships:agreement_detail", args=[agreement.pk])


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_a_second_view_reuses_the_body_and_runs_only_the_sign_in_queries(as_user, personas, agreement):
    client = as_user(personas.staff_a)
    first, html = sql_of_get(client, _url(agreement))
    again, cached = sql_of_get(client, _url(agreement))

    assert len(again) < len(first)
    assert len(again) <= 3  # the session row (without Redis), the user and their roles
    assert not [sql for sql in again if "partnerships_" in sql]
    assert "Thỏa thuận Vĩnh Long" in cached and "Cam kết 1" in cached
    assert re.sub(r'value="[^"]{64}"', "", html) == re.sub(r'value="[^"]{64}"', "", cached)


def test_people_of_one_scope_share_the_body(as_user, personas, tree, agreement):
    other_staff = _person("gina_staff_a", Role.PROVINCE_STAFF, tree.province_a)
    as_user(personas.staff_a).get(_url(agreement))

    queries, html = sql_of_get(as_user(other_staff), _url(agreement))

    assert not [sql for sql in queries if "partnerships_" in sql]
    assert "Thỏa thuận Vĩnh Long" in html


def test_a_scope_that_may_not_see_the_agreement_gets_404_after_another_cached_it(
    as_user, personas, agreement
):
    assert as_user(personas.staff_a).get(_url(agreement)).status_code == 200

    assert as_user(personas.staff_b).get(_url(agreement)).status_code == 404
    assert as_user(personas.outsider).get(_url(agreement)).status_code == 404


def test_a_reader_does_not_get_the_managers_controls_from_the_cache(as_user, personas, agreement):
    manager_html = as_user(personas.staff_a).get(_url(agreement)).content.decode()
    assert "Mark done" in manager_html or "Đánh dấu" in manager_html

    reader_html = as_user(personas.viewer).get(_url(agreement)).content.decode()

    edit = reverse("partnerships:agreement_edit", args=[agreement.pk])
    assert edit in manager_html
    assert edit not in reader_html
    assert not _tokens(reader_html.split("<main", 1)[-1].split("</main>", 1)[0])


def test_each_response_carries_its_own_csrf_token_and_a_form_from_a_cached_page_posts(personas, agreement):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(personas.staff_a, backend="django.contrib.auth.backends.ModelBackend")
    first.get(_url(agreement))  # fills the cache
    html = second.get(_url(agreement)).content.decode()  # from the cache
    assert pages.CSRF_PLACEHOLDER not in html
    commitment = Commitment.objects.get(objective__agreement=agreement)
    form = re.search(
        r'action="{}".*?name="csrfmiddlewaretoken" value="([^"]+)"'.format(
            re.escape(reverse("partnerships:commitment_done", args=[commitment.pk]))
        ),
        html,
        re.S,
    )

    response = second.post(
        reverse("partnerships:commitment_done", args=[commitment.pk]),
        {"done": "1", "csrfmiddlewaretoken": form.group(1)},
    )

    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.DONE
    # ... and the page shows it at once (the write retired the cached body).
    after = second.get(_url(agreement)).content.decode()
    assert "Reopen" in after or "Mở lại" in after


def test_an_edit_through_the_service_shows_at_once(as_user, personas, agreement):
    client = as_user(personas.staff_a)
    client.get(_url(agreement))
    services.agreement_transition(user=personas.staff_a, agreement=agreement, to=S.SUSPENDED)

    html = client.get(_url(agreement)).content.decode()

    assert f"status-{S.SUSPENDED}" in html


@pytest.mark.parametrize(
    "write, shown",
    [
        pytest.param(
            lambda a, tree: _save(Target.objects.get(objective__agreement=a), target_value=77),
            "77",
            id="a target saved (admin)",
        ),
        pytest.param(
            lambda a, tree: _save(Commitment.objects.get(objective__agreement=a), text="Cam kết mới"),
            "Cam kết mới",
            id="a commitment saved",
        ),
        pytest.param(
            lambda a, tree: _save(tree.province_a, name="Tỉnh đoàn Vĩnh Long (mới)"),
            "Tỉnh đoàn Vĩnh Long (mới)",
            id="a party's unit renamed",
        ),
        pytest.param(
            lambda a, tree: _save(a.parties.get(position=2).partner, name="VNPT Vĩnh Long mới"),
            "VNPT Vĩnh Long mới",
            id="a partner renamed",
        ),
        pytest.param(
            lambda a, tree: _save(
                Target.objects.get(objective__agreement=a).indicator,
                name_vi="Tỷ lệ DVC mới",
                name_en="Tỷ lệ DVC mới",
            ),
            "Tỷ lệ DVC mới",
            id="an indicator renamed",
        ),
        pytest.param(
            lambda a, tree: TargetStatus.objects.create(
                target=Target.objects.get(objective__agreement=a),
                window_start=datetime.date(2026, 1, 1),
                value=12,
                status=TargetStatus.Status.AT_RISK,
                computed_at=timezone.now(),
            ),
            "text-bg-warning",
            id="the rollup wrote a status",
        ),
        pytest.param(
            lambda a, tree: _bulk_dissolve(tree.province_a),
            "Đã giải thể",
            id="a bulk write that says so",
        ),
    ],
)
def test_a_write_to_what_the_page_shows_shows_at_once(as_user, personas, tree, agreement, write, shown):
    client = as_user(personas.admin)
    assert shown not in _without_tokens(client.get(_url(agreement)).content.decode())

    write(agreement, tree)

    assert shown in client.get(_url(agreement)).content.decode()


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _bulk_dissolve(unit):
    OrgUnit.objects.filter(pk=unit.pk).update(valid_to=datetime.date(2026, 1, 1))  # no signal
    pages.pages_changed()  # what a bulk writer calls


def _save(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def test_the_bulk_org_load_retires_the_pages(as_user, personas, tree, agreement):
    from org.signals import units_changed

    seen = []
    units_changed.connect(lambda **kw: seen.append(kw["sender"]), weak=False, dispatch_uid="test-seen")
    try:
        from org.merges import merges_changed

        merges_changed()  # what org_units_load_real_tree calls after its bulk writes
    finally:
        units_changed.disconnect(dispatch_uid="test-seen")
    assert seen == [OrgUnit]


def test_without_a_cache_the_page_is_rendered_each_time(settings, as_user, personas, agreement):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client = as_user(personas.staff_a)

    _, html = sql_of_get(client, _url(agreement))
    again, _ = sql_of_get(client, _url(agreement))

    assert pages.page_key(personas.staff_a, agreement.pk) is None
    assert [sql for sql in again if "partnerships_objective" in sql]  # read again
    assert "Thỏa thuận Vĩnh Long" in html


def test_a_renamed_user_shows_in_the_change_history_at_once_but_a_sign_in_retires_nothing(
    as_user, personas, agreement
):
    agreement._history_user = personas.staff_a  # what a request's user does for simple-history
    _save(agreement, title="Thỏa thuận Vĩnh Long 2")
    client = as_user(personas.admin)
    assert "Nguyễn Văn Bình" not in client.get(_url(agreement)).content.decode()

    version = pages.PARTNERSHIPS.version()
    personas.staff_a.last_login = timezone.now()
    personas.staff_a.save(update_fields=["last_login"])  # what every sign-in does
    assert pages.PARTNERSHIPS.version() == version

    personas.staff_a.first_name, personas.staff_a.last_name = "Bình", "Nguyễn Văn"
    personas.staff_a.save()

    assert "Nguyễn Văn Bình" in client.get(_url(agreement)).content.decode()


def test_a_message_on_the_reused_page_is_shown_once_with_working_forms(as_user, personas, agreement):
    client = as_user(personas.staff_a)
    client.get(_url(agreement))  # body and whole page cached
    transition = reverse("partnerships:agreement_transition", args=[agreement.pk])

    response = client.post(transition, {"to": S.SUSPENDED}, follow=True)
    html = response.content.decode()

    assert response.status_code == 200
    assert 'role="alert"' in html
    assert pages.CSRF_PLACEHOLDER not in html  # rendered afresh for the message, tokens still filled
    assert 'name="csrfmiddlewaretoken" value="' in html
    assert 'role="alert"' not in client.get(_url(agreement)).content.decode()


def test_a_viewer_of_the_province_never_gets_the_staff_members_page(as_user, personas, agreement, tree):
    viewer = _person("vic_viewer_a", Role.VIEWER, tree.province_a)
    staff_html = as_user(personas.staff_a).get(_url(agreement)).content.decode()
    viewer_client = Client()
    viewer_client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    viewer_html = viewer_client.get(_url(agreement)).content.decode()

    edit = reverse("partnerships:agreement_edit", args=[agreement.pk])
    assert edit in staff_html
    assert edit not in viewer_html
    assert "Thỏa thuận Vĩnh Long" in viewer_html

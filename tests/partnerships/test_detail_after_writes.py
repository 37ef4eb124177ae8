"""The agreement page: every write to what it shows shows on the next view, a scope that may not see
it gets 404, a reader never gets the managers' controls, and its forms post with the response's token."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from org.models import OrgUnit
from partnerships import services
from partnerships.models import Agreement, Commitment, Target
from progress.models import TargetStatus
from tests.conftest import _person
from tests.partnerships.factories import make_agreement, objective_with_everything

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


def test_a_scope_that_may_not_see_the_agreement_gets_404_after_another_saw_it(as_user, personas, agreement):
    assert as_user(personas.staff_a).get(_url(agreement)).status_code == 200

    assert as_user(personas.staff_b).get(_url(agreement)).status_code == 404
    assert as_user(personas.outsider).get(_url(agreement)).status_code == 404


def test_a_reader_does_not_get_the_managers_controls(as_user, personas, agreement):
    manager_html = as_user(personas.staff_a).get(_url(agreement)).content.decode()
    assert "Mark done" in manager_html or "Đánh dấu" in manager_html

    reader_html = as_user(personas.viewer).get(_url(agreement)).content.decode()

    edit = reverse("partnerships:agreement_edit", args=[agreement.pk])
    assert edit in manager_html
    assert edit not in reader_html
    assert not _tokens(reader_html.split("<main", 1)[-1].split("</main>", 1)[0])


def test_each_response_carries_its_own_csrf_token_and_its_form_posts(personas, agreement):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(personas.staff_a, backend="django.contrib.auth.backends.ModelBackend")
    first_html = first.get(_url(agreement)).content.decode()
    html = second.get(_url(agreement)).content.decode()
    assert _tokens(html) and not _tokens(html) & _tokens(first_html)
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
    # ... and the page shows it at once.
    after = second.get(_url(agreement)).content.decode()
    assert "Reopen" in after or "Mở lại" in after


def test_an_edit_through_the_service_shows_at_once(as_user, personas, agreement):
    client = as_user(personas.staff_a)
    client.get(_url(agreement))
    services.agreement_transition(by=personas.staff_a, agreement=agreement, to=S.SUSPENDED)

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
            id="a bulk write",
        ),
    ],
)
def test_a_write_to_what_the_page_shows_shows_at_once(as_user, personas, tree, agreement, write, shown):
    client = as_user(personas.admin)
    assert shown not in _without_tokens(client.get(_url(agreement)).content.decode())

    write(agreement, tree)

    assert shown in client.get(_url(agreement)).content.decode()


def _without_tokens(html: str) -> str:
    """The page's text and classes only: every other attribute goes (tokens, links and data-user
    carry ids, and a user whose id is 1377 made "77" appear before the target was saved)."""
    return re.sub(r'\s(?!class=)[\w:-]+="[^"]*"', "", html)


def _bulk_dissolve(unit):
    OrgUnit.objects.filter(pk=unit.pk).update(valid_to=datetime.date(2026, 1, 1))  # no signal


def _save(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def test_a_renamed_user_shows_in_the_change_history_at_once(as_user, personas, agreement):
    agreement._history_user = personas.staff_a  # what a request's user does for simple-history
    _save(agreement, title="Thỏa thuận Vĩnh Long 2")
    client = as_user(personas.admin)
    assert "Nguyễn Văn Bình" not in client.get(_url(agreement)).content.decode()

    personas.staff_a.first_name, personas.staff_a.last_name = "Bình", "Nguyễn Văn"
    personas.staff_a.save()

    assert "Nguyễn Văn Bình" in client.get(_url(agreement)).content.decode()


def test_a_message_is_shown_once_with_working_forms(as_user, personas, agreement):
    client = as_user(personas.staff_a)
    client.get(_url(agreement))
    transition = reverse("partnerships:agreement_transition", args=[agreement.pk])

    response = client.post(transition, {"to": S.SUSPENDED}, follow=True)
    html = response.content.decode()

    assert response.status_code == 200
    assert 'role="alert"' in html
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

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_requires_login(client):
    response = client.get(reverse("portal:home"))

    assert response.status_code == 302


def test_home_shows_each_role_with_its_unit(as_user, personas, tree):
    body = as_user(personas.leader_a).get(reverse("portal:home")).content.decode()

    assert "Đoàn phường An Hội" in body
    assert "Cán bộ phụ trách đơn vị" in body
    assert "Tỉnh đoàn Vĩnh Long" not in body


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        (
            "leader_a",
            ["activities/log/", "help-sessions/new/", "teams/mine/"],
            ["statistics/import/", "/users/"],
        ),
        ("staff_a", ["activities/log/", "statistics/import/", "/users/", "/progress/"], []),
        (
            "viewer",
            ["/progress/", "/agreements/"],
            ["activities/log/", "help-sessions/new/", "statistics/import/"],
        ),
    ],
)
def test_home_offers_the_actions_the_role_allows(as_user, personas, tree, persona, shown, hidden):
    body = as_user(getattr(personas, persona)).get(reverse("portal:home")).content.decode()

    assert "Việc cần làm" in body
    for fragment in shown:
        assert f'{fragment}"' in body, fragment
    for fragment in hidden:
        assert f'{fragment}"' not in body, fragment


def test_home_tells_a_user_without_role_what_to_do(as_user, personas):
    body = as_user(personas.outsider).get(reverse("portal:home")).content.decode()

    assert "chưa có vai trò" in body


def test_demo_seed_is_idempotent_and_creates_the_documented_logins(settings):
    from django.core.management import call_command

    from accounts.demo import DEMO_ACCOUNTS
    from accounts.models import RoleAssignment, User
    from org.models import OrgUnit

    call_command("seed_demo", password="demo-password-2026", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (User.objects.count(), RoleAssignment.objects.count(), OrgUnit.objects.count())
    call_command("seed_demo", password="demo-password-2026", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert (User.objects.count(), RoleAssignment.objects.count(), OrgUnit.objects.count()) == counts
    for username, _description in DEMO_ACCOUNTS:
        assert User.objects.get(username=username).check_password("demo-password-2026")
    assert User.objects.get(username="leader_an_hoi").role_assignments.get().org_unit.code == "28777"
    # The demo data is what a person could enter (issue 20): the services' own rules accept every fact.
    from tests.accepted import refused_rows

    assert refused_rows() == {}

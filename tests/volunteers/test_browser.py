import pytest

from tests.conftest import browser_login, screenshot
from tests.volunteers.factories import ActivityFactory, MembershipFactory
from volunteers.models import Activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_logs_an_activity_on_a_phone(page, personas, teams):
    for _ in range(5):
        MembershipFactory(team=teams.a)
    ActivityFactory(team=teams.a)
    browser_login(page, personas.leader_a.username)

    page.goto("/activities/log/")
    assert page.locator("select[name=team]").input_value() == str(teams.a.pk)
    screenshot(page, "volunteers-activity-form-phone")
    page.select_option("select[name=kind]", "community_visit")
    page.fill("input[name=title]", "Hướng dẫn kích hoạt VNeID mức 2")
    page.fill("input[name=participants]", "37")
    page.fill("input[name=volunteers_count]", "5")
    page.fill("input[name=volunteer_hours]", "10")
    page.fill("textarea[name=note]", "Khu phố 3")
    # A double tap: the second click must not create a second activity.
    page.locator("form.js-draft button[type=submit]").dblclick()
    page.wait_for_url("**/activities/log/?saved=*")

    assert page.locator(".alert-success").first.is_visible()
    activity = Activity.objects.get(title="Hướng dẫn kích hoạt VNeID mức 2")
    assert (activity.team, activity.participants, activity.created_by) == (teams.a, 37, personas.leader_a)
    assert Activity.objects.count() == 2
    # The page is usable at 360 px: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "volunteers-activity-saved-phone")

    page.goto(f"/teams/{teams.a.pk}/")
    assert page.locator("h1").inner_text() == teams.a.name
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "volunteers-team-detail-phone")

    page.goto("/teams/")
    screenshot(page, "volunteers-team-list-phone")

    page.goto(f"/volunteers/{teams.leader_volunteer.pk}/")
    screenshot(page, "volunteers-volunteer-profile-phone")


def test_typed_input_survives_a_validation_error_on_a_phone(page, personas, teams):
    browser_login(page, personas.leader_a.username)
    page.goto("/activities/log/")
    page.fill("input[name=date]", "31/02/2025")
    page.fill("input[name=title]", "Tuyên truyền dịch vụ công")
    page.fill("input[name=participants]", "25")
    with page.expect_navigation():
        page.locator("form.js-draft button[type=submit]").click()

    assert page.locator(".alert-danger").is_visible()
    assert page.input_value("input[name=title]") == "Tuyên truyền dịch vụ công"
    assert page.input_value("input[name=participants]") == "25"
    assert not Activity.objects.exists()
    screenshot(page, "volunteers-activity-error-phone")


def test_an_activity_dated_before_the_team_was_founded_is_refused_on_a_phone(page, personas, teams):
    """Issue 20: a date before the founding is a typing error; the leader sees why, on the date,
    keeps what was typed, corrects the date and saves."""
    import datetime

    teams.a.founded_on = datetime.date(2025, 8, 15)
    teams.a.save()
    browser_login(page, personas.leader_a.username)
    page.goto("/activities/log/")
    page.fill("input[name=date]", "10/08/2025")
    page.fill("input[name=title]", "Tập huấn VNeID cho tổ dân phố")
    page.fill("input[name=participants]", "30")
    with page.expect_navigation():
        page.locator("form.js-draft button[type=submit]").click()

    assert page.get_by_text("15/08/2025").first.is_visible()  # the founding date, said in the message
    assert page.input_value("input[name=title]") == "Tập huấn VNeID cho tổ dân phố"
    assert not Activity.objects.exists()
    screenshot(page, "volunteers-activity-before-founding-phone")

    page.fill("input[name=date]", "20/08/2025")
    page.locator("form.js-draft button[type=submit]").click()
    page.wait_for_url("**/activities/log/?saved=*")
    assert Activity.objects.get().date == datetime.date(2025, 8, 20)

"""Redis down (broker and cache): logging a help session still saves, the page answers normally, the
dirty mark stays for the next run, and /health/ says what is down. Nothing here needs a real Redis:
the point is that there is none."""

import datetime
import logging

import pytest
from django.test import Client
from django.urls import reverse

from config.celery import app
from core.models import DirtyMark
from egov_support.models import HelpSession
from progress.models import Progress
from progress.rollup import rollup_dirty
from tests.egov_support.test_pages import NEW, _post_data
from tests.factories import UserFactory
from tests.progress.conftest import catalogues  # noqa: F401  (the rollup's indicator rules)

pytestmark = pytest.mark.django_db(transaction=True)
NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once


def _fresh_connections():
    """Celery keeps a connection pool and a producer pool built for the broker URL of their time."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_down(settings):
    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = NOWHERE
    _fresh_connections()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": NOWHERE,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield
    app.conf.task_always_eager, app.conf.broker_url = saved
    _fresh_connections()


@pytest.mark.usefixtures("catalogues")
def test_logging_a_help_session_saves_and_the_next_run_catches_up(
    redis_down, egov, personas, as_user, caplog
):
    client = as_user(personas.leader_a)
    day = datetime.date.today().replace(day=1)
    with caplog.at_level(logging.WARNING):
        response = client.post(NEW, _post_data(egov, date=day.strftime("%d/%m/%Y")))

    assert response.status_code == 302, response.content.decode()[:800]
    session = HelpSession.objects.get()
    assert session.lines.count() == 2
    assert DirtyMark.objects.filter(org_unit=egov.team_a.org_unit, month=day).exists()
    assert any("not queued" in r.getMessage() for r in caplog.records)
    # The user's next pages work too (the cache is down as well).
    assert client.get(reverse("egov_support:session_detail", args=[session.pk])).status_code == 200

    staff = Client()  # the parts are named to staff only (anonymous callers get the status)
    staff.force_login(UserFactory(is_staff=True), backend="django.contrib.auth.backends.ModelBackend")
    health = staff.get("/health/")
    assert health.status_code == 503
    checks = health.json()["checks"]
    assert checks["broker"]["status"] == "down"
    assert checks["cache"]["status"] == "down"
    assert checks["database"]["status"] == "up"

    # When the scheduled run comes (beat, once Redis is back), the mark is consumed and counted.
    rollup_dirty()
    assert not DirtyMark.objects.exists()
    assert Progress.objects.filter(
        org_unit=egov.team_a.org_unit, indicator__code="citizens_assisted", period_start=day, value=17
    ).exists()


def test_staff_refresh_says_the_queue_is_unreachable(redis_down, tree, personas, as_user):
    response = as_user(personas.staff_a).post(
        reverse("progress:refresh", args=[tree.province_a.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "text-danger" in response.content.decode()

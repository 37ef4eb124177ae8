"""CI runs on the real services: these fail under REQUIRE_SERVICES=1 when one is missing."""

import os

import pytest
from django.db import connection

from tests.conftest import require_service


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_when_configured():
    require_service(
        connection.vendor == "postgresql",
        "DATABASE_URL does not point at PostgreSQL (set DATABASE_URL=postgres://postgres@127.0.0.1:5432/cds)",
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


def test_redis_answers_when_configured():
    url = os.environ.get("REDIS_URL", "")
    require_service(bool(url), "REDIS_URL is not set")
    import redis

    try:
        pong = redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pong = False
    require_service(pong, f"Redis at {url} does not answer")
    assert pong is True


@pytest.mark.django_db
def test_subtree_prefix_queries_use_the_path_index_on_postgresql(tree):
    require_service(connection.vendor == "postgresql", "needs PostgreSQL to read its query plan")
    from org.models import OrgUnit

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = OrgUnit.objects.filter(path__startswith="/TW/86/").explain()
        cursor.execute("RESET enable_seqscan")

    assert "orgunit_path_prefix" in plan

"""What a page ran: for tests that a cached read leaves a table alone."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def sql_of_get(client, url: str) -> tuple[list[str], str]:
    """GET ``url`` as ``client`` (asserting a 200): the SQL statements it ran, and the page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries], response.content.decode()

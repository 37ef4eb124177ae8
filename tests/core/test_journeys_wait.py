"""The browser journeys assert what the page shows once it shows it.

``is_visible()``, ``is_hidden()`` and ``count()`` answer at once, on whatever page is there: read right
after a click they may see the page before the navigation (the indicator journey failed 2 runs in 3
that way). Journeys assert with Playwright's ``expect(...)``, which waits.
"""

import re
from pathlib import Path

JOURNEYS = Path(__file__).resolve().parents[1] / "journeys"
NOT_WAITING = re.compile(r"assert\b.*\.(is_visible|is_hidden|count)\(\)")


def test_no_journey_asserts_a_read_that_does_not_wait():
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(JOURNEYS.glob("test_*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if NOT_WAITING.search(line) and ".objects." not in line  # the database's counts are not the page's
    ]
    assert len(list(JOURNEYS.glob("test_*.py"))) > 5, "the scan finds the journeys"
    assert found == []

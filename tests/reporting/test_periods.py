import datetime

import pytest
from django.core.exceptions import ValidationError

from reporting.periods import Period


def test_weeks_and_months_parse_and_print():
    week = Period.parse(week="2026-W49")
    assert (week.start, week.end, week.code, week.param) == (
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 6),
        "2026-W49",
        "week=2026-W49",
    )
    month = Period.parse(month="2026-02")
    assert (month.start, month.end, month.code) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
        "2026-02",
    )
    assert Period.parse(month="2026-12").end == datetime.date(2026, 12, 31)
    assert Period.parse(week="2026-W01").previous() == Period("week", 2025, 52)
    assert Period.parse(month="2026-01").previous() == Period("month", 2025, 12)


@pytest.mark.parametrize("week", ["2026-W54", "2025-W53", "49", "2026W49", "x"])
def test_a_malformed_week_names_the_field(week):
    with pytest.raises(ValidationError) as error:
        Period.parse(week=week)
    assert "week" in error.value.message_dict


def test_periods_since_a_report():
    assert Period.parse(week="2026-W49").periods_since(2026, 46) == 3
    assert Period.parse(week="2026-W02").periods_since(2025, 52) == 2
    assert (
        Period.parse(month="2026-02").periods_since(2025, 49) == 2
    )  # week 49 of 2025 starts 01/12/2025: Jan, Feb

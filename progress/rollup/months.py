"""Months, quarters and years: the calendar every step shares."""

import datetime

HORIZON_YEARS = 2  # stocks are evaluated from January, two years before the current one
FIRST_MONTH = datetime.date(1900, 1, 1)
LAST_MONTH = datetime.date(9999, 12, 1)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def quarter_start(month: datetime.date) -> datetime.date:
    return datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)


def horizon(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(today.year - HORIZON_YEARS, 1, 1), month_start(today)


def as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def calendar_row(month: datetime.date, current: datetime.date) -> tuple:
    q = quarter_start(month)
    y = datetime.date(month.year, 1, 1)
    q_last, y_last = min(add_months(q, 2), current), min(add_months(y, 11), current)
    return (
        month,
        month_end(month),
        q,
        month_end(add_months(q, 2)),
        y,
        datetime.date(month.year, 12, 31),
        q_last,
        y_last,
    )


def month_before(start: datetime.date) -> datetime.date:
    """The last month whose departures are before ``start``: memberships are counted by month, so
    one that ended in the month of a mid-month start ended before it (joined/left months compare
    with the period's dates, as the distinct count does)."""
    return add_months(month_start(start), -1) if start.day == 1 else month_start(start)

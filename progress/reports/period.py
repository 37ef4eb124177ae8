"""Report periods as people write them: ``2026-11`` (a month), ``2026-Q4`` (a quarter), ``2026`` (a year)."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from progress.models import PeriodKind
from progress.rollup import add_months, month_end

FIRST_YEAR = 2000
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PATTERNS = (
    (PeriodKind.MONTH, re.compile(r"(?P<year>\d{4})-(?P<n>\d{2})")),
    (PeriodKind.QUARTER, re.compile(r"(?P<year>\d{4})-[Qq](?P<n>[1-4])")),
    (PeriodKind.YEAR, re.compile(r"(?P<year>\d{4})")),
)


class PeriodError(ValueError):
    """A period the report cannot be made for; the message is for the person who asked."""


@dataclass(frozen=True)
class ReportPeriod:
    kind: str  # a PeriodKind: the rollup's rows of this kind hold the figures
    start: datetime.date
    end: datetime.date

    @property
    def code(self) -> str:
        """As in the URL: 2026-11, 2026-Q4, 2026."""
        if self.kind == PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        """As in the report's title: "tháng 11 năm 2026", "quý IV năm 2026", "năm 2026"."""
        year = self.start.year
        if self.kind == PeriodKind.MONTH:
            return _("month %(month)s of %(year)s") % {"month": f"{self.start:%m}", "year": year}
        if self.kind == PeriodKind.QUARTER:
            quarter = ROMAN[(self.start.month - 1) // 3 + 1]
            return _("quarter %(quarter)s of %(year)s") % {"quarter": quarter, "year": year}
        return _("the year %(year)s") % {"year": year}


def parse_period(text: str, *, today: datetime.date) -> ReportPeriod:
    """The period ``text`` names; ``PeriodError`` (in the user's language) for anything else,
    for a year before 2000 and for a period that has not begun on ``today``."""
    text = (text or "").strip()
    found = next(((kind, p.fullmatch(text)) for kind, p in _PATTERNS if p.fullmatch(text)), None)
    if found is None:
        raise PeriodError(_invalid(text))
    kind, match = found
    year, n = int(match["year"]), int(match["n"]) if kind != PeriodKind.YEAR else 1
    if year < FIRST_YEAR or (kind == PeriodKind.MONTH and not 1 <= n <= 12):
        raise PeriodError(_invalid(text))
    if kind == PeriodKind.MONTH:
        start, months = datetime.date(year, n, 1), 1
    elif kind == PeriodKind.QUARTER:
        start, months = datetime.date(year, 3 * n - 2, 1), 3
    else:
        start, months = datetime.date(year, 1, 1), 12
    if start > today:
        raise PeriodError(_("The report period %(period)s has not begun yet.") % {"period": text})
    return ReportPeriod(kind=kind, start=start, end=month_end(add_months(start, months - 1)))


def _invalid(text: str) -> str:
    return _(
        'The report period "%(period)s" is not valid: write YYYY-MM for a month, YYYY-Qn for a '
        "quarter or YYYY for a year (for example 2026-11, 2026-Q4, 2026)."
    ) % {"period": text[:20]}


def period_choices(*, year: int, today: datetime.date) -> list[tuple[str, str]]:
    """The periods of ``year`` a report can be made for on ``today``: the year, its quarters, its months."""
    choices = [(str(year), _("Year %(year)s") % {"year": year})]
    for n in range(1, 5):
        if datetime.date(year, 3 * n - 2, 1) <= today:
            label = _("Quarter %(quarter)s/%(year)s") % {"quarter": ROMAN[n], "year": year}
            choices.append((f"{year}-Q{n}", label))
    for month in range(1, 13):
        if datetime.date(year, month, 1) <= today:
            choices.append(
                (
                    f"{year}-{month:02d}",
                    _("Month %(month)s/%(year)s") % {"month": f"{month:02d}", "year": year},
                )
            )
    return choices

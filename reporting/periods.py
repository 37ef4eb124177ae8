"""The periods communes report for: an ISO week ("2026-W49") or a month ("2026-11")."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEEK = "week"
MONTH = "month"
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    kind: str  # WEEK or MONTH
    year: int
    number: int  # ISO week or month

    @classmethod
    def week_of(cls, day: datetime.date) -> "Period":
        year, week, _weekday = day.isocalendar()
        return cls(WEEK, year, week)

    @classmethod
    def month_of(cls, day: datetime.date) -> "Period":
        return cls(MONTH, day.year, day.month)

    @classmethod
    def parse(cls, *, week: str | None = None, month: str | None = None) -> "Period":
        """From ``week=YYYY-Www`` or ``month=YYYY-MM``; a clear error naming the parameter otherwise."""
        if week:
            match = _WEEK_RE.match(week.strip())
            try:
                if not match:
                    raise ValueError
                period = cls(WEEK, int(match[1]), int(match[2]))
                period.start  # noqa: B018 (ISO week 53 exists only in some years)
            except ValueError:
                raise ValidationError(
                    {"week": _("Write the week as YYYY-Www, e.g. 2026-W49.")}, code="invalid"
                ) from None
            return period
        match = _MONTH_RE.match((month or "").strip())
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
            raise ValidationError({"month": _("Write the month as YYYY-MM, e.g. 2026-11.")}, code="invalid")
        return cls(MONTH, int(match[1]), int(match[2]))

    @property
    def start(self) -> datetime.date:
        if self.kind == WEEK:
            return datetime.date.fromisocalendar(self.year, self.number, 1)
        return datetime.date(self.year, self.number, 1)

    @property
    def end(self) -> datetime.date:
        if self.kind == WEEK:
            return self.start + datetime.timedelta(days=6)
        following = datetime.date(self.year + self.number // 12, self.number % 12 + 1, 1)
        return following - datetime.timedelta(days=1)

    @property
    def code(self) -> str:
        return f"{self.year}-W{self.number:02d}" if self.kind == WEEK else f"{self.year}-{self.number:02d}"

    @property
    def param(self) -> str:
        """The query string that selects this period: ``week=2026-W49`` or ``month=2026-11``."""
        return f"{self.kind}={self.code}"

    @property
    def label(self) -> str:
        if self.kind == WEEK:
            return _("week %(week)d/%(year)d") % {"week": self.number, "year": self.year}
        return _("month %(month)d/%(year)d") % {"month": self.number, "year": self.year}

    def previous(self) -> "Period":
        if self.kind == WEEK:
            return Period.week_of(self.start - datetime.timedelta(days=7))
        return Period.month_of(self.start - datetime.timedelta(days=1))

    def weeks(self) -> list[tuple[int, int]]:
        """The ISO weeks (year, week) that count for the period: the week itself, or for a month the
        weeks whose Monday falls in it (4 or 5; a week is in the month its Monday is)."""
        if self.kind == WEEK:
            return [(self.year, self.number)]
        first_monday = self.start + datetime.timedelta(days=(7 - self.start.weekday()) % 7)
        weeks, monday = [], first_monday
        while monday <= self.end:
            weeks.append(monday.isocalendar()[:2])
            monday += datetime.timedelta(days=7)
        return weeks

    def last_week(self) -> tuple[int, int]:
        """The last ISO week counted for the period (reports up to it are "before or in" the period)."""
        return self.weeks()[-1]  # a month always holds four or five Mondays

    def periods_since(self, year: int, week: int) -> int:
        """How many periods of this kind lie after the one holding ISO week ``year``/``week`` up to and
        including this one (the run of periods missed since that report)."""
        monday = datetime.date.fromisocalendar(year, week, 1)
        if self.kind == WEEK:
            return (self.start - monday).days // 7
        return (self.year - monday.year) * 12 + self.number - monday.month

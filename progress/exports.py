"""The progress workbook: what the dashboard shows, as sheets a province office reads and filters.

- "Tổng hợp <year>": every indicator (a column each) for the unit and each unit under it.
- "Mục tiêu": the unit's indicators with their target, deadline, status and projection.
- One sheet per indicator (its Vietnamese name): the unit's months, then the year total of the unit
  and of each unit under it, the year written as the year (2026), never as a date in January.
Percentages are written as fractions with a % format, rounded to a tenth of a point.
"""

from django.utils.translation import gettext as _

from core.tabular import Cell, Column, Kind, Sheet
from progress.selectors import ChildRow, Kpi


def _kind(kpi: Kpi) -> str:
    return Kind.PERCENT if kpi.is_percent else Kind.INTEGER


def _target_value(kpi: Kpi):
    return kpi.target.target_value if kpi.target else None


def _status(kpi: Kpi) -> str:
    return str(kpi.status.get_status_display()) if kpi.status else ""


def _note(unit) -> str:
    return _("Dissolved") if unit.valid_to else ""


def progress_sheets(*, unit, year: int, kpis: list[Kpi], ranking: list[ChildRow]) -> list[Sheet]:
    return [_summary(unit, year, kpis, ranking), _targets(kpis)] + [
        _indicator(unit, year, kpi, ranking) for kpi in kpis
    ]


def _summary(unit, year: int, kpis: list[Kpi], ranking: list[ChildRow]) -> Sheet:
    columns = [Column(_("Unit"))] + [Column(k.rule.indicator.name, _kind(k)) for k in kpis] + [_("Note")]
    rows = [[unit.name] + [k.value for k in kpis] + [_note(unit)]]
    rows += [[row.unit.name] + [row.values[k.code][0] for k in kpis] + [_note(row.unit)] for row in ranking]
    return Sheet(_("Summary %(year)d") % {"year": year}, columns, rows)


def _targets(kpis: list[Kpi]) -> Sheet:
    columns = [
        _("Indicator name"),
        _("Source"),
        _("Value for the year"),
        _("Target value"),
        Column(_("Deadline"), Kind.DATE),
        _("Status"),
        _("Projected at the deadline"),
    ]
    rows = [
        [
            k.rule.indicator.name,
            k.rule.get_source_display(),
            Cell(k.value, _kind(k)),
            Cell(_target_value(k), _kind(k)),
            k.target.deadline if k.target else None,
            _status(k),
            Cell(k.status.projected if k.status else None, _kind(k)),
        ]
        for k in kpis
    ]
    return Sheet(_("Targets"), columns, rows)


def _indicator(unit, year: int, kpi: Kpi, ranking: list[ChildRow]) -> Sheet:
    kind = _kind(kpi)
    columns = [
        _("Unit"),
        Column(_("Period"), Kind.MONTH),
        Column(_("Value"), kind),
        Column(_("Year to date"), kind),
        Column(_("Target value"), kind),
        _("Status"),
    ]
    year_to_date = dict(kpi.year_to_date)
    rows: list[list] = [
        [unit.name, month, value, year_to_date.get(month), None, ""]
        for month, value in kpi.trend
        if value is not None or year_to_date.get(month) is not None
    ]
    year_cell = Cell(year, Kind.YEAR)
    rows.append([unit.name, year_cell, kpi.value, None, _target_value(kpi), _status(kpi)])
    rows += [
        [row.unit.name, year_cell, row.values[kpi.code][0], None, None, _note(row.unit)] for row in ranking
    ]
    return Sheet(kpi.rule.indicator.name, columns, rows)

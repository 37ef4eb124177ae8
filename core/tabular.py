"""Reading and writing the tables staff live in: Excel (.xlsx) and CSV.

Imports read every row first and report each bad row by its spreadsheet row number; the
caller's service imports nothing until the whole file is clean (dry-run preview, then commit).
Exports write real numbers and real date cells formatted dd/mm/yyyy, and CSV in UTF-8 with a
BOM so Excel keeps the Vietnamese accents.
"""

import contextlib
import csv
import datetime
import io
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.text import fold
from core.uploads import MB, check_xlsx_archive, sniff

MAX_IMPORT_ROWS = 50_000
MAX_IMPORT_COLUMNS = 60  # the widest import (the roster) has 15; room for notes columns people add
MAX_IMPORT_MB = 10
# Counts are stored in 32-bit integer columns (PositiveIntegerField): a larger one is the row's error,
# never the database's (a 500 at the confirm).
MAX_COUNT = 2_147_483_647
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Row:
    number: int  # the row number the user sees in Excel (header is row 1)
    values: dict[str, object]


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportReport:
    """What a dry run or an import found: the rows to write and every problem, row by row."""

    rows_total: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def is_clean(self) -> bool:
        return not self.errors

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def add_form_errors(self, row: int, form, title: Callable[[str], str]) -> bool:
        """Report each error of a row's form under its column's title (``title(field name)``); whether
        the row is clean. The form is one row of a file, checked like any Django form."""
        if form.is_valid():
            return True
        for name, messages in form.errors.items():
            for message in messages:
                self.add(row, title(name) if name != "__all__" else "", message)
        return False


def header_key(text: object) -> str:
    """'Mã đơn vị' -> 'ma_don_vi': headers match whatever accents or case the user typed."""
    return fold(str(text or "")).replace(" ", "_")


def read_table(
    uploaded,
    *,
    expected: Sequence[str],
    titles: Mapping[str, str] | None = None,
    keys: Mapping[str, str] | None = None,
) -> list[Row]:
    """Rows of an uploaded .xlsx or .csv as dicts keyed by folded header.

    Bounded work whatever the file says: a workbook whose declared size exceeds the limits is refused
    before a row is read, and reading stops at the first row or column past them (a 5 KB file can
    declare a million rows by sixteen thousand columns, or put one cell at the bottom right).
    Raises ValidationError naming the missing columns (by ``titles[key]``, the header a person
    sees, when given), an unreadable file, or too many rows/columns. ``keys`` maps a folded header to
    the key its values go under (a column's title in each language to one key); a header it does not
    name is keyed by its folded self.
    """
    if uploaded.size > MAX_IMPORT_MB * MB:
        raise ValidationError(_("The file is larger than %(limit)d MB.") % {"limit": MAX_IMPORT_MB})
    kind = sniff(uploaded)
    if kind == "xlsx":
        check_xlsx_archive(uploaded)
        raw_rows = _xlsx_rows(uploaded)
    elif kind is None and uploaded.name.lower().endswith(".csv"):
        raw_rows = _csv_rows(uploaded)
    else:
        raise ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file."))
    try:
        header = _within_columns(next(raw_rows))
    except StopIteration as exc:
        raise ValidationError(_("The file is empty.")) from exc
    folded = [header_key(h) for h in header]
    columns = [(keys or {}).get(key, key) for key in folded]
    missing = [(titles or {}).get(column, column) for column in expected if column not in columns]
    if missing:
        raise ValidationError(_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    rows = []
    for offset, raw in enumerate(raw_rows, start=2):
        # Counted by position, blank rows too: a file of blank rows up to row 1,048,576 stops here.
        if offset > MAX_IMPORT_ROWS + 1:
            raise ValidationError(_too_big())
        raw = _within_columns(raw)
        if all(v in (None, "") for v in raw):
            continue
        rows.append(Row(offset, {k: (raw[i] if i < len(raw) else None) for i, k in enumerate(columns) if k}))
    return rows


def _too_big() -> str:
    return _(
        "The sheet is larger than an import can be: at most %(rows)s rows and %(columns)d columns. "
        "Copy the table alone into a new workbook (or delete the empty rows and columns below and to "
        "the right of it) and upload that."
    ) % {"rows": f"{MAX_IMPORT_ROWS:,}".replace(",", "."), "columns": MAX_IMPORT_COLUMNS}


def _within_columns(raw: Sequence[object]) -> Sequence[object]:
    """The row's first MAX_IMPORT_COLUMNS cells: no import reads a column past them."""
    return raw[:MAX_IMPORT_COLUMNS] if len(raw) > MAX_IMPORT_COLUMNS else raw


def _xlsx_rows(uploaded):
    uploaded.seek(0)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(uploaded.read()), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ValidationError(_("The Excel file could not be read: it may be damaged.")) from exc
    # The size the file declares (<dimension ref="A1:XFD1048576"/>): refused before reading a row.
    if (sheet.max_row or 0) > MAX_IMPORT_ROWS + 1 or (sheet.max_column or 0) > MAX_IMPORT_COLUMNS:
        raise ValidationError(_too_big())
    # Then read as if nothing were declared (a file may declare less than it holds: openpyxl would
    # stop there and drop the rest), never past the column limit (a cell at XFD would otherwise make
    # every row 16,384 wide); read_table stops at the first row past the row limit, so the blank
    # rows openpyxl fills in before a far one are bounded too.
    sheet.reset_dimensions()
    try:
        for values in sheet.iter_rows(max_col=MAX_IMPORT_COLUMNS, values_only=True):
            yield [_unneutralise(v.strip()) if isinstance(v, str) else v for v in values]
    except Exception as exc:  # a damaged sheet part shows only once its rows are parsed
        raise ValidationError(_("The Excel file could not be read: it may be damaged.")) from exc


def _csv_rows(uploaded):
    uploaded.seek(0)
    data = uploaded.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The CSV file must be saved as UTF-8.")) from exc
    dialect: type[csv.Dialect] = csv.excel
    with contextlib.suppress(csv.Error):  # a single-column or unusual file: fall back to commas
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    # newline="" lets the csv module handle line breaks inside quoted cells and lone "\r" itself.
    try:
        for values in csv.reader(io.StringIO(text, newline=""), dialect):
            yield [_unneutralise(v.strip()) for v in values]
    except csv.Error as exc:  # a stray quote or line break, an over-long cell
        raise ValidationError(_("The CSV file could not be read: %(error)s.") % {"error": exc}) from exc


# --- Cell parsing shared by the import services ----------------------------------------------


# Digits, optionally grouped by thousands with one separator ("1.234.567", "1,234", "1 234").
_WHOLE_NUMBER = re.compile(r"[+-]?(?:\d+|\d{1,3}(?P<sep>[.,\s])\d{3}(?:(?P=sep)\d{3})*)")


def parse_int(value: object, *, minimum: int | None = 0, maximum: int | None = MAX_COUNT) -> int:
    """A whole number from a cell: 12, 12.0, "12", "1.234" (thousands). Raises ValueError for a
    fraction (1.5 or "1,5" is not a count: never read as 15) and outside [minimum, maximum]."""
    if isinstance(value, bool):
        raise ValueError(_("not a whole number"))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("not a whole number"))
        number = int(value)
    else:
        text = str(value or "").strip()
        if not _WHOLE_NUMBER.fullmatch(text):
            raise ValueError(_("not a whole number"))
        number = int(re.sub(r"[.,\s]", "", text))
    if minimum is not None and number < minimum:
        raise ValueError(_("must be at least %(minimum)d") % {"minimum": minimum})
    if maximum is not None and number > maximum:
        raise ValueError(_("must be at most %(maximum)s") % {"maximum": f"{maximum:,}".replace(",", ".")})
    return number


def parse_date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("not a date (dd/mm/yyyy)"))


def parse_month(value: object) -> datetime.date:
    """'03/2026', '2026-03', or a date cell -> the first day of that month."""
    if isinstance(value, datetime.datetime | datetime.date):
        return datetime.date(value.year, value.month, 1)
    text = str(value or "").strip()
    for pattern in ("%m/%Y", "%Y-%m", "%m-%Y"):
        try:
            parsed = datetime.datetime.strptime(text, pattern)
            return datetime.date(parsed.year, parsed.month, 1)
        except ValueError:
            continue
    raise ValueError(_("not a month (mm/yyyy)"))


# --- Exports ---------------------------------------------------------------------------------
#
# Every download a person opens in Excel goes through ``xlsx_response`` (or ``csv_response``):
# tests/core/test_exports.py finds each export in the URLconf and the admin and feeds it formulas.

# A text cell beginning with one of these is run as a formula by Excel, LibreOffice or Sheets
# (OWASP "CSV injection"): ``=HYPERLINK(...)`` in a team's name becomes a live link in a report.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31  # Excel refuses longer sheet names
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
_WIDTH_SAMPLE_ROWS = 300  # column widths are measured on the header and the first rows
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")


class Kind:
    """How a column's cells are written: the number format Excel shows them in."""

    AUTO = ""  # by the value's type: dates dd/mm/yyyy, everything else as it comes
    TEXT = "text"
    INTEGER = "integer"  # 12,345
    NUMBER = "number"  # 12,345.6
    PERCENT = "percent"  # the value in points (80 = 80%), written as 0.8 with a % format
    DATE = "date"  # dd/mm/yyyy
    DATETIME = "datetime"  # dd/mm/yyyy hh:mm
    MONTH = "month"  # a date shown mm/yyyy
    YEAR = "year"  # a year, 2026 (a number without a thousands separator)
    TIME = "time"  # hh:mm


NUMBER_FORMATS = {
    Kind.TEXT: "@",
    Kind.INTEGER: "#,##0",
    Kind.NUMBER: "#,##0.0",
    Kind.PERCENT: "0.0%",
    Kind.DATE: "DD/MM/YYYY",
    Kind.DATETIME: "DD/MM/YYYY HH:MM",
    Kind.MONTH: "MM/YYYY",
    Kind.YEAR: "0",
    Kind.TIME: "HH:MM",
}


@dataclass(frozen=True)
class Column:
    """A column of an export: its header, how its cells are formatted, optionally a fixed width."""

    title: str
    kind: str = Kind.AUTO
    width: float | None = None


@dataclass(frozen=True)
class FileColumn:
    """A column of a file the portal both exports and imports back (a roster, official statistics)."""

    key: str  # the import form's field name, stable whatever the language
    title: str | Promise  # translated: errors and headers name the column as the person sees it
    required: bool = False
    kind: str = Kind.TEXT  # how the export writes it (a phone stays text: its leading 0)


class FileColumns:
    """The columns of one such file, in order: what the export writes, the template offers and the
    import reads, under the same titles. The import accepts a column under its title in any of the
    portal's languages, matched without accents or case (``header_key``), so a file made in one
    language imports in the other."""

    def __init__(self, columns: Sequence[FileColumn]):
        self.columns = list(columns)
        self.required = [c.key for c in self.columns if c.required]

    def header(self) -> list[str]:
        """The header row in the active language."""
        return [str(c.title) for c in self.columns]

    def export_columns(self) -> list[Column]:
        return [Column(str(c.title), c.kind) for c in self.columns]

    def titles(self) -> dict[str, str]:
        return {c.key: str(c.title) for c in self.columns}

    def title(self, key: str) -> str:
        """The title a person sees for a column's key (errors name columns by it)."""
        return self.titles().get(key, key)

    def header_keys(self) -> dict[str, str]:
        """Every language's title of every column (folded) -> the column's key."""
        found = {}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                found.update({header_key(str(c.title)): c.key for c in self.columns})
        return found

    def read(self, uploaded) -> list[Row]:
        """The uploaded file's rows, keyed by column key (``read_table``'s checks and limits)."""
        return read_table(uploaded, expected=self.required, titles=self.titles(), keys=self.header_keys())


class TextCell(forms.CharField):
    """A cell as text: spaces collapsed and cut at ``limit`` (a long cell is shortened, not refused)."""

    def __init__(self, limit: int, **kwargs):
        self.limit = limit
        kwargs.setdefault("required", False)
        super().__init__(strip=False, error_messages={"required": gettext_lazy("required")}, **kwargs)

    def to_python(self, value) -> str:
        return " ".join(str(value if value is not None else "").split())[: self.limit]


@dataclass(frozen=True)
class Cell:
    """One cell formatted differently from its column (a year total in a column of months)."""

    value: object
    kind: str


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column | str]
    rows: Iterable[Sequence[object]]


def neutralise(value: object) -> object:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe (OWASP's advice);
    the value stays readable and ``read_table`` takes the apostrophe off when the file comes back."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _unneutralise(value: object) -> object:
    if isinstance(value, str) and value[:1] == "'" and value[1:2] and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def sheet_title(text: str, taken: Iterable[str] = ()) -> str:
    """A legal, unique sheet name from a human title: no []:*?/\\, at most 31 characters (cut at a
    word, with "…"), "(2)" appended when the name is taken."""
    title = " ".join(_SHEET_TITLE_FORBIDDEN.sub(" ", str(text)).split()).strip("'") or "Sheet"
    if len(title) > SHEET_TITLE_MAX:
        cut = title[: SHEET_TITLE_MAX - 1]
        if " " in cut:
            cut = cut.rsplit(" ", 1)[0]
        title = cut.rstrip(" ,;-") + "…"
    taken = {t.casefold() for t in taken}
    candidate, n = title, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate = title[: SHEET_TITLE_MAX - len(suffix)].rstrip() + suffix
        n += 1
    return candidate


def _column(spec: Column | str) -> Column:
    return spec if isinstance(spec, Column) else Column(str(spec))


def _cell_value(value: object, kind: str) -> tuple[object, str | None]:
    """The value to write and its number format (None: leave Excel's General)."""
    if isinstance(value, Cell):
        value, kind = value.value, value.kind
    if value is None or value == "":
        return None, None
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, bool):
        return (_("Yes") if value else _("No")), None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):  # Excel has no time zones: the portal's local time
            value = timezone.localtime(value).replace(tzinfo=None)
        return value, NUMBER_FORMATS[kind if kind in (Kind.DATE, Kind.MONTH, Kind.YEAR) else Kind.DATETIME]
    if isinstance(value, datetime.date):
        return value, NUMBER_FORMATS[kind if kind in (Kind.MONTH, Kind.YEAR, Kind.DATETIME) else Kind.DATE]
    if isinstance(value, datetime.time):
        return value, NUMBER_FORMATS[Kind.TIME]
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, int | float):
        if kind == Kind.PERCENT:
            return round(value / 100, 4), NUMBER_FORMATS[Kind.PERCENT]  # 80.456 points -> 80.5%
        if kind == Kind.INTEGER:
            return value, NUMBER_FORMATS[Kind.INTEGER]
        if kind == Kind.NUMBER:
            return round(value, 2), NUMBER_FORMATS[Kind.NUMBER]
        if kind == Kind.YEAR:
            return value, NUMBER_FORMATS[Kind.YEAR]
        return value, None
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:32_000]  # control characters break the file
    return neutralise(text), (NUMBER_FORMATS[Kind.TEXT] if kind == Kind.TEXT else None)


def _display_width(value: object, number_format: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, float) and number_format == NUMBER_FORMATS[Kind.PERCENT]:
        return 7
    if isinstance(value, int | float):
        return len(f"{value:,.1f}" if isinstance(value, float) else f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _widths(columns: list[Column], sample: list[list[tuple[object, str | None]]]) -> list[float]:
    widths = []
    for i, column in enumerate(columns):
        if column.width:
            widths.append(column.width)
            continue
        longest = max((_display_width(*row[i]) for row in sample if i < len(row)), default=0)
        # Headers wrap (at most about three lines), so a long header does not widen a narrow column.
        header = max((len(word) for word in column.title.split()), default=0)
        header = max(header, -(-len(column.title) // 3))
        widths.append(float(min(_MAX_WIDTH, max(_MIN_WIDTH, longest + 2, header + 2))))
    return widths


def _write_sheet(workbook, sheet: Sheet, taken: list[str]) -> None:
    columns = [_column(c) for c in sheet.columns]
    title = sheet_title(sheet.title, taken)
    taken.append(title)
    worksheet = workbook.create_sheet(title=title)

    def converted(rows):
        for values in rows:
            yield [
                _cell_value(value, columns[i].kind if i < len(columns) else Kind.AUTO)
                for i, value in enumerate(values)
            ]

    rows = converted(sheet.rows)
    sample = list(itertools.islice(rows, _WIDTH_SAMPLE_ROWS))
    # Write-only sheets take their layout before the first row: widths, the frozen header row.
    for i, width in enumerate(_widths(columns, sample), start=1):
        worksheet.column_dimensions[get_column_letter(i)].width = width
    worksheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=neutralise(str(column.title)))
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGNMENT
        header.append(cell)
    worksheet.append(header)
    count = 1
    for converted_row in itertools.chain(sample, rows):
        cells = []
        for value, number_format in converted_row:
            cell = WriteOnlyCell(worksheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever openpyxl guesses
            if number_format:
                cell.number_format = number_format
            cells.append(cell)
        worksheet.append(cells)
        count += 1
    if columns:
        worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count}"


def xlsx_response(
    filename: str, sheets: Iterable[Sheet | tuple[str, Sequence, Iterable[Sequence]]]
) -> HttpResponse:
    """An .xlsx download that opens ready to read, one sheet per ``Sheet`` (or (title, columns, rows)).

    Every sheet: a legal Vietnamese sheet name, a bold wrapped header row that stays frozen, an
    autofilter, column widths from the content, dates as real dd/mm/yyyy cells, numbers and
    percentages in the column's format, and no text cell Excel could run as a formula.
    """
    workbook = openpyxl.Workbook(write_only=True)
    taken: list[str] = []
    for sheet in sheets:
        _write_sheet(workbook, sheet if isinstance(sheet, Sheet) else Sheet(*sheet), taken)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_text(value: object, kind: str) -> object:
    value, number_format = _cell_value(value, kind)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%m/%Y" if number_format == NUMBER_FORMATS[Kind.MONTH] else "%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if number_format == NUMBER_FORMATS[Kind.PERCENT]:
        return f"{value:.1%}"
    return "" if value is None else value


def csv_response(
    filename: str, columns: Sequence[Column | str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """A CSV download for Excel: UTF-8 with a BOM, dates dd/mm/yyyy, formulas neutralised as in xlsx."""
    columns = [_column(c) for c in columns]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the BOM Excel needs to read UTF-8
    writer = csv.writer(response)
    writer.writerow([neutralise(str(c.title)) for c in columns])
    for values in rows:
        writer.writerow(
            [_csv_text(v, columns[i].kind if i < len(columns) else Kind.AUTO) for i, v in enumerate(values)]
        )
    return response

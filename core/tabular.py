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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.text import fold
from core.uploads import MB, check_xlsx_archive, sniff

MAX_IMPORT_ROWS = 50_000
MAX_IMPORT_MB = 10
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


def header_key(text: object) -> str:
    """'Mã đơn vị' -> 'ma_don_vi': headers match whatever accents or case the user typed."""
    return fold(str(text or "")).replace(" ", "_")


def read_table(uploaded, *, expected: Sequence[str], titles: Mapping[str, str] | None = None) -> list[Row]:
    """Rows of an uploaded .xlsx or .csv as dicts keyed by folded header.

    Raises ValidationError naming the missing columns (by ``titles[key]``, the header a person
    sees, when given), an unreadable file, or too many rows.
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
        header = next(raw_rows)
    except StopIteration as exc:
        raise ValidationError(_("The file is empty.")) from exc
    keys = [header_key(h) for h in header]
    missing = [(titles or {}).get(column, column) for column in expected if column not in keys]
    if missing:
        raise ValidationError(_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    rows = []
    for offset, raw in enumerate(raw_rows, start=2):
        if all(v in (None, "") for v in raw):
            continue
        if len(rows) >= MAX_IMPORT_ROWS:
            raise ValidationError(_("The file has more than %(limit)d rows.") % {"limit": MAX_IMPORT_ROWS})
        rows.append(Row(offset, {k: (raw[i] if i < len(raw) else None) for i, k in enumerate(keys) if k}))
    return rows


def _xlsx_rows(uploaded):
    uploaded.seek(0)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(uploaded.read()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ValidationError(_("The Excel file could not be read: it may be damaged.")) from exc
    sheet = workbook.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield [v.strip() if isinstance(v, str) else v for v in values]


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
            yield [v.strip() for v in values]
    except csv.Error as exc:  # a stray quote or line break, an over-long cell
        raise ValidationError(_("The CSV file could not be read: %(error)s.") % {"error": exc}) from exc


# --- Cell parsing shared by the import services ----------------------------------------------


def parse_int(value: object, *, minimum: int | None = 0) -> int:
    if isinstance(value, bool):
        raise ValueError(_("not a whole number"))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value or "").strip().replace(".", "").replace(",", "").replace(" ", "")
        if not text.lstrip("-").isdigit():
            raise ValueError(_("not a whole number"))
        number = int(text)
    if minimum is not None and number < minimum:
        raise ValueError(_("must be at least %(minimum)d") % {"minimum": minimum})
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


def xlsx_response(
    filename: str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[object]]]]
) -> HttpResponse:
    """An .xlsx download with one sheet per (title, header, rows); dates as real dd/mm/yyyy cells."""
    workbook = openpyxl.Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(header))
        for values in rows:
            cells = []
            for value in values:
                cell = openpyxl.cell.WriteOnlyCell(sheet, value=value)
                if isinstance(value, datetime.datetime):
                    cell.number_format = "DD/MM/YYYY HH:MM"
                elif isinstance(value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the BOM Excel needs to read UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for values in rows:
        writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else v for v in values])
    return response

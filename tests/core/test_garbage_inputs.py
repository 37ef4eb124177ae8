"""Garbage in, validation errors out: the import parsers and upload checks never crash.

Property-based (hypothesis): whatever bytes or cell values arrive, only django's ValidationError
or ValueError may come back (both become a message on the form), never another exception (a 500).
"""

import contextlib
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import tabular, uploads

EXPECTED = ["ma_don_vi", "so_luong"]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the examples below match the English msgids
        yield


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def workbook_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


VALID_XLSX = workbook_bytes([["Mã đơn vị", "Số lượng"], ["28777", 12], ["28756", 3]])

cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.dates(),
    st.datetimes(),
    st.decimals(allow_nan=False),
    st.binary(max_size=20),
)
csv_text = st.lists(
    st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12), max_size=6),
    max_size=8,
).map(lambda rows: "\n".join(st_join(row) for row in rows))


def st_join(row):
    return ",".join(row)


def only_validation_errors(call):
    with contextlib.suppress(ValidationError, ValueError):
        call()


# --- read_table -----------------------------------------------------------------------------------


@FUZZ
@given(content=st.binary(max_size=4096))
def test_read_table_csv_any_bytes(content):
    only_validation_errors(lambda: tabular.read_table(upload(content, "data.csv"), expected=EXPECTED))


@FUZZ
@given(text=csv_text, header=st.sampled_from(["", "Mã đơn vị,Số lượng\n", "ma_don_vi;so_luong\n"]))
def test_read_table_csv_any_text(text, header):
    content = (header + text).encode("utf-8")
    only_validation_errors(lambda: tabular.read_table(upload(content, "data.csv"), expected=EXPECTED))


@FUZZ
@given(tail=st.binary(max_size=2048))
def test_read_table_xlsx_signature_then_garbage(tail):
    content = b"PK\x03\x04" + tail
    only_validation_errors(lambda: tabular.read_table(upload(content, "data.xlsx"), expected=EXPECTED))


@FUZZ
@given(data=st.data())
def test_read_table_damaged_workbook(data):
    """A real workbook with bytes flipped, cut short or inserted: a damaged file from e-mail."""
    content = bytearray(VALID_XLSX)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(4, len(content) - 1))
        content[position] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        content = content[: data.draw(st.integers(4, len(content)))]
    only_validation_errors(lambda: tabular.read_table(upload(bytes(content), "data.xlsx"), expected=EXPECTED))


@FUZZ
@given(
    entries=st.dictionaries(
        st.text(
            st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), min_size=1, max_size=20
        ),
        st.binary(max_size=200),
        max_size=5,
    )
)
def test_read_table_zip_that_is_not_a_workbook(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for name, body in entries.items():
            archive.writestr(name, body)
    only_validation_errors(lambda: tabular.read_table(upload(buffer.getvalue(), "x.xlsx"), expected=EXPECTED))


@FUZZ
@given(rows=st.lists(st.lists(cells.filter(lambda v: not isinstance(v, bytes)), max_size=4), max_size=6))
def test_read_table_workbook_with_any_cells(rows):
    try:
        content = workbook_bytes([["Mã đơn vị", "Số lượng"], *rows])
    except (ValueError, TypeError, openpyxl.utils.exceptions.IllegalCharacterError):
        return  # openpyxl cannot even write it: not an input a user can send
    result = tabular.read_table(upload(content, "data.xlsx"), expected=EXPECTED)
    assert all(row.number >= 2 for row in result)


# --- cell parsers ----------------------------------------------------------------------------------


@FUZZ
@given(value=cells)
def test_cell_parsers_raise_only_value_error(value):
    for parse in (tabular.parse_int, tabular.parse_date, tabular.parse_month):
        only_validation_errors(lambda parse=parse: parse(value))


@given(number=st.integers(min_value=0, max_value=tabular.MAX_COUNT))
def test_parse_int_reads_back_what_excel_and_people_write(number):
    assert tabular.parse_int(number) == number
    assert tabular.parse_int(float(number)) == number if number < 2**53 else True
    assert tabular.parse_int(f"{number:,}".replace(",", ".")) == number  # 1.234.567
    assert tabular.parse_int(f" {number:,} ") == number


@pytest.mark.parametrize(
    "value", [tabular.MAX_COUNT + 1, float(2**31), "2.147.483.648", 10**30, 1.5, "1.5", "1,5", "1.50", 2.25]
)
def test_parse_int_refuses_fractions_and_numbers_beyond_the_columns(value):
    # A count is whole and fits the 32-bit columns it is stored in: never 1.5 -> 15, never a 500 later.
    with pytest.raises(ValueError, match="not a whole number|must be at most 2.147.483.647"):
        tabular.parse_int(value)


@given(day=st.dates(min_value=datetime.date(1900, 1, 1)))
def test_parse_date_and_month_read_dd_mm_yyyy(day):
    assert tabular.parse_date(day.strftime("%d/%m/%Y")) == day
    assert tabular.parse_month(day.strftime("%m/%Y")) == day.replace(day=1)


# --- FileTypeValidator -----------------------------------------------------------------------------


@FUZZ
@given(
    content=st.one_of(
        st.binary(max_size=2048),
        st.sampled_from([b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"PK\x03\x04"]).flatmap(
            lambda head: st.binary(max_size=1024).map(lambda tail: head + tail)
        ),
    ),
    # Django's upload parser has already reduced the client's name to a plain file name.
    name=st.text(
        st.characters(blacklist_characters="/\\\x00", blacklist_categories=["Cs"]), max_size=40
    ).filter(lambda n: n.strip(".")),
    kinds=st.sets(st.sampled_from(["pdf", "png", "jpeg", "xlsx"]), min_size=1).map(tuple),
)
def test_file_type_validator_raises_only_validation_error(content, name, kinds):
    validator = uploads.FileTypeValidator(kinds, max_mb=1)
    only_validation_errors(lambda: validator(upload(content, name)))


# --- Examples: zip bombs and type by content -----------------------------------------------------


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_workbook_with_too_many_entries_is_refused():
    entries = {"[Content_Types].xml": b"<Types/>"}
    entries.update({f"xl/part{i}.xml": b"" for i in range(uploads.XLSX_MAX_ENTRIES)})
    bomb = upload(_zip(entries), "many.xlsx")

    with pytest.raises(ValidationError, match="too many parts"):
        uploads.FileTypeValidator(("xlsx",), max_mb=10)(bomb)
    with pytest.raises(ValidationError):
        tabular.read_table(bomb, expected=EXPECTED)


def test_workbook_that_unpacks_to_a_huge_size_is_refused():
    zeros = b"\0" * (uploads.XLSX_MAX_UNCOMPRESSED + 1)
    content = _zip({"[Content_Types].xml": b"<Types/>", "xl/sharedStrings.xml": zeros})
    assert len(content) < 1024 * 1024  # small on the wire
    bomb = upload(content, "big.xlsx")

    with pytest.raises(ValidationError, match="too large once unpacked"):
        uploads.FileTypeValidator(("xlsx",), max_mb=10)(bomb)
    with pytest.raises(ValidationError):
        tabular.read_table(bomb, expected=EXPECTED)


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32


@pytest.mark.parametrize(
    ("content", "name", "kinds", "accepted"),
    [
        (PDF, "scan.png", ("png", "jpeg"), False),  # a PDF renamed .png
        (PNG, "agreement.pdf", ("pdf",), False),  # an image renamed .pdf
        (b"MZ\x90\x00" + b"\0" * 60, "report.pdf", ("pdf",), False),  # a Windows program
        (b"<html><script>alert(1)</script>", "photo.jpg", ("jpeg", "png"), False),
        (b"a,b\n1,2\n", "data.xlsx", ("xlsx",), False),  # CSV renamed .xlsx
        (PDF, "whatever.bin", ("pdf",), True),  # the name does not matter, the content does
        (JPEG, "anh.jpeg", ("jpeg", "png"), True),
        (VALID_XLSX, "bao-cao.xlsx", ("xlsx",), True),
    ],
)
def test_type_is_decided_by_content_not_name(content, name, kinds, accepted):
    validator = uploads.FileTypeValidator(kinds, max_mb=10)
    if accepted:
        validator(upload(content, name))
    else:
        with pytest.raises(ValidationError):
            validator(upload(content, name))


def test_size_limit():
    with pytest.raises(ValidationError, match="limit is 1 MB"):
        uploads.FileTypeValidator(("pdf",), max_mb=1)(upload(PDF + b"\0" * uploads.MB, "big.pdf"))


def test_read_table_reads_a_real_workbook():
    rows = tabular.read_table(upload(VALID_XLSX, "x.xlsx"), expected=EXPECTED)
    assert [(r.number, r.values) for r in rows] == [
        (2, {"ma_don_vi": "28777", "so_luong": 12}),
        (3, {"ma_don_vi": "28756", "so_luong": 3}),
    ]

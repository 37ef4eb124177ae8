"""The periodic report as a Word file in the layout union offices use (python-docx).

A4, Times New Roman: 14 pt text, 13 pt letterhead and tables. The letterhead and the closing (recipients,
signature) are borderless two-column tables, as offices lay them out by hand, so the file stays easy
to edit: the office fills in the number, adds proposals and signs. Every word comes from
``ReportContent``: the PDF prints the same.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from progress.reports.content import ReportContent

FONT = "Times New Roman"
TEXT_PT = 14
SMALL_PT = 13
TABLE_PT = 12
CENTER = WD_ALIGN_PARAGRAPH.CENTER


def report_docx(content: ReportContent) -> bytes:
    document = Document()
    _base_style(document)
    _page(document.sections[0], landscape=False)
    document.core_properties.title = f"{content.title} {content.subtitle}"
    document.core_properties.author = content.unit.name
    document.core_properties.language = "vi-VN"

    _letterhead(document, content)
    _paragraph(document, content.title, bold=True, align=CENTER, size=TEXT_PT + 1, space_before=12)
    _paragraph(document, content.subtitle, bold=True, align=CENTER, space_after=12)

    headings = content.headings
    _heading(document, headings["situation"])
    for line in content.situation:
        _body(document, line)
    for heading, lines in content.kpi_tables:
        _heading(document, heading, level=2)
        _table(
            document,
            content.kpi_headers,
            [[k.name, k.value, k.target, k.deadline, k.status] for k in lines],
            numeric={1, 2},
        )

    _heading(document, headings["agreements"])
    for n, block in enumerate(content.agreements, start=1):
        _heading(document, f"{n}. {block.title}", level=2)
        _table(
            document,
            content.target_headers,
            [[t.indicator, t.target, t.deadline, t.period_value, t.so_far, t.status] for t in block.lines],
            numeric={1, 3, 4},
        )
    if not content.agreements:
        _body(document, content.empty["agreements"])

    _heading(document, headings["lagging"])
    for line in content.lagging:
        paragraph = _body(document, "")
        _run(paragraph, line.behind, bold=True)
        _run(paragraph, f" {line.count} {line.units}")
    if not content.lagging:
        _body(document, content.empty["lagging"])
    if content.not_reporting:
        _body(document, content.not_reporting)

    _heading(document, headings["campaigns"])
    for line in content.campaigns or [content.empty["campaigns"]]:
        _body(document, line)

    _heading(document, headings["proposals"])
    for line in content.proposals:
        _body(document, line)
    _paragraph(document, content.note, italic=True, size=TABLE_PT, space_before=6)

    _closing(document, content)
    if content.appendix:
        section = document.add_section()
        _page(section, landscape=True)
        _heading(document, headings["appendix"])
        _table(
            document,
            content.appendix_headers,
            [[row.name, *row.cells] for row in content.appendix],
            numeric=set(range(1, len(content.appendix_headers))),
            size=TABLE_PT - 2,
        )

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _base_style(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(TEXT_PT)
    # Word picks the font per script: without eastAsia/cs it may set Vietnamese in Calibri or MS Mincho.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)


def _page(section, *, landscape: bool) -> None:
    """A4 with the margins of administrative documents (top and bottom 2 cm, left 3 cm, right 1.5 cm)."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Mm(297), Mm(210)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = (Cm(2), Cm(2)) if landscape else (Cm(3), Cm(1.5))


def _run(paragraph, text: str, *, bold=False, italic=False, underline=False, size: int | None = None):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if size:
        run.font.size = Pt(size)
    return run


def _paragraph(
    container,
    text: str,
    *,
    bold=False,
    italic=False,
    underline=False,
    align=None,
    size: int | None = None,
    space_before: int = 0,
    space_after: int = 0,
):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(space_after)
    _run(paragraph, text, bold=bold, italic=italic, underline=underline, size=size)
    return paragraph


def _body(document, text: str):
    paragraph = _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=4)
    paragraph.paragraph_format.first_line_indent = Cm(1)
    return paragraph


def _heading(document, text: str, *, level: int = 1):
    # Plain bold paragraphs, not Word's "Heading" styles (blue Calibri in the default template).
    paragraph = _paragraph(document, text, bold=True, space_before=8 if level == 1 else 4, space_after=4)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell_lines(cell, lines, *, size: int = SMALL_PT) -> None:
    """Lines (text, bold, italic, underline) into a cell, centred; the cell's empty first paragraph used."""
    for i, (text, bold, italic, underline) in enumerate(lines):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.alignment = CENTER
        _run(paragraph, text, bold=bold, italic=italic, underline=underline, size=size)


def _letterhead(document, content: ReportContent) -> None:
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(9)
    issuer = [
        (line, i == len(content.issuer_lines) - 1, False, False)
        for i, line in enumerate(content.issuer_lines)
    ]
    _cell_lines(left, [*issuer, ("***", False, False, False), (content.number, False, False, False)])
    _cell_lines(right, [(content.motto, True, False, True), ("", False, False, False)], size=TEXT_PT)
    paragraph = right.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(paragraph, content.date_line, italic=True, size=TEXT_PT)


def _closing(document, content: ReportContent) -> None:
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(7.5), Cm(9)
    first = left.paragraphs[0]
    first.paragraph_format.space_before = Pt(12)
    _run(first, content.headings["recipients"], bold=True, italic=True, size=TABLE_PT)
    for line in content.recipients:
        _run(left.add_paragraph(), line, size=TABLE_PT - 1)
    _cell_lines(
        right,
        [
            (content.sign_on_behalf, True, False, False),
            (content.sign_title, True, False, False),
            ("", False, False, False),
            ("", False, False, False),
            ("", False, False, False),
            (content.sign_name, True, False, False),
        ],
        size=TEXT_PT,
    )
    right.paragraphs[0].paragraph_format.space_before = Pt(12)


def _table(document, headers: list[str], rows: list[list[str]], *, numeric: set[int], size: int = TABLE_PT):
    """A bordered table whose header row repeats on every page and whose rows never split."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = CENTER
        _run(paragraph, text, bold=True, size=size)
    _row_flag(table.rows[0], "w:tblHeader")
    for values in rows:
        row = table.add_row()
        _row_flag(row, "w:cantSplit")
        for i, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            if i in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(paragraph, text, size=size)
    return table


def _row_flag(row, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)

"""The results notice as a .docx an office can edit: real headings, tables and page numbers.

Built with python-docx from the same plain data as the page (meetings.selectors.notices), so
the figures are the publication's. East Asian text gets a CJK font through w:eastAsia, or
Word would fall back to a Latin font that has no Chinese glyphs.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from meetings.selectors.notices import Notice, RaceNotice

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

CJK_FONT = "SimSun"
LATIN_FONT = "Times New Roman"
CHINESE_NUMERALS = "一二三四五六七八九十"


def _set_fonts(style) -> None:
    style.font.name = LATIN_FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), CJK_FONT)


def _page_number_footer(document) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def heading_number(index: int, chinese: bool) -> str:
    """一、 二、 ... in Chinese, 1. 2. ... in English."""
    if chinese and index < len(CHINESE_NUMERALS):
        return f"{CHINESE_NUMERALS[index]}、"
    return f"{index + 1}. "


def office_document():
    """A blank document in the office's fonts (CJK through w:eastAsia) with page numbers."""
    document = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        try:
            _set_fonts(document.styles[name])
        except KeyError:
            continue
    document.styles["Normal"].font.size = Pt(11)
    _page_number_footer(document)
    return document


def document_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_table(document, header: tuple, rows) -> None:
    """A gridded table: a header row, then one row per tuple of texts."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)


def add_order_table(document, section: RaceNotice) -> None:
    """A race's order: rank, unit, score, flags and the change against the previous period."""
    add_table(
        document,
        (_("Rank"), _("Unit"), _("Score"), _("Flags"), _("Against previous period")),
        [
            (row.rank_text, row.district, row.score_text, row.flags_text, row.change_text)
            for row in section.rows
        ],
    )


def notice_docx(notice: Notice, *, chinese: bool) -> bytes:
    document = office_document()
    document.add_heading(notice.title, level=0)
    for i, section in enumerate(notice.races):
        if i:
            document.add_page_break()
        _race(document, section, chinese=chinese)
    return document_bytes(document)


def _race(document, section: RaceNotice, *, chinese: bool) -> None:
    document.add_heading(section.race, level=1)
    if not section.published:
        document.add_paragraph(_("No results are published for this period."))
        return
    document.add_paragraph(
        _("Period %(period)s, revision %(revision)s, published %(date)s.")
        % {"period": section.period, "revision": section.revision, "date": section.published_on}
    )
    parts = _parts(section)
    for n, (title, body) in enumerate(parts):
        document.add_heading(heading_number(n, chinese) + title, level=2)
        body(document)


def _parts(section: RaceNotice):
    def order(document):
        add_order_table(document, section)

    def flags(document):
        document.add_paragraph(_("Red flag: %(units)s.") % {"units": section.red_text or _("none")})
        document.add_paragraph(
            _("Yellow flag: %(units)s.") % {"units": section.yellow_text or _("none")}
        )

    def moves(document):
        if not section.moves:
            document.add_paragraph(_("No unit changed rank."))
        for move in section.moves:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(move.headline + " ").bold = True
            paragraph.add_run(" ".join(move.drivers))

    def cited(document):
        for label, rows in ((_("Top"), section.top), (_("Bottom"), section.bottom)):
            for row in rows:
                paragraph = document.add_paragraph(style="List Bullet")
                paragraph.add_run(f"{label} · {row.headline} ").bold = True
                paragraph.add_run(" ".join(row.reasons) or "—")

    def lagging(document):
        if not section.lagging:
            document.add_paragraph(_("No indicator has the whole group behind the time account."))
        for lag in section.lagging:
            document.add_paragraph(
                _(
                    "%(indicator)s: the best unit has done %(share)s of its annual target, "
                    "against %(elapsed)s of the year elapsed."
                )
                % {
                    "indicator": lag.indicator,
                    "share": lag.share_text,
                    "elapsed": lag.elapsed_text,
                },
                style="List Bullet",
            )

    def data(document):
        if not section.data_notes:
            document.add_paragraph(_("Every unit's data were in on time."))
        for note in section.data_notes:
            document.add_paragraph(note, style="List Bullet")

    return [
        (_("Order and scores"), order),
        (_("Red and yellow flags"), flags),
        (_("Rank changes and their drivers"), moves),
        (_("Reasons cited for the top and bottom units"), cited),
        (_("Indicators behind the time account"), lagging),
        (_("Data not submitted or late"), data),
    ]

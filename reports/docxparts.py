"""Word building blocks shared by the 通报 and the printed self-check: fonts that reach Chinese text, styles
that exist whatever template the office gives, bordered tables, and a page-number field in the footer."""

from __future__ import annotations

from typing import Any

from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.styles.style import CharacterStyle, ParagraphStyle
from docx.table import Table
from docx.text.run import Run

from common.formulas import xml_text

THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
OUTLINE = {"Heading 1": 0, "Heading 2": 1, "Heading 3": 2}


def set_font(target: Run | CharacterStyle | ParagraphStyle, name: str | None, size: float | None = None,
             bold: bool | None = None) -> None:
    """A font for Latin and East Asian text alike (Word keeps the East Asian font apart, and a theme font
    would override a named one)."""
    font = target.font
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if name is None:
        return
    font.name = name
    fonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    for attr in THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)


def paragraph_style(doc: DocumentObject, name: str) -> ParagraphStyle:
    """The style `name` of the document; added (plain, based on Normal) when a template lacks it, so any
    .docx the office gives can serve as a template. A heading added here still gets its outline level."""
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        if name in OUTLINE:
            ppr = style.element.get_or_add_pPr()
            lvl = OxmlElement("w:outlineLvl")
            lvl.set(qn("w:val"), str(OUTLINE[name]))
            ppr.append(lvl)
    assert isinstance(style, ParagraphStyle)
    return style


def borders(table: Table) -> None:
    """Single lines around and between every cell, whatever table styles the template has."""
    tblpr = table._tbl.tblPr
    box = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "single")
        e.set(qn("w:sz"), "4")
        e.set(qn("w:space"), "0")
        e.set(qn("w:color"), "000000")
        box.append(e)
    tblpr.append(box)


def repeat_header(table: Table) -> None:
    """The first row repeats on every page the table runs onto."""
    trpr = table.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def fill_table(doc: DocumentObject, headers: list[str], rows: list[list[Any]], font: str = "仿宋_GB2312",
               size: float = 10.5) -> Table:
    """A bordered table: header row in bold, repeated on each page; cells as plain text, compact spacing."""
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    borders(table)
    repeat_header(table)
    for r, values in enumerate([headers, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            para = cell.paragraphs[0]
            fmt = para.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing = Pt(size * 1.5)
            fmt.space_before = fmt.space_after = Pt(0)
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 or c != 1 else WD_ALIGN_PARAGRAPH.LEFT
            set_font(para.add_run(xml_text("" if value is None else str(value))), font, size, bold=r == 0 or None)
    return table


def _field_run(para: Any, instruction: str) -> None:
    """A complex field (PAGE, NUMPAGES) Word updates when it lays the pages out."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = para.add_run()
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


def has_page_number(doc: DocumentObject) -> bool:
    return any("PAGE" in "".join(t.text or "" for t in s.footer._element.iter(qn("w:instrText")))
               or any("PAGE" in (f.get(qn("w:instr")) or "") for f in s.footer._element.iter(qn("w:fldSimple")))
               for s in doc.sections)


def page_number_footer(doc: DocumentObject, font: str = "宋体", size: float = 14) -> None:
    """'— 1 —' centred in the footer (the usual page number of an official document), unless the template's
    footer already has a page number."""
    if has_page_number(doc):
        return
    footer = doc.sections[0].footer
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.first_line_indent = Pt(0)
    set_font(para.add_run("— "), font, size)
    _field_run(para, "PAGE")
    set_font(para.add_run(" —"), font, size)

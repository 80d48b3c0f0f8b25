"""The default 通报 template (reports/templates/通报模板.docx): A4 with the margins of an official document, and
the styles the 通报 uses — 正文 (Normal: 三号仿宋, 28磅 exact line spacing, two-character indent), 标题 (Title:
二号小标宋, centred), 标题 1 (Heading 1: 三号黑体), 标题 2 (Heading 2: 三号楷体) — with a page number in the footer.

An office replaces it with its own .docx (红头, its fonts) by `assess report --notice-template FILE`; see
criteria/README.md. Regenerate the shipped file with `python -m reports.notice_template`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.docxparts import page_number_footer, paragraph_style, set_font

TEMPLATE = Path(__file__).parent / "templates" / "通报模板.docx"
BODY_MARK = "【正文】"   # where a template wants the notice; without it the notice follows the template's content


def _heading(doc: DocumentObject, name: str, font: str, bold: bool) -> None:
    style = paragraph_style(doc, name)
    set_font(style, font, 16, bold)
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    pf = style.paragraph_format
    pf.first_line_indent = Pt(32)
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28)
    pf.keep_with_next = True


def default_template() -> DocumentObject:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    normal = paragraph_style(doc, "Normal")
    set_font(normal, "仿宋_GB2312", 16)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28)
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = Pt(32)   # two characters
    title = paragraph_style(doc, "Title")
    set_font(title, "方正小标宋简体", 22, False)
    title.font.color.rgb = RGBColor(0, 0, 0)
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):   # python-docx's default Title is underlined by a border
        ppr.remove(border)
    tf = title.paragraph_format
    tf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tf.first_line_indent = Pt(0)
    tf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    tf.line_spacing = Pt(36)
    tf.space_before, tf.space_after = Pt(0), Pt(16)
    _heading(doc, "Heading 1", "黑体", False)
    _heading(doc, "Heading 2", "楷体_GB2312", True)
    page_number_footer(doc)
    doc.core_properties.title = "通报模板"
    return doc


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE
    default_template().save(str(out))
    print(f"已写入 {out}")

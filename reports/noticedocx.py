"""通报.docx: the draft's blocks on a template the office can replace (`reports.notice_template`).

The text goes where the template has a paragraph reading 【正文】, or after the template's own content; it
uses the template's styles — 标题 (Title), 标题 1/2 (Heading 1/2) and 正文 (Normal) — so a 红头 template
with its own fonts gives a notice in its own look. Direct formatting is kept to what a style cannot say:
placeholders highlighted, the signature right-aligned, table cells compact. The ranking table follows the
grade lists; 附件 (every unit's scores by category) follows on landscape pages at the end.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from common.formulas import xml_text
from reports.docxparts import fill_table, page_number_footer, paragraph_style, set_font
from reports.notice import ANNEX_TITLE, PLACEHOLDER, Block, notice_blocks, notice_title
from reports.notice_template import BODY_MARK, TEMPLATE
from reports.summary import fixed, veto_marks
from scoring.pipeline import Results

STYLE = {"title": "Title", "heading": "Heading 1", "subheading": "Heading 2"}


class _Body:
    """Adds paragraphs and tables at the template's 【正文】 mark (removed at the end), or at the end."""

    def __init__(self, doc: DocumentObject):
        self.doc = doc
        self.mark = next((p for p in doc.paragraphs if p.text.strip() == BODY_MARK), None)

    def _place(self, element: Any) -> None:
        if self.mark is not None:
            self.mark._p.addprevious(element)

    def paragraph(self, style: str = "Normal") -> Paragraph:
        para = self.doc.add_paragraph(style=paragraph_style(self.doc, style))
        self._place(para._p)
        return para

    def table(self, headers: list[str], rows: list[list[Any]]) -> None:
        table = fill_table(self.doc, headers, rows)
        self._place(table._tbl)

    def close(self) -> None:
        if self.mark is not None:
            self.mark._p.getparent().remove(self.mark._p)
            self.mark = None


def _text(para: Paragraph, text: str) -> None:
    """Runs of the text, the 【请填写：……】 placeholders highlighted for the drafter."""
    pos = 0
    for m in [*PLACEHOLDER.finditer(text), None]:
        end = m.start() if m else len(text)
        if end > pos:
            para.add_run(xml_text(text[pos:end]))
        if m:
            para.add_run(xml_text(m.group(0))).font.highlight_color = WD_COLOR_INDEX.YELLOW
            pos = m.end()


def _ranking(results: Results) -> tuple[list[str], list[list[Any]]]:
    p = results.scheme.meta.decimals
    rows = [[r.rank, r.name, fixed(r.total, p), r.grade or ""] for r in results.units]
    return ["名次", "单位", "总分", "等次"], rows


def _annex(results: Results) -> tuple[list[str], list[list[Any]]]:
    s = results.scheme
    p = s.meta.decimals
    cats = s.categories
    headers = ["名次", "单位", *[f"{c.name}（{c.id}）" for c in cats], "加分", "扣分", "总分", "等次", "否决/限制评优"]
    rows = []
    for r in results.units:
        marks = "；".join(f"{m.name}（{m.effect}）" for m in veto_marks(results, r))
        rows.append([r.rank, r.name, *[fixed(r.categories[c.id], p) if c.id in r.categories else "—" for c in cats],
                     fixed(r.bonus, p), fixed(r.penalty, p), fixed(r.total, p), r.grade or "", marks or "—"])
    return headers, rows


def _landscape_annex(doc: DocumentObject, results: Results) -> None:
    """附件 on a new landscape section at the end: the label, its title, the table of every unit's scores."""
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE
    if sec.page_width is not None and sec.page_height is not None and sec.page_width < sec.page_height:
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    label = doc.add_paragraph(style=paragraph_style(doc, "Normal"))
    label.paragraph_format.first_line_indent = Pt(0)
    set_font(label.add_run("附件"), "黑体")
    doc.add_paragraph(ANNEX_TITLE, style=paragraph_style(doc, "Title"))
    fill_table(doc, *_annex(results))


def template_problem(data: bytes) -> str | None:
    """Why `data` cannot serve as a 通报 template (in Chinese), or None."""
    try:
        Document(io.BytesIO(data))
    except Exception:  # python-docx raises zipfile, KeyError or its own errors for a file that is not .docx
        return "不是 Word 文档（.docx）或已损坏。请在 Word 中另存为“Word 文档(*.docx)”后重试（.doc、.wps、.dotx 不能直接使用）。"
    return None


def render_notice(results: Results, blocks: list[Block], template: bytes | None) -> bytes:
    doc = Document(io.BytesIO(template) if template is not None else str(TEMPLATE))
    doc.core_properties.title = notice_title(results)
    body = _Body(doc)
    for b in blocks:
        if b.kind == "ranking":
            _text(body.paragraph(), b.text)
            body.table(*_ranking(results))
            continue
        if b.kind == "annex":
            _text(body.paragraph(), f"附件：{b.text}")
            continue
        para = body.paragraph(STYLE.get(b.kind, "Normal"))
        if b.kind == "note":
            para.paragraph_format.first_line_indent = Pt(0)
        elif b.kind == "sign":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif b.kind == "para" and b.text.endswith("：") and PLACEHOLDER.fullmatch(b.text[:-1]):
            para.paragraph_format.first_line_indent = Pt(0)   # the addressee line starts at the margin
        _text(para, b.text)
        if b.kind == "note":
            for run in para.runs:
                run.font.size = Pt(12)
    body.close()
    page_number_footer(doc)
    _landscape_annex(doc, results)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def notice_docx(results: Results, template: bytes | None = None) -> bytes:
    """The draft as Word, on the office's template (.docx bytes) or the default one."""
    return render_notice(results, notice_blocks(results), template)

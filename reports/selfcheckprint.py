"""The self-check as a document a county prints for its leaders (自查报告.docx / 自查报告.xlsx).

Built once as sections of plain rows, then laid out as Word (`selfcheck_docx`) or Excel (`selfcheck_xlsx`),
so both say the same: the provisional score and grade, vetoes hit or near, gaps by points lost with what
to do, and the items scored by others that a self-check cannot settle.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook

from reports.docxparts import fill_table, page_number_footer, paragraph_style
from reports.notice_template import TEMPLATE
from reports.selfcheckreport import STATUS, _signed, _target_line
from reports.sheetnames import sheet_name
from reports.xlsx_sheet import Sheet
from scoring.events import fmt, fmt_fixed
from selfcheck.check import NEED_CITY
from selfcheck.model import SelfCheck

DISCLAIMER = "本报告由本单位按考核细则自查生成，得分和等次为暂定结果，以考核部门正式考核结果为准。"
ORDER = {"hit": 0, "near": 1, "clear": 2}


@dataclass
class Section:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    lead: list[str] = field(default_factory=list)   # sentences before the table
    empty: str = ""                                  # what to say when there are no rows


@dataclass
class PrintedSelfCheck:
    title: str
    facts: list[str]
    sections: list[Section]


def _facts(sc: SelfCheck) -> list[str]:
    s, r = sc.scheme, sc.result
    places = s.meta.decimals
    grade = f"暂定等次：{r.grade}" + (f"（按分数为{r.grade_by_score}）" if r.grade != r.grade_by_score else "")
    out = [f"自查单位：{sc.name}（{sc.entity}）",
           f"暂定总分：{fmt_fixed(r.total, places)}分（满分{fmt(s.meta.total)}分，另计加分、扣分项）", grade]
    out += r.grade_notes + sc.notes
    for d in sc.rank_items:
        if d["status"] == "provisional":
            out.append(f"{d['item']} {d['name']}：{NEED_CITY}，暂按第1名计{fmt(d['score'])}分（最低可能{fmt(d['floor'])}分）")
        elif d["status"] == "scored":
            out.append(f"{d['item']} {d['name']}：在{d['of']}个单位中排第{d['rank']}名，得{fmt(d['score'])}分")
    return out


def _vetoes(sc: SelfCheck) -> Section:
    s = sc.scheme
    places = s.meta.decimals
    defs = {v.id: v for v in s.vetoes}
    rows = []
    for v in sorted(sc.vetoes, key=lambda v: ORDER[v.status]):
        if v.status == "hit":
            what = [f"原因：{v.reason}", *[f"解除办法：{_target_line(t, places, veto=True)}" for t in v.targets], *v.notes]
        else:
            what = list(v.distance)
        rows.append([v.id, v.name, defs[v.id].words(s.grades[-1].name), STATUS[v.status], "\n".join(what)])
    return Section("一、否决和限制评优（先看）", ["编号", "事项", "后果", "状态", "说明"], rows,
                   empty="本考核细则没有否决项。")


def _gaps(sc: SelfCheck) -> Section:
    places = sc.scheme.meta.decimals
    rows = []
    for k, g in enumerate(sc.gaps, 1):
        score = f"{fmt(g.score)}/{fmt(g.points)}" if g.points is not None else fmt(g.score)
        why = "\n".join(e.reason for e in g.events)
        todo = [_target_line(t, places) for t in g.targets] + [f"注：{n}" for n in g.notes]
        clause = f"〔{g.clause}〕" if g.clause else ""
        rows.append([k, f"{g.item} {g.name}{clause}", score, fmt(g.lost), why, "\n".join(todo) or "—"])
    return Section("二、失分项目（按失分从多到少，先补失分多的）", ["序号", "考核项目", "得分/分值", "失分", "失分原因", "挽回办法"],
                   rows, empty="没有失分的项目。")


def _assessed(sc: SelfCheck) -> Section:
    places = sc.scheme.meta.decimals
    rows = []
    for a in sc.assessed:
        span = {"deduct": f"视情扣{fmt(a.span[0])}—{fmt(a.span[1])}分",
                "award": f"视情加{fmt(a.span[0])}—{fmt(a.span[1])}分"}.get(a.mode, f"评定{fmt(a.span[0])}—{fmt(a.span[1])}分")
        clause = f"〔{a.clause}〕" if a.clause else ""
        if a.score is None:
            rows.append([f"{a.item} {a.name}{clause}", span, "本单位不适用", "—", "—"])
            continue
        now = f"已有评分：{fmt(a.score)}/{fmt(a.points)}分" if a.scored else f"尚未评分，暂按{fmt(a.score)}/{fmt(a.points)}分计"
        reasons = [e.reason for e in a.events if e.kind == "finding"]
        rows.append([f"{a.item} {a.name}{clause}", span, "\n".join([now, *reasons]), f"{fmt(a.low)}—{fmt(a.high)}分",
                     f"{_signed(a.total_low, places)}至{_signed(a.total_high, places)}分"])
    lead = []
    if sc.assessed:
        low = sum((a.total_low for a in sc.assessed), Decimal(0))
        high = sum((a.total_high for a in sc.assessed), Decimal(0))
        total = sc.result.total_exact
        lead.append(f"以下项目由评分单位打分，本单位自查无法确定，本单位的填报数据也改变不了。它们合计可使总分在"
                    f"{fmt_fixed(total + low, places)}—{fmt_fixed(total + high, places)}分之间。")
    return Section("三、由评分单位评分的项目（不能自查）", ["考核项目", "评分方式", "现状", "可能得分", "对总分的影响"], rows,
                   lead, empty="本考核细则没有由评分单位评分的项目。")


def printed(sc: SelfCheck) -> PrintedSelfCheck:
    return PrintedSelfCheck(f"{sc.name}{sc.scheme.meta.title}自查报告", _facts(sc),
                            [_vetoes(sc), _gaps(sc), _assessed(sc)])


def selfcheck_docx(sc: SelfCheck) -> bytes:
    """On the default 通报 template: its styles (标题, 标题 1, 正文) and page numbers."""
    p = printed(sc)
    doc = Document(str(TEMPLATE))
    doc.core_properties.title = p.title
    doc.add_paragraph(p.title, style=paragraph_style(doc, "Title"))
    for line in p.facts:
        doc.add_paragraph(line, style=paragraph_style(doc, "Normal"))
    for sec in p.sections:
        doc.add_paragraph(sec.title, style=paragraph_style(doc, "Heading 1"))
        for line in sec.lead:
            doc.add_paragraph(line, style=paragraph_style(doc, "Normal"))
        if sec.rows:
            fill_table(doc, sec.headers, sec.rows, size=10)
        else:
            doc.add_paragraph(sec.empty, style=paragraph_style(doc, "Normal"))
    note = doc.add_paragraph(DISCLAIMER, style=paragraph_style(doc, "Normal"))
    for run in note.runs:
        run.font.size = Pt(12)
    page_number_footer(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def selfcheck_xlsx(sc: SelfCheck) -> bytes:
    """A sheet for the facts and one per section, each printing on A4 with its title and page numbers."""
    p = printed(sc)
    wb = Workbook()
    used: set[str] = set()
    sh = Sheet(wb, sheet_name("概况", used), p.title, first=True)
    sh.header(["自查结果"])
    for line in [*p.facts, DISCLAIMER]:
        sh.row([line])
    sh.finish("A3", caps={1: 100})
    for sec in p.sections:
        name = sheet_name(sec.title.split("、", 1)[-1].split("（", 1)[0], used)
        sh = Sheet(wb, name, f"{p.title}：{sec.title}")
        sh.header(sec.headers)
        for row in sec.rows:
            sh.row(row)
        for line in sec.lead if sec.rows else [sec.empty]:   # below the table: the header stays on row 2
            sh.row([line])
        sh.finish("A3", caps={i + 1: 50 for i in range(len(sec.headers))})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

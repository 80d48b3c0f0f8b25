"""The forecast (`assess forecast`) as people read it: the same sections printed to the terminal, written as a
workbook (one printable sheet per section) or as one self-contained HTML page (no network, no script).

The sections are built once (`sections`); each format only lays them out, so the three always agree.
"""

from __future__ import annotations

import html
import io
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from reports.sheetnames import sheet_name
from reports.xlsx_sheet import Sheet
from scoring.events import fmt
from selfcheck.forecast_model import Forecast, Target

DISCLAIMER = ("说明：预测按本市和所辖单位现有数据、用同一套考核细则和同一程序计算；目标值逐项改动数据后重新评分测得，"
              "改动所辖单位的数据时，该单位按下级细则重新评分（其得分、等次随之变化），再汇总到本市。")


@dataclass
class Section:
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    empty: str = "（无）"


def _signed(d: Decimal) -> str:
    sign = "+" if d > 0 else "-" if d < 0 else ""   # ASCII minus: a GBK console has no U+2212
    return sign + (fmt(abs(d)) or "0") + "分"


def facts(f: Forecast) -> list[str]:
    r = f.result
    rank = f"，在{len(f.peers)}个同类单位中第{r.rank}名" if len(f.peers) > 1 and r.rank is not None else ""
    out = [f"{f.scheme.meta.title}：{f.name}（{f.entity}）预测得分 {fmt(r.total)} 分，等次 {r.grade or '—'}{rank}"]
    if r.grade_notes:
        out.append("等次说明：" + "；".join(r.grade_notes))
    lost = sum((p.points for p in f.points if p.points < 0), Decimal(0))
    if lost:
        out.append(f"共失 {fmt(-lost)} 分，逐项见“失分明细”；挽回目标见“所辖单位目标”和“本市目标”")
    return [*out, *f.notes]


def _evidence(ev: dict[str, Any]) -> str:
    """The figures an event compared (the lower unit and its row have their own columns)."""
    return "；".join(f"{k}={v}" for k, v in ev.items() if k not in ("出处", "下级单位"))


def _target_row(t: Target) -> list[Any]:
    after = f"{fmt(t.total)} {t.grade or ''}".strip() + (f"，第{t.rank}名" if t.rank is not None else "")
    lifted = "；解除：" + "、".join(t.vetoes_lifted) if t.vetoes_lifted else ""
    own = f"{t.lower_before} → {t.lower_after}" if t.lower_before else ""
    return [t.whose, t.text, _signed(t.gain) + lifted, after, own]


def sections(f: Forecast) -> list[Section]:
    peers = Section("同类单位排名", ["名次", "编号", "单位", "预测得分", "等次", "否决项"],
                    [[p.rank if p.rank is not None else "—", p.id, p.name, fmt(p.total), p.grade or "—",
                      "、".join(p.vetoes)] for p in f.peers])
    points = Section("失分明细（每一分落到所辖单位和台账行）",
                     ["分值", "类别", "项目", "所辖单位", "事由", "依据数据", "出处"],
                     [[_signed(p.points), p.category, p.item, p.lower or f.name,
                       f"{p.reason} → {f.name} {p.category} {_signed(p.points)}", _evidence(p.evidence), p.source or ""]
                      for p in f.points], "（没有失分或加分）")
    vetoes = Section("否决项", ["否决项", "情形", "依据"],
                     [[v.item, v.reason, "；".join(f"{k}={val}" for k, val in v.evidence.items())] for v in f.vetoes],
                     "（没有触发否决项）")
    head = ["对象", "目标（改什么、改成多少）", "本市挽回", "本市改后得分", "该单位自身得分（改前 → 改后）"]
    lower = Section("所辖单位目标（按本市挽回分数排列）", head, [_target_row(t) for t in f.lower_targets],
                    "（所辖单位没有能挽回本市失分的目标）")
    own = Section("本市目标（本市自身工作，按挽回分数排列）", head[:4], [_target_row(t)[:4] for t in f.own_targets],
                  "（本市自身没有失分可挽回）")
    none = Section("无法挽回的失分", ["原因"], [[line] for line in f.no_target], "（无）")
    rows = [Section(f"汇总台账：{led.label}（本市的数字由这些行汇总）", led.headers, led.rows) for led in f.ledgers]
    return [peers, points, vetoes, *rows, lower, own, none]


def forecast_text(f: Forecast) -> str:
    lines = facts(f)
    for sec in sections(f):
        lines += ["", f"【{sec.title}】"]
        if not sec.rows:
            lines.append("  " + sec.empty)
        for row in sec.rows:
            lines.append("  " + "  ".join(str(c) for c in row if c not in ("", None)))
    return "\n".join([*lines, "", DISCLAIMER]) + "\n"


def forecast_xlsx(f: Forecast) -> bytes:
    wb = Workbook()
    used: set[str] = set()
    sh = Sheet(wb, sheet_name("概况", used), f"{f.name}预测", first=True)
    sh.header(["预测结果"])
    for line in [*facts(f), DISCLAIMER]:
        sh.row([line])
    sh.finish("A3", caps={1: 100})
    for sec in sections(f):
        sh = Sheet(wb, sheet_name(sec.title.split("（", 1)[0], used), f"{f.name}预测：{sec.title}")
        sh.header(sec.headers)
        for row in sec.rows or [[sec.empty]]:
            sh.row(row)
        sh.finish("A3", caps={i + 1: 50 for i in range(len(sec.headers))})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


STYLE = ("body{font-family:'Microsoft YaHei','PingFang SC',sans-serif;margin:1.5em;color:#222}"
         "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #999;padding:.3em .6em;"
         "vertical-align:top}th{background:#dde4ee}.wrap{overflow-x:auto}p.note{color:#555}")


def forecast_html(f: Forecast) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(f.name)}预测</title><style>{STYLE}</style></head><body>",
           f"<h1>{e(f.name)}预测</h1>"]
    out += [f"<p>{e(line)}</p>" for line in facts(f)]
    for sec in sections(f):
        out.append(f"<h2>{e(sec.title)}</h2>")
        if not sec.rows:
            out.append(f"<p>{e(sec.empty)}</p>")
            continue
        out.append('<div class="wrap"><table><thead><tr>' + "".join(f"<th>{e(h)}</th>" for h in sec.headers)
                   + "</tr></thead><tbody>")
        out += ["<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in sec.rows]
        out.append("</tbody></table></div>")
    out += [f'<p class="note">{e(DISCLAIMER)}</p>', "</body></html>"]
    return "\n".join(out) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def forecast_json(f: Forecast) -> str:
    """The forecast as data (numbers as exact decimal strings), for checking by hand or by program."""
    r = f.result
    doc = {"scheme": f.scheme.meta.id, "unit": f.entity, "name": f.name, "total": r.total, "total_exact": r.total_exact,
           "grade": r.grade, "rank": r.rank if len(f.peers) > 1 else None, "of": len(f.peers),
           "items": r.items, "categories": r.categories,
           "peers": [asdict(p) for p in f.peers], "points": [asdict(p) for p in f.points],
           "vetoes": [asdict(v) for v in f.vetoes], "ledgers": [asdict(x) for x in f.ledgers],
           "lower_targets": [asdict(t) for t in f.lower_targets], "own_targets": [asdict(t) for t in f.own_targets],
           "no_target": f.no_target, "notes": f.notes}
    return json.dumps(_plain(doc), ensure_ascii=False, indent=2) + "\n"

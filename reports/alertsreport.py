"""The warnings during the year (`assess warn`) as the office sends them out: a table on the screen, JSON, a
workbook (one sheet, text never a formula) and a self-contained HTML page (a CSP that allows no script)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from alerts.model import LEVELS, Alert, Warnings
from common.jsontext import dumps_indented
from reports.html_base import esc
from reports.terminal import fit_table
from reports.xlsx_sheet import Sheet

HEADERS = ["等级", "单位", "类型", "编号", "名称", "条款", "后果", "依据", "现值", "按进度年底", "距离", "最迟处置日期"]


CAPS = [None, None, None, None, 20, None, 24, 24, 36, None, 24, None]   # long texts wrap on the screen


def row_cells(a: Alert) -> list[str]:
    return [a.level, f"{a.entity} {a.name}", a.kind, a.rule, a.rule_name, a.clause, a.threat, a.figure or a.condition,
            a.current, a.projected, a.distance, a.act_by.isoformat() if a.act_by else "—"]


def title(w: Warnings) -> str:
    return f"{w.title}：年中预警（截至 {w.as_of}）"


def lead(w: Warnings) -> list[str]:
    counts = "，".join(f"{lv}{sum(1 for a in w.alerts if a.level == lv)}条" for lv in LEVELS)
    units = len({a.entity for a in w.alerts})
    out = [f"截至 {w.as_of}（考核时段 {w.start} 至 {w.end}，已过 {w.elapsed}/{w.days} 天），{w.units}个单位中"
           f"{units}个有预警：{counts}。"]
    if w.projected:
        out.append(f"按进度折算到年底的数：{'、'.join(w.projected)}（年底数 = 现值 × {w.days} ÷ {w.elapsed}）。")
    out.append("未列出的单位：没有已触发、按进度将触发或临近的否决和扣分（“临近”的界限见 docs/预警.md）。")
    return out


def warnings_table(w: Warnings) -> str:
    body = "\n".join(lead(w))
    if not w.alerts:
        return f"{title(w)}\n{body}\n没有预警。\n"
    return f"{title(w)}\n{body}\n{fit_table(HEADERS, [row_cells(a) for a in w.alerts], keys=2, caps=CAPS)}\n"


def warnings_json(w: Warnings) -> str:
    return dumps_indented(w.record())


def warnings_xlsx(w: Warnings) -> bytes:
    wb = Workbook()
    sh = Sheet(wb, "预警", title(w), first=True)
    sh.header(HEADERS)
    for a in w.alerts:
        sh.row(row_cells(a))   # every cell through set_cell: text from the data is never a formula
    for line in lead(w) if w.alerts else [*lead(w), "没有预警。"]:
        sh.row([line])
    sh.finish("C3", caps={i + 1: 40 for i in range(len(HEADERS))})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CSS = """body{font-family:"Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em}table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #bbb;padding:.3em .5em;vertical-align:top;text-align:left}th{background:#eee}
.wrap{overflow-x:auto}tr.l0 td:first-child{background:#fdd;color:#900;font-weight:bold}
tr.l1 td:first-child{background:#ffe5cc;color:#a50}tr.l2 td:first-child{background:#fff8c4}
@media print{.wrap{overflow:visible}}"""


def warnings_html(w: Warnings) -> str:
    rows = "".join(f'<tr class="l{LEVELS.index(a.level)}">' + "".join(f"<td>{esc(c)}</td>" for c in row_cells(a))
                   + "</tr>" for a in w.alerts)
    table = ('<div class="wrap"><table><thead><tr>' + "".join(f"<th>{esc(h)}</th>" for h in HEADERS)
             + f"</tr></thead><tbody>{rows}</tbody></table></div>") if w.alerts else "<p>没有预警。</p>"
    paras = "".join(f"<p>{esc(p)}</p>" for p in lead(w))
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title(w))}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>{esc(title(w))}</h1>\n{paras}\n{table}\n"
            f"<footer><p>依据：{esc(w.title)}（{esc(w.scheme)}）。由 assess warn 生成。</p></footer>\n"
            "</main>\n</body>\n</html>\n")

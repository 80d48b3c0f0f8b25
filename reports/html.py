"""The offline HTML report (report.html): one self-contained file, charts as inline SVG made here.

Government networks are often offline, so nothing is fetched: no web fonts, no scripts or styles from
another host. Chinese is rendered with the system's CJK fonts. Every string that comes from criteria or
data is escaped.
"""

from __future__ import annotations

import html
import itertools
from decimal import Decimal

from wcwidth import wcswidth

from reports.summary import (
    ZERO,
    Summary,
    base_title,
    category_full,
    evidence_text,
    fixed,
    item_lost,
    points_text,
    problem_level,
    summarise,
    unsigned_text,
    veto_marks,
)
from scoring.events import Event
from scoring.pipeline import Results
from scoring.totals import UnitResult

FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
         '"微软雅黑", "WenQuanYi Micro Hei", "SimHei", "Noto Sans SC", sans-serif')
GRADE_COLOURS = ["#2e7d32", "#1565c0", "#ef8f00", "#c62828", "#6a1b9a", "#455a64"]
OTHER_COLOUR = "#9e9e9e"
HEAT_STOPS = [(0.0, (232, 245, 233)), (0.5, (255, 224, 130)), (1.0, (211, 47, 47))]
TOP_ITEMS = 10


def esc(x: object) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text_width(text: str, size: float) -> float:
    w = wcswidth(text)
    return (w if w >= 0 else len(text) * 2) * size * 0.55


def _grade_colours(results: Results) -> dict[str, str]:
    names = [g.name for g in results.scheme.grades]
    return {g: GRADE_COLOURS[i] if i < len(GRADE_COLOURS) else OTHER_COLOUR for i, g in enumerate(names)}


def _label_width(results: Results, size: float) -> float:
    longest = max((_text_width(f"{r.rank}  {r.name}", size) for r in results.units), default=40)
    return min(max(longest + 16, 90), 320)


def ranking_svg(results: Results) -> str:
    s = results.scheme
    places = s.meta.decimals
    colours = _grade_colours(results)
    units = results.units
    size = 13.0
    row, top, right, chart = 26, 34, 70, 860
    label = _label_width(results, size)
    scale_max = max([s.meta.total, *[r.total for r in units]])
    width = label + chart + right
    height = top + row * len(units) + 12

    def x(v: Decimal) -> float:
        return label + float(v / scale_max) * chart if scale_max else label

    parts = [f'<svg class="chart" viewBox="0 0 {_n(width)} {height}" width="{_n(width)}" height="{height}" '
             f'role="img" aria-label="总分排名图">', "<title>总分排名</title>"]
    for g in s.grades:
        if g.min <= 0:
            continue
        gx = x(g.min)
        parts.append(f'<line class="grid" x1="{_n(gx)}" y1="{top - 8}" x2="{_n(gx)}" y2="{height - 8}"/>')
        parts.append(f'<text class="axis" x="{_n(gx)}" y="{top - 14}" text-anchor="middle">'
                     f'{esc(g.name)}≥{esc(g.min)}</text>')
    parts.append(f'<line class="base" x1="{_n(label)}" y1="{top - 8}" x2="{_n(label)}" y2="{height - 8}"/>')
    for i, r in enumerate(units):
        y = top + i * row
        colour = colours.get(r.grade or "", OTHER_COLOUR)
        bw = max(x(r.total) - label, 0.0)
        tip = f"第{r.rank}名 {r.name}：{fixed(r.total, places)}分，{r.grade or ''}"
        parts.append(f'<g class="bar"><title>{esc(tip)}</title>')
        parts.append(f'<text class="label" x="{_n(label - 8)}" y="{y + 17}" text-anchor="end">'
                     f'<tspan class="rank">{esc(r.rank)}</tspan>  {esc(r.name)}</text>')
        parts.append(f'<rect x="{_n(label)}" y="{y + 4}" width="{_n(bw)}" height="{row - 8}" rx="2" '
                     f'fill="{colour}"/>')
        marks = " ⚑" if r.vetoes else ""
        parts.append(f'<text class="value" x="{_n(label + bw + 6)}" y="{y + 17}">'
                     f'{esc(fixed(r.total, places))}{marks}</text></g>')
    parts.append("</svg>")
    return "\n".join(parts)


def _heat_colour(t: float) -> str:
    t = min(max(t, 0.0), 1.0)
    for (t0, c0), (t1, c1) in itertools.pairwise(HEAT_STOPS):
        if t <= t1:
            f = (t - t0) / (t1 - t0) if t1 > t0 else 0.0
            rgb = [round(a + (b - a) * f) for a, b in zip(c0, c1, strict=True)]
            return "#" + "".join(f"{v:02x}" for v in rgb)
    return "#{:02x}{:02x}{:02x}".format(*HEAT_STOPS[-1][1])


def _wrap(text: str, width: int) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if cur and wcswidth(cur + ch) > width:
            lines.append(cur)
            cur = ""
        cur += ch
    return [*lines, cur] if cur else lines


def heatmap_svg(results: Results) -> str:
    s = results.scheme
    places = s.meta.decimals
    units = results.units
    cats = s.categories
    label = _label_width(results, 13.0)
    col, row = 78, 26
    ratios: dict[tuple[str, str], tuple[Decimal, Decimal] | None] = {}
    for r in units:
        for c in cats:
            full = category_full(c, r, s)
            ratios[(r.entity, c.id)] = (r.categories[c.id], full) if full else None
    known = [float(v[0] / v[1]) for v in ratios.values() if v is not None]
    lo = min([*known, 0.9])
    heads = [_wrap(c.name, 12)[:3] for c in cats]
    head_h = 16 * max((len(h) for h in heads), default=1) + 22
    width = max(label + col * len(cats) + 10, label + 460)  # room for the legend on narrow maps
    legend_y = head_h + row * len(units) + 14
    height = legend_y + 40
    parts = [f'<svg class="chart" viewBox="0 0 {_n(width)} {height}" width="{_n(width)}" height="{height}" '
             f'role="img" aria-label="各类别得分率热力图">', "<title>各类别得分率</title>",
             '<defs><linearGradient id="heat-legend" x1="0" x2="1" y1="0" y2="0">']
    for t, rgb in HEAT_STOPS:
        parts.append(f'<stop offset="{_n(t * 100)}%" stop-color="#{rgb[0]:02x}{rgb[1]:02x}{rgb[2]:02x}"/>')
    parts.append("</linearGradient></defs>")
    for j, (c, lines) in enumerate(zip(cats, heads, strict=True)):
        cx = label + j * col + col / 2
        parts.append(f'<text class="head" x="{_n(cx)}" y="16" text-anchor="middle"><title>{esc(c.id)} {esc(c.name)}'
                     f'</title>')
        for k, line in enumerate(lines):
            parts.append(f'<tspan x="{_n(cx)}" dy="{0 if k == 0 else 16}">{esc(line)}</tspan>')
        full = c.scale_to if c.scale_to is not None else c.points
        parts.append(f'<tspan class="sub" x="{_n(cx)}" dy="16">满分{esc(fixed(full, 0) if full == full.to_integral_value() else full)}'
                     f'</tspan></text>')
    for i, r in enumerate(units):
        y = head_h + i * row
        parts.append(f'<text class="label" x="{_n(label - 8)}" y="{y + 17}" text-anchor="end">'
                     f'<tspan class="rank">{esc(r.rank)}</tspan>  {esc(r.name)}</text>')
        for j, c in enumerate(cats):
            cx = label + j * col
            v = ratios[(r.entity, c.id)]
            if v is None:
                fill, text, tip = "#eeeeee", "—", f"{r.name} · {c.name}：不适用"
                dark = False
            else:
                score, full = v
                ratio = float(score / full)
                t = (1 - ratio) / (1 - lo) if lo < 1 else 0.0
                fill, text = _heat_colour(t), fixed(score, places)
                tip = f"{r.name} · {c.name}：{fixed(score, places)}/{fixed(full, places)}分，得分率{ratio * 100:.1f}%"
                dark = t > 0.75
            parts.append(f'<g><title>{esc(tip)}</title><rect x="{_n(cx + 1)}" y="{y + 1}" width="{col - 2}" '
                         f'height="{row - 2}" fill="{fill}"/><text class="cell{" dark" if dark else ""}" '
                         f'x="{_n(cx + col / 2)}" y="{y + 17}" text-anchor="middle">{esc(text)}</text></g>')
    lx = label
    parts.append(f'<text class="axis" x="{_n(lx)}" y="{legend_y + 10}">得分率：</text>')
    gx = lx + 60
    parts.append(f'<rect x="{_n(gx)}" y="{legend_y}" width="200" height="12" fill="url(#heat-legend)"/>')
    parts.append(f'<text class="axis" x="{_n(gx)}" y="{legend_y + 28}" text-anchor="start">100%</text>')
    parts.append(f'<text class="axis" x="{_n(gx + 200)}" y="{legend_y + 28}" text-anchor="end">'
                 f'{lo * 100:.1f}%及以下</text>')
    parts.append(f'<text class="axis" x="{_n(gx + 215)}" y="{legend_y + 10}">灰色为不适用；数字为类别得分</text>')
    parts.append("</svg>")
    return "\n".join(parts)


CSS = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9dee5; --head: #eef2f7; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0; background: #f6f8fa; line-height: 1.6; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 26px; margin: 4px 0 6px; text-align: center; letter-spacing: 1px; }
h2 { font-size: 20px; border-left: 5px solid #b71c1c; padding-left: 10px; margin: 32px 0 12px; }
h3 { font-size: 16px; margin: 16px 0 6px; }
p.meta { text-align: center; color: var(--muted); margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 16px; min-width: 150px; }
.card .k { color: var(--muted); font-size: 13px; }
.card .v { font-size: 22px; font-weight: bold; }
.chip { display: inline-block; white-space: nowrap; padding: 1px 10px; border-radius: 12px; color: #fff; font-size: 13px; margin-right: 4px; }
.legend { margin: 4px 0 0; font-size: 13px; color: var(--muted); }
.figure { overflow-x: auto; }
svg.chart { max-width: 100%; height: auto; display: block; font-family: FONTS; }
svg text { font-family: FONTS; fill: var(--ink); }
svg .label { font-size: 13px; }
svg .rank { fill: var(--muted); }
svg .value { font-size: 12px; font-weight: bold; }
svg .axis { font-size: 11px; fill: var(--muted); }
svg .head { font-size: 12px; font-weight: bold; }
svg .head .sub { font-weight: normal; fill: var(--muted); font-size: 11px; }
svg .cell { font-size: 12px; }
svg .cell.dark { fill: #fff; }
svg .grid { stroke: #9aa5b1; stroke-dasharray: 4 3; }
svg .base { stroke: #52606d; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: var(--head); white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nw { white-space: nowrap; }
td.item { min-width: 12em; }
td.it { min-width: 9em; }
table.compact { width: auto; min-width: 480px; }
td.minus { color: #b71c1c; } td.plus { color: #2e7d32; }
details.unit { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; }
details.unit > summary { cursor: pointer; padding: 8px 12px; background: #fafbfc; font-size: 15px; }
details.unit[open] > summary { border-bottom: 1px solid var(--line); }
details.unit .body { padding: 4px 14px 10px; }
summary .rank { color: var(--muted); display: inline-block; min-width: 4em; }
summary .name { font-weight: bold; margin-right: 10px; }
summary .total { font-weight: bold; margin-right: 8px; }
summary .lost { color: var(--muted); font-size: 13px; margin-left: 8px; }
.veto { display: inline-block; background: #b71c1c; color: #fff; border-radius: 3px; padding: 0 6px; font-size: 12px; margin-left: 4px; }
.note { color: var(--muted); font-size: 13px; }
.ok { color: #2e7d32; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .figure { overflow: visible; break-inside: avoid; }
  svg.chart { break-inside: avoid; }
  details.unit { break-inside: auto; border: none; border-top: 1px solid var(--line); border-radius: 0; }
  details.unit > summary { list-style: none; background: none; break-after: avoid; }
  details.unit > summary::-webkit-details-marker { display: none; }
  details::details-content { content-visibility: visible; display: block; }
  tr, .card { break-inside: avoid; }
  thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".replace("FONTS", FONTS)

# Closed <details> do not print in every browser: open them all just before printing (inline, no library).
PRINT_SCRIPT = ("window.addEventListener('beforeprint', function () {"
                " document.querySelectorAll('details').forEach(function (d) { d.open = true; }); });")


def _grade_chip(grade: str | None, colours: dict[str, str]) -> str:
    g = grade or "未评定"
    return f'<span class="chip" style="background:{colours.get(g, OTHER_COLOUR)}">{esc(g)}</span>'


def _overview(sm: Summary, colours: dict[str, str]) -> str:
    p = sm.places
    cards = [("考核单位", f"{sm.count}个"), ("平均分", fixed(sm.average, p) if sm.average is not None else "—")]
    if sm.best:
        cards.append(("最高分", f"{'、'.join(r.name for r in sm.best)} {fixed(sm.best[0].total, p)}"))
    if sm.worst:
        cards.append(("最低分", f"{'、'.join(r.name for r in sm.worst)} {fixed(sm.worst[0].total, p)}"))
    out = ['<div class="cards">']
    out += [f'<div class="card"><div class="k">{esc(k)}</div><div class="v">{esc(v)}</div></div>' for k, v in cards]
    out.append("</div>")
    out.append("<h3>等次分布</h3><table><thead><tr><th>等次</th><th class=\"num\">单位数</th><th>单位（按名次）</th>"
               "</tr></thead><tbody>")
    for g, members in sm.grades:
        names = "、".join(f"{r.name}（{fixed(r.total, p)}）" for r in members) or "无"
        out.append(f"<tr><td>{_grade_chip(g, colours)}</td><td class=\"num\">{len(members)}</td>"
                   f"<td>{esc(names)}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _losses(sm: Summary) -> str:
    if not sm.losses:
        return '<p class="ok">所有单位各项目均未失分。</p>'
    p = sm.places
    out = ['<table><thead><tr><th>序号</th><th>项目</th><th>条款</th><th class="num">满分</th>'
           '<th class="num">失分单位数</th><th class="num">合计失分</th><th>失分单位</th></tr></thead><tbody>']
    for i, x in enumerate(sm.losses[:TOP_ITEMS], 1):
        out.append(f'<tr><td class="num">{i}</td><td class="item">{esc(x.item.id)} {esc(x.item.name)}</td>'
                   f'<td class="nw">{esc(x.item.clause or "")}</td><td class="num">{esc(unsigned_text(x.item.points, p))}</td>'
                   f'<td class="num">{x.count}</td><td class="num">{esc(fixed(x.lost, p))}</td>'
                   f'<td>{esc("、".join(r.name for r in x.units))}</td></tr>')
    out.append("</tbody></table>")
    if len(sm.losses) > TOP_ITEMS:
        out.append(f'<p class="note">共{len(sm.losses)}个项目有单位失分，此处列出前{TOP_ITEMS}个；'
                   f'全部见各单位说明和 results.xlsx。</p>')
    return "\n".join(out)


def _vetoes(sm: Summary) -> str:
    if not sm.vetoed:
        return '<p class="ok">没有单位触发否决或限制评优。</p>'
    out = ['<table><thead><tr><th>单位</th><th>否决事项</th><th>处理</th><th>条款</th><th>情形</th><th>依据数据</th>'
           '</tr></thead><tbody>']
    for r, marks in sm.vetoed:
        for m in marks:
            out.append(f'<tr><td class="nw">{esc(r.name)}</td><td>{esc(m.name)}</td><td>{esc(m.effect)}</td>'
                       f'<td class="nw">{esc(m.clause or "")}</td><td>{esc(m.reason)}</td><td>{esc(m.evidence)}</td></tr>')
    out.append("</tbody></table>")
    return "\n".join(out)


def _event_rows(results: Results, events: list[Event], label: str, rowspan_first: str) -> list[str]:
    s = results.scheme
    p = s.meta.decimals
    rows = []
    for k, e in enumerate(events):
        cls = "minus" if e.points < 0 else "plus"
        first = (f'<td rowspan="{len(events)}" class="it">{label}</td>{rowspan_first}' if k == 0 else "")
        rows.append(f'<tr>{first}<td class="num {cls}">{esc(points_text(e.points, p))}</td>'
                    f"<td>{esc(e.reason)}</td><td class=\"nw\">{esc(e.clause or '')}</td>"
                    f"<td>{esc(evidence_text(e.evidence, s))}</td><td>{esc(e.scorer or '')}</td></tr>")
    return rows


def _unit(results: Results, r: UnitResult, colours: dict[str, str]) -> str:
    s = results.scheme
    p = s.meta.decimals
    marks = veto_marks(results, r)
    lost_items = [(it, item_lost(it, r)) for it in s.items]
    losing = [(it, d) for it, d in lost_items if d is not None and d > 0]
    lost_sum = sum((d for _, d in losing), ZERO)
    badge = "".join(f'<span class="veto">{esc(m.name)}</span>' for m in marks)
    out = [f'<details class="unit" id="unit-{esc(r.entity)}"><summary><span class="rank">第{esc(r.rank)}名</span>'
           f'<span class="name">{esc(r.name)}</span><span class="total">{esc(fixed(r.total, p))}分</span>'
           f'{_grade_chip(r.grade, colours)}{badge}'
           f'<span class="lost">{len(losing)}个项目失分，共失{esc(fixed(lost_sum, p))}分</span></summary>'
           '<div class="body">']
    out.append(f'<p>编号 {esc(r.entity)}；基础分 {esc(fixed(r.base, p))}，加分 {esc(fixed(r.bonus, p))}，'
               f'扣分 {esc(fixed(r.penalty, p))}，总分 {esc(fixed(r.total, p))}。</p>')
    for note in r.grade_notes:
        out.append(f'<p class="note">等次说明：{esc(note)}</p>')
    for m in marks:
        out.append(f'<p><span class="veto">否决</span> {esc(m.name)}（{esc(m.effect)}）：{esc(m.reason)}'
                   f'{"〔" + esc(m.clause) + "〕" if m.clause else ""}'
                   f'{"；依据数据：" + esc(m.evidence) if m.evidence else ""}</p>')
    out.append('<h3>各类别得分</h3><table class="compact"><thead><tr><th>类别</th><th class="num">得分</th><th class="num">满分</th>'
               '<th class="num">得分率</th></tr></thead><tbody>')
    for c in s.categories:
        full = category_full(c, r, s)
        if full is None:
            out.append(f"<tr><td>{esc(c.id)} {esc(c.name)}</td><td class=\"num\">—</td><td class=\"num\">—</td>"
                       "<td class=\"num\">不适用</td></tr>")
            continue
        score = r.categories[c.id]
        rate = f"{float(score / full) * 100:.1f}%" if full else "—"
        out.append(f'<tr><td>{esc(c.id)} {esc(c.name)}</td><td class="num">{esc(fixed(score, p))}</td>'
                   f'<td class="num">{esc(fixed(full, p))}</td><td class="num">{rate}</td></tr>')
    out.append("</tbody></table>")
    head = ('<table><thead><tr><th>项目</th><th class="num">得分/满分</th><th class="num">分值变动</th><th>理由</th>'
            '<th>条款</th><th>依据数据</th><th>评分单位</th></tr></thead><tbody>')
    if losing:
        out.append("<h3>失分项目和理由</h3>" + head)
        for it, _d in losing:
            events = [e for e in r.events if e.item == it.id]
            got = r.items[it.id]
            label = f"{esc(it.id)} {esc(it.name)}"
            shown = f'<td class="num" rowspan="{max(len(events), 1)}">{esc(unsigned_text(got or ZERO, p))}/' \
                    f'{esc(unsigned_text(it.points, p))}</td>'
            if events:
                out += _event_rows(results, events, label, shown)
            else:
                out.append(f"<tr><td>{label}</td>{shown}<td></td><td>未记录扣分事件</td><td></td><td></td><td></td></tr>")
        out.append("</tbody></table>")
    else:
        out.append('<p class="ok">各项目均未失分。</p>')
    na = [(it, r.not_applicable.get(it.id, "不适用")) for it in s.items if r.items.get(it.id) is None]
    if na:
        out.append("<h3>不适用的项目</h3><ul>")
        out += [f"<li>{esc(it.id)} {esc(it.name)}：{esc(why)}</li>" for it, why in na]
        out.append("</ul>")
    other = [e for e in r.events if e.item is None]
    if other:
        out.append("<h3>加分、扣分项、封顶和折算</h3>" + head.replace("<th class=\"num\">得分/满分</th>", ""))
        for e in other:
            out += _event_rows(results, [e], esc(e.category or e.rule), "")
        out.append("</tbody></table>")
    out.append("</div></details>")
    return "\n".join(out)


def _problems(results: Results) -> str:
    items = results.problems.items
    if not items:
        return '<p class="ok">未发现数据问题。</p>'
    names = {r.entity: r.name for r in results.units}
    out = ['<table><thead><tr><th class="num">序号</th><th>级别</th><th>位置</th><th>单位</th><th>说明</th></tr>'
           "</thead><tbody>"]
    for i, pr in enumerate(items, 1):
        unit = f"{names.get(pr.entity, '')}（{pr.entity}）" if pr.entity else ""
        out.append(f'<tr><td class="num">{i}</td><td>{esc(problem_level(pr))}</td><td>{esc(pr.where())}</td>'
                   f"<td>{esc(unit)}</td><td>{esc(pr.message)}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render_html(results: Results) -> str:
    s = results.scheme
    sm = summarise(results)
    colours = _grade_colours(results)
    legend = " ".join(f'{_grade_chip(g, colours)}' for g, _ in sm.grades)
    title = f"{base_title(s)}结果"
    body = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="meta">共考核{sm.count}个单位，满分{esc(unsigned_text(s.meta.total, 0))}分'
        f'{"，另计加分、扣分项" if s.bonuses or s.penalties else ""}</p>',
        '<section id="overview"><h2>一、总体情况</h2>', _overview(sm, colours), "</section>",
        '<section id="ranking"><h2>二、总分排名</h2><div class="figure">', ranking_svg(results), "</div>",
        f'<p class="legend">颜色表示等次：{legend}；虚线为等次分数线；⚑ 表示触发否决或限制评优。</p></section>',
        '<section id="heatmap"><h2>三、各类别得分率</h2><div class="figure">', heatmap_svg(results), "</div></section>",
        '<section id="losses"><h2>四、失分较多的项目</h2>', _losses(sm), "</section>",
        '<section id="vetoes"><h2>五、否决和限制评优</h2>', _vetoes(sm), "</section>",
        '<section id="units"><h2>六、各单位得分和失分理由</h2>'
        '<p class="note">点击单位名称展开；打印时全部展开。</p>',
        *[_unit(results, r, colours) for r in results.units], "</section>",
        '<section id="problems"><h2>七、数据问题</h2>', _problems(results), "</section>",
        f"<footer>依据：{esc(s.meta.title)}（{esc(s.file)}）。本报告由 assess 根据评分结果生成，"
        "只读取评分结果，不重新计算分数。</footer>",
    ]
    return ("<!DOCTYPE html>\n"
            '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(body)
            + f"\n</main>\n<script>{PRINT_SCRIPT}</script>\n</body>\n</html>\n")

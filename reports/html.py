"""The offline HTML report (report.html): the page, its summary tables and each unit's details.

Government networks are often offline, so the page is one self-contained file: nothing is fetched, no web
fonts, no scripts or styles from another host. Every string that comes from criteria or data is escaped.
The parts that change for other reasons are apart: the SVG charts in reports.html_charts, the stylesheet
and print script in reports.html_style, escaping and grade colours in reports.html_base.
"""

from __future__ import annotations

import re
from decimal import Decimal

from reports.html_base import OTHER_COLOUR, esc, grade_colours
from reports.html_charts import heatmap_svg, ranking_svg
from reports.html_style import CSS, PRINT_SCRIPT
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
from scoring.selfscore import self_score_diff
from scoring.totals import UnitResult

TOP_ITEMS = 10


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
    out = ['<table class="stack"><thead><tr><th>序号</th><th>项目</th><th>条款</th><th class="num">满分</th>'
           '<th class="num">失分单位数</th><th class="num">合计失分</th><th>失分单位</th></tr></thead><tbody>']
    for i, x in enumerate(sm.losses[:TOP_ITEMS], 1):
        out.append(f'<tr><td class="num" data-label="序号">{i}</td>'
                   f'<td class="item" data-label="项目">{esc(x.item.id)} {esc(x.item.name)}</td>'
                   f'<td class="nw" data-label="条款">{esc(x.item.clause or "")}</td>'
                   f'<td class="num" data-label="满分">{esc(unsigned_text(x.item.points, p))}</td>'
                   f'<td class="num" data-label="失分单位数">{x.count}</td>'
                   f'<td class="num" data-label="合计失分">{esc(fixed(x.lost, p))}</td>'
                   f'<td data-label="失分单位">{esc("、".join(r.name for r in x.units))}</td></tr>')
    out.append("</tbody></table>")
    if len(sm.losses) > TOP_ITEMS:
        out.append(f'<p class="note">共{len(sm.losses)}个项目有单位失分，此处列出前{TOP_ITEMS}个；'
                   f'全部见各单位说明和 results.xlsx。</p>')
    return "\n".join(out)


def _vetoes(sm: Summary) -> str:
    if not sm.vetoed:
        return '<p class="ok">没有单位触发否决或限制评优。</p>'
    out = ['<table class="stack"><thead><tr><th>单位</th><th>否决事项</th><th>处理</th><th>条款</th><th>情形</th>'
           '<th>依据数据</th></tr></thead><tbody>']
    for r, marks in sm.vetoed:
        for m in marks:
            out.append(f'<tr><td class="nw" data-label="单位">{esc(r.name)}</td><td data-label="否决事项">{esc(m.name)}</td>'
                       f'<td data-label="处理">{esc(m.effect)}</td><td class="nw" data-label="条款">{esc(m.clause or "")}</td>'
                       f'<td data-label="情形">{esc(m.reason)}</td><td data-label="依据数据">{esc(m.evidence)}</td></tr>')
    out.append("</tbody></table>")
    return "\n".join(out)


def _event_rows(results: Results, events: list[Event], label: str, rowspan_first: str) -> list[str]:
    """One row per event; the item (and its scores) spans the rows. On a phone each row is a card (CSS), and the
    item's name heads the first card of the item."""
    s = results.scheme
    p = s.meta.decimals
    rows = []
    for k, e in enumerate(events):
        cls = "minus" if e.points < 0 else "plus"
        first = (f'<td rowspan="{len(events)}" class="it" data-label="项目">{label}</td>{rowspan_first}'
                 if k == 0 else "")
        item = s.item(e.item) if e.item else None
        shown = points_text(e.points, p, from_zero=item is not None and item.basis == "zero")
        rows.append(f'<tr>{first}<td class="num {cls}" data-label="分值变动">{esc(shown)}</td>'
                    f'<td class="reason" data-label="理由">{esc(e.reason)}</td>'
                    f"<td class=\"nw\" data-label=\"条款\">{esc(e.clause or '')}</td>"
                    f'<td data-label="依据数据">{esc(evidence_text(e.evidence, s))}</td>'
                    f"<td data-label=\"评分单位\">{esc(e.scorer or '')}</td></tr>")
    return rows


def _unit(results: Results, r: UnitResult, colours: dict[str, str]) -> str:
    s = results.scheme
    p = s.meta.decimals
    marks = veto_marks(results, r)
    lost_items = [(it, item_lost(it, r)) for it in s.items]
    losing = [(it, d) for it, d in lost_items if d is not None and d > 0]
    lost_sum = sum((d for _, d in losing), ZERO)
    badge = "".join(f'<span class="veto">{esc(m.name)}</span>' for m in marks)
    rank = f"第{esc(r.rank)}名" if r.rank is not None else "不排名"
    out = [f'<details class="unit" id="unit-{esc(r.entity)}"><summary><span class="rank">{rank}</span>'
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
    own = bool(r.self_scores)  # the unit gave 自评分: shown beside the office's 考核得分
    own_head = '<th class="num">自评分</th>' if own else ""
    head = (f'<table class="stack"><thead><tr><th>项目</th>{own_head}<th class="num">考核得分/满分</th>'
            '<th class="num">分值变动</th><th>理由</th><th>条款</th><th>依据数据</th><th>评分单位</th></tr></thead><tbody>')
    if losing:
        out.append("<h3>失分项目和理由</h3>" + head)
        for it, _d in losing:
            events = [e for e in r.events if e.item == it.id]
            got = r.items[it.id]
            label = f"{esc(it.id)} {esc(it.name)}"
            span = max(len(events), 1)
            shown = (_own_cell(r.self_scores.get(it.id), span, p) if own else "") + \
                f'<td class="num" rowspan="{span}" data-label="考核得分/满分">{esc(unsigned_text(got or ZERO, p))}/' \
                f'{esc(unsigned_text(it.points, p))}</td>'
            if events:
                out += _event_rows(results, events, label, shown)
            else:
                out.append(f'<tr><td data-label="项目">{label}</td>{shown}<td></td><td class="reason" data-label="理由">'
                           "未记录扣分事件</td><td></td><td></td><td></td></tr>")
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
        out.append("<h3>加分、扣分项、封顶和折算</h3>"
                   + head.replace(own_head + "<th class=\"num\">考核得分/满分</th>", ""))
        for e in other:
            out += _event_rows(results, [e], esc(e.category or e.rule), "")
        out.append("</tbody></table>")
    out.append(_self_score_section(results, r))
    out.append("</div></details>")
    return "\n".join(out)


def _own_cell(own: Decimal | None, span: int, places: int) -> str:
    shown = "未填" if own is None else unsigned_text(own, places)
    return f'<td class="num own" rowspan="{span}" data-label="自评分">{esc(shown)}</td>'


def _self_score_section(results: Results, r: UnitResult) -> str:
    """Every item whose 自评分 differs from the 考核得分 (also where the office gave more): empty without self-scores."""
    if not r.self_scores:
        return ""
    diffs = self_score_diff(results.scheme, r)
    if not diffs:
        return '<h3>自评分与考核得分</h3><p class="ok">各项目自评分与考核得分一致。</p>'
    out = ['<h3>自评分与考核得分不一致的项目</h3><table class="stack"><thead><tr><th>项目</th>'
           '<th class="num">自评分</th><th class="num">考核得分</th><th class="num">差值</th><th>原因</th></tr></thead><tbody>']
    for d in diffs:
        why = "；".join(e["reason"] for e in d["events"]) or d.get("not_applicable") or "未扣分"
        out.append(f'<tr><td data-label="项目">{esc(d["item"])} {esc(d["name"])}</td>'
                   f'<td class="num" data-label="自评分">{esc(d["self"])}</td>'
                   f'<td class="num" data-label="考核得分">{esc(d["office"] or "不适用")}</td>'
                   f'<td class="num" data-label="差值">{esc(d["diff"] or "")}</td>'
                   f'<td class="reason" data-label="原因">{esc(why)}</td></tr>')
    out.append("</tbody></table>")
    return "\n".join(out)


def _problems(results: Results) -> str:
    items = results.problems.items
    if not items:
        return '<p class="ok">未发现数据问题。</p>'
    names = {r.entity: r.name for r in results.units}
    out = ['<table class="stack"><thead><tr><th class="num">序号</th><th>级别</th><th>位置</th><th>单位</th><th>说明</th>'
           "</tr></thead><tbody>"]
    for i, pr in enumerate(items, 1):
        unit = f"{names.get(pr.entity, '')}（{pr.entity}）" if pr.entity else ""
        out.append(f'<tr><td class="num" data-label="序号">{i}</td><td data-label="级别">{esc(problem_level(pr))}</td>'
                   f'<td class="where" data-label="位置">{esc(pr.where())}</td><td data-label="单位">{esc(unit)}</td>'
                   f'<td class="reason" data-label="说明">{esc(pr.message)}</td></tr>')
    out.append("</tbody></table>")
    return "\n".join(out)


def _wrap_tables(html: str) -> str:
    """Each table inside a wrapper that scrolls sideways on a narrow screen (CSS .tablewrap), in one place."""
    return re.sub(r"</table>", "</table></div>", re.sub(r"<table\b", '<div class="tablewrap"><table', html))


def render_html(results: Results) -> str:
    s = results.scheme
    sm = summarise(results)
    colours = grade_colours(results)
    legend = " ".join(f'{_grade_chip(g, colours)}' for g, _ in sm.grades)
    title = f"{base_title(s)}结果"
    body = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="meta">共考核{sm.count}个单位，满分{esc(unsigned_text(s.meta.total, 0))}分'
        f'{"，另计加分、扣分项" if s.bonuses or s.penalties else ""}</p>',
        '<section id="overview"><h2>一、总体情况</h2>', _overview(sm, colours), "</section>",
        '<section id="ranking"><h2>二、总分排名</h2><div class="figure wide-only">', ranking_svg(results), "</div>",
        '<div class="figure narrow-only">', ranking_svg(results, narrow=True), "</div>",
        f'<p class="legend">颜色表示等次：{legend}；虚线为等次分数线；⚑ 表示触发否决或限制评优。</p></section>',
        '<section id="heatmap"><h2>三、各类别得分率</h2><p class="note narrow-only">图较宽，可左右滑动查看。</p>'
        '<div class="figure heat">', heatmap_svg(results), "</div></section>",
        '<section id="losses"><h2>四、失分较多的项目</h2>', _losses(sm), "</section>",
        '<section id="vetoes"><h2>五、否决和限制评优</h2>', _vetoes(sm), "</section>",
        '<section id="units"><h2>六、各单位得分和失分理由</h2>'
        '<p class="note">点击单位名称展开；打印时全部展开。</p>',
        *[_unit(results, r, colours) for r in results.units], "</section>",
        '<section id="problems"><h2>七、数据问题</h2>', _problems(results), "</section>",
        f"<footer>依据：{esc(s.meta.title)}（{esc(s.file)}）。本报告由 assess 根据评分结果生成，"
        "只读取评分结果，不重新计算分数。</footer>",
    ]
    return ("<!DOCTYPE html>\n"  # a table scrolls inside its wrapper: the page itself never scrolls sideways
            '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + _wrap_tables("\n".join(body))
            + f"\n</main>\n<script>{PRINT_SCRIPT}</script>\n</body>\n</html>\n")

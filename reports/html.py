"""The offline HTML report (report.html): the page, its summary tables and each unit's details.

Government networks are often offline, so the page is one self-contained file: nothing is fetched, no web
fonts, no scripts or styles from another host. Every string that comes from criteria or data is escaped.
The parts that change for other reasons are apart: the SVG charts in reports.html_charts, the stylesheet
and print script in reports.html_style, escaping and grade colours in reports.html_base.
"""

from __future__ import annotations

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
    colours = grade_colours(results)
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

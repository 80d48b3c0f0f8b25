"""The two charts of report.html, the total-score ranking and the category heat map, drawn as inline SVG.

They are drawn here rather than by a charting library so the page stays one offline file with nothing to load.
Text widths are estimated from character widths (wcwidth: a CJK character counts double), since there is
no font at hand to measure with.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from wcwidth import wcswidth

from reports.html_base import OTHER_COLOUR, esc, grade_colours
from reports.summary import category_full, fixed
from scoring.pipeline import Results

HEAT_STOPS = [(0.0, (232, 245, 233)), (0.5, (255, 224, 130)), (1.0, (211, 47, 47))]


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text_width(text: str, size: float) -> float:
    w = wcswidth(text)
    return (w if w >= 0 else len(text) * 2) * size * 0.55



def _label_width(results: Results, size: float) -> float:
    longest = max((_text_width(f"{r.rank}  {r.name}", size) for r in results.units), default=40)
    return min(max(longest + 16, 90), 320)


def ranking_svg(results: Results, narrow: bool = False) -> str:
    """The ranking as bars. `narrow` (a phone): 360 wide, each unit's name above its bar, so that the labels keep
    their size on a 390-px screen whatever the length of the names."""
    if narrow:
        return _ranking_narrow(results)
    s = results.scheme
    places = s.meta.decimals
    colours = grade_colours(results)
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
        tip = f"{f'第{r.rank}名' if r.rank is not None else '不排名'} {r.name}：{fixed(r.total, places)}分，{r.grade or ''}"
        parts.append(f'<g class="bar"><title>{esc(tip)}</title>')
        parts.append(f'<text class="label" x="{_n(label - 8)}" y="{y + 17}" text-anchor="end">'
                     f'<tspan class="rank">{esc(r.rank if r.rank is not None else "—")}</tspan>  {esc(r.name)}</text>')
        parts.append(f'<rect x="{_n(label)}" y="{y + 4}" width="{_n(bw)}" height="{row - 8}" rx="2" '
                     f'fill="{colour}"/>')
        marks = " ⚑" if r.vetoes else ""
        parts.append(f'<text class="value" x="{_n(label + bw + 6)}" y="{y + 17}">'
                     f'{esc(fixed(r.total, places))}{marks}</text></g>')
    parts.append("</svg>")
    return "\n".join(parts)


def _ranking_narrow(results: Results) -> str:
    s = results.scheme
    places = s.meta.decimals
    colours = grade_colours(results)
    units = results.units
    row, top, width, right = 40, 42, 360, 64
    chart = width - right - 4
    scale_max = max([s.meta.total, *[r.total for r in units]])
    height = top + row * len(units) + 6

    def x(v: Decimal) -> float:
        return 2 + float(v / scale_max) * chart if scale_max else 2.0

    parts = [f'<svg class="chart narrow" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="总分排名图">', "<title>总分排名</title>"]
    for k, g in enumerate(gr for gr in s.grades if gr.min > 0):  # labels staggered: the lines are close here
        gx = x(g.min)
        parts.append(f'<line class="grid" x1="{_n(gx)}" y1="{top - 8}" x2="{_n(gx)}" y2="{height - 4}"/>')
        parts.append(f'<text class="axis" x="{_n(gx)}" y="{top - 12 - 13 * (k % 2)}" text-anchor="middle">'
                     f'{esc(g.name)}≥{esc(g.min)}</text>')
    for i, r in enumerate(units):
        y = top + i * row
        colour = colours.get(r.grade or "", OTHER_COLOUR)
        bw = max(x(r.total) - 2, 0.0)
        tip = f"第{r.rank}名 {r.name}：{fixed(r.total, places)}分，{r.grade or ''}"
        marks = " ⚑" if r.vetoes else ""
        parts.append(f'<g class="bar"><title>{esc(tip)}</title>')
        parts.append(f'<text class="label" x="2" y="{y + 12}"><tspan class="rank">{esc(r.rank)}</tspan>  '
                     f'{esc(r.name)}</text>')
        parts.append(f'<rect x="2" y="{y + 17}" width="{_n(bw)}" height="14" rx="2" fill="{colour}"/>')
        parts.append(f'<text class="value" x="{_n(2 + bw + 6)}" y="{y + 29}">{esc(fixed(r.total, places))}{marks}</text></g>')
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
                     f'<tspan class="rank">{esc(r.rank if r.rank is not None else "—")}</tspan>  {esc(r.name)}</text>')
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

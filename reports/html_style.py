"""The stylesheet and the one inline script of report.html, apart from the code that writes its content.

Both are inlined into the page because government networks are often offline: nothing may be fetched
from another host, not even fonts, so Chinese is rendered with whichever system CJK font is found first.
"""

from __future__ import annotations

FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
         '"微软雅黑", "WenQuanYi Micro Hei", "SimHei", "Noto Sans SC", sans-serif')

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

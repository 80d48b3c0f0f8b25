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
.tablewrap { overflow-x: auto; max-width: 100%; }
.narrow-only { display: none; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; border-top: 1px solid var(--line); padding-top: 8px; }
/* A phone (390 px): no sideways scrolling of the page. Tables with long text become one card per row, each cell
   headed by its column name (data-label); the ranking chart is drawn narrow; the wide heat map scrolls inside its
   box at full size, so its labels keep their 13 px. */
@media screen and (max-width: 640px) {
  main { padding: 12px 12px 32px; }
  h1 { font-size: 21px; }
  h2 { font-size: 18px; margin-top: 24px; }
  .card { min-width: 0; flex: 1 1 40%; padding: 8px 10px; }
  .wide-only { display: none; }
  .narrow-only { display: block; }
  .figure.heat svg.chart { max-width: none; }
  table.compact { min-width: 0; width: 100%; }
  td.item, td.it { min-width: 0; }
  td.nw { white-space: normal; }
  details.unit > summary { font-size: 14px; padding: 8px; }
  details.unit .body { padding: 4px 8px 10px; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack thead { display: none; }
  table.stack { border: none; }
  table.stack tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 8px; padding: 4px 0; }
  table.stack td { border: none; padding: 2px 10px; text-align: left; white-space: normal; }
  table.stack td:empty { display: none; }
  table.stack td[data-label]::before { content: attr(data-label) "："; color: var(--muted); font-size: 12px; }
  table.stack td.it, table.stack td.item { font-weight: bold; background: var(--head); }
  table.stack td.reason { font-size: 14px; }
  table.stack td.where { word-break: break-all; }
}
@page {
  size: A4 landscape; margin: 12mm 12mm 16mm;
  @bottom-center { content: "第 " counter(page) " 页，共 " counter(pages) " 页"; font-size: 9pt; color: #616e7c; }
}
@media print {
  .tablewrap { overflow: visible; }
  .narrow-only { display: none !important; }
  .wide-only { display: block !important; }
  .figure.heat svg.chart { max-width: 100%; }
  table { break-inside: auto; }
  h3 { break-after: avoid; }
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

"""Terminal tables and CSV of results. Chinese text is aligned by display width (wcwidth).

The CSV is opened in Excel: a text cell that would run as a formula is neutralised (`common.formulas`)."""

from __future__ import annotations

import csv
import io

from common import numbers
from common.formulas import csv_row
from scoring.pipeline import Results


def ranking_rows(results: Results) -> tuple[list[str], list[list[str]]]:
    s = results.scheme
    places = s.meta.decimals
    headers = ["名次", "编号", "单位", "总分", "等次", "基础分", "加分", "扣分",
               *[f"{c.id} {c.name}" for c in s.categories], "备注"]
    rows = []
    for r in results.units:
        unexplained = [v["name"] for v in r.vetoes if not any(v["name"] in n for n in r.grade_notes)]
        notes = "；".join([*unexplained, *r.grade_notes])
        rows.append([str(r.rank) if r.rank is not None else "不排名", r.entity, r.name, numbers.fixed(r.total, places) or "", r.grade or "",
                     numbers.fixed(r.base, places) or "", numbers.plain(r.bonus) or "0", numbers.plain(r.penalty) or "0",
                     *[numbers.plain(r.categories.get(c.id)) or "—" for c in s.categories], notes])
    return headers, rows


def ranking_table(results: Results) -> str:
    from reports.terminal import fit_table  # here, not at the top: `score -f json` and `-f csv` need no tables

    headers, rows = ranking_rows(results)
    title = f"{results.scheme.meta.title}（{len(results.units)}个单位）"
    return title + "\n" + fit_table(headers, rows, keys=3) + "\n"


def ranking_csv(results: Results) -> str:
    s = results.scheme
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    headers, rows = ranking_rows(results)
    items = s.items
    w.writerow(csv_row([*headers, *[f"{i.id} {i.name}" for i in items]]))
    for r, row in zip(results.units, rows, strict=True):
        w.writerow(csv_row([*row, *[numbers.plain(r.items.get(i.id)) if r.items.get(i.id) is not None else "不适用" for i in items]]))
    return buf.getvalue()

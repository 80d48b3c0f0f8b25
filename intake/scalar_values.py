"""The scalar inputs (填报数据): one value per unit and input, typed, with 不涉及 kept apart.

A values table has one unit a row (CSV, consolidated workbook) or is a per-unit sheet with one input a row
(read transposed); either way each unit must appear exactly once, and every input must have its column.
"""

from __future__ import annotations

from typing import Any

from common.problems import did_you_mean
from intake.cell_problems import Assembly
from intake.columns import default_value, unit_column, units_of
from intake.convert import convert_column, shown
from intake.dataset import Origin
from intake.layout import SHEET_VALUES
from intake.raw import ENTITY_NAME_COLUMNS, SELF_SCORE_PREFIX

Values = dict[str, dict[str, Any]]               # unit -> input -> typed value
NotApplicable = dict[str, set[str]]              # unit -> inputs filled in as 不涉及
Rows = dict[str, tuple[Origin, int]]             # unit -> where its values are (table, row)
Cells = dict[str, dict[str, tuple[Origin, int, str]]]   # unit -> input -> its cell (table, row, column)


def scalar_values(asm: Assembly, ids: list[str]) -> tuple[Values, NotApplicable, Rows, Cells]:
    """Every registered unit's values; a unit without any is reported (and given none)."""
    scalars = asm.scheme.scalar_inputs
    values: Values = {}
    na: NotApplicable = {}
    origin: Rows = {}
    value_cells: Cells = {}
    known = set(ids)
    wanted = {k: v.label for k, v in scalars.items()}
    for t in asm.raw.of("values"):
        ucol = unit_column(t, asm.problems)
        units = units_of(t, ucol)
        headers = [str(c) for c in t.frame.columns if c != ucol]
        hmap = asm.header_map(t, headers, wanted)
        asm.unknown_columns(t, [h for h in headers if h not in hmap and not h.replace("：", ":").startswith(SELF_SCORE_PREFIX)
                                and h.strip() not in ENTITY_NAME_COLUMNS],
                            list(wanted) + [v for v in wanted.values() if v])
        rows_ok: list[int] = []
        for pos, u in enumerate(units):
            if not u:
                asm.unit_cell(t, pos, ucol, None, "单位编号不能为空", "bad-value")
            elif u not in known:
                asm.unit_cell(t, pos, ucol, u, f"单位“{shown(u)}”不在单位名册中{did_you_mean(u, ids)}；"
                              "请更正单位编号，或先在名册中登记该单位", "unknown-unit")
            elif u in values:
                seen = origin[u][0].show(origin[u][1])
                again = "请只保留一份工作簿" if ucol is None else "请只保留一行"
                asm.unit_cell(t, pos, ucol, u, f"单位“{u}”的填报数据出现多次（另见 {seen}），{again}",
                              "duplicate-unit")
            else:
                values[u] = {}
                na[u] = set()
                origin[u] = (t.origin, t.rows[pos])
                rows_ok.append(pos)
        present = set(hmap.values())
        for name, inp in scalars.items():
            if name not in present:
                if (t.template or (inp.default is None and not inp.optional)) and rows_ok:
                    line = "行" if t.cells is not None else "列"
                    blank = "（此项可留空，但模板中的这一" + line + "不能删除）" if t.template and (
                        inp.optional or inp.default is not None) else ""
                    asm.problems.add(f"缺少“{inp.label}”（{name}）{line}{blank}：请按模板补上此{line}",
                                     file=t.origin.file, sheet=t.origin.sheet, row=1, column=inp.label,
                                     code="missing-column")
                for pos in rows_ok:
                    values[units[pos]][name] = default_value(inp.default, inp.type)
        for h, name in hmap.items():
            inp = scalars[name]
            col = t.frame[h].tolist()
            sub = [col[pos] for pos in rows_ok]
            vals, nas, errs = convert_column(
                sub, inp.type, optional=inp.optional, default=inp.default, lo=inp.min, hi=inp.max,
                allowed=inp.values, allow_na=True, required_message=f"“{inp.label}”为必填项，请填写（不适用请填“不涉及”）")
            for e in errs:
                pos = rows_ok[e.pos]
                asm.cell(t, pos, h, e.value, e.message, unit=units[pos])
            for k, pos in enumerate(rows_ok):
                u = units[pos]
                values[u][name] = vals[k]
                if nas[k]:
                    na[u].add(name)
                at_row, at_col = (t.cells[h][0], t.cells[h][1]) if t.cells is not None and h in t.cells \
                    else (t.rows[pos], h)
                value_cells.setdefault(u, {})[name] = (t.origin, at_row, at_col)
    absent = bool(scalars) and bool(ids) and not asm.raw.of("values") and "values" not in asm.raw.unread
    if absent:   # one problem naming the missing table, not one a unit that never says which file
        asm.problems.add(f"数据中没有填报数据表：CSV 数据文件夹应有 values.csv，汇总工作簿应有“{SHEET_VALUES}”工作表；"
                         "请补上（assess template 可生成模板），没有它无法评分", file=asm.raw.where or None,
                         code="missing-values")
    for u in ids:
        if u not in values and ("values" in asm.raw.unread or absent):
            values[u], na[u] = {}, set()   # the file is reported as unreadable: not one problem a unit
        elif u not in values:
            asm.problems.add(f"单位“{u}”没有填报数据：请在填报表中补上该单位的一行（或交回该单位的工作簿）", entity=u,
                             code="unit-without-data")
            values[u] = {}   # blank: only a partial data set (for `assess check`) ever reads it
            na[u] = set()
    return values, na, origin, value_cells

"""Ledgers (台账) and the findings table: many rows a unit, typed column by column into one frame.

Each row keeps where it was written (`_row`, `_file`, `_path`, `_sheet`), so rules, evidence and problems
can point back at it; a ledger's key must not repeat within a unit.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from common.problems import did_you_mean
from intake.cell_problems import Assembly
from intake.columns import column_cells, default_value, unit_column, unit_ids
from intake.convert import convert_cells, is_blank, shown
from intake.dataset import Ledger, Origin
from intake.raw import ENTITY_NAME_COLUMNS
from rules.language.model import Column

NO_RECORDS = "本单位无此类记录"


def says_no_records(frame: pd.DataFrame, ucol: str | None) -> bool:
    """A ledger's one row saying explicitly that the unit has no records: an empty ledger, not a record."""
    cells = [v for c, v in frame.iloc[0].items() if c != ucol and not is_blank(v)]
    return len(cells) == 1 and isinstance(cells[0], str) and cells[0].strip() == NO_RECORDS


def ledger(asm: Assembly, name: str, columns: dict[str, Column], key: str | None, ids: list[str]) -> Ledger:
    """Every table of ledger `name` (or of the findings) in one frame; rows of unknown units left out."""
    parts: list[pd.DataFrame] = []
    distinct_keys = False   # the one table's key column holds no two equal values
    origin = Origin(f"{name}.csv")
    known = set(ids)
    label = "考核扣分记录" if name == "findings" else asm.scheme.inputs[name].label
    for t in asm.raw.of("findings" if name == "findings" else "ledger", None if name == "findings" else name):
        origin = t.origin
        ucol = unit_column(t, asm.problems)
        if len(t.frame) == 1 and says_no_records(t.frame, ucol):
            t = replace(t, frame=t.frame.iloc[0:0], rows=t.rows[0:0])
        units = unit_ids(t, ucol)
        headers = [str(c) for c in t.frame.columns if c != ucol]
        hmap = asm.header_map(t, headers, {c: col.label for c, col in columns.items()})
        asm.unknown_columns(t, [h for h in headers if h not in hmap and h.strip() not in ENTITY_NAME_COLUMNS],
                            list(columns))
        keep = pd.Series(units, dtype=object).isin(known).to_numpy(dtype=bool)   # known units are never blank
        for pos in np.flatnonzero(~keep).tolist():
            u = units[pos]
            if not u:
                asm.unit_cell(t, pos, ucol, None, "单位编号不能为空", "bad-value")
            else:
                asm.unit_cell(t, pos, ucol, u, f"单位“{shown(u)}”不在单位名册中{did_you_mean(u, ids)}；"
                              "请更正单位编号，或先在名册中登记该单位", "unknown-unit")
        frame: dict[str, Any] = {"entity": units}
        present = set(hmap.values())
        for c, col in columns.items():
            if c not in present:
                if name != "findings" and (t.template or (not col.optional and col.default is None)) and (
                        len(units) or t.template):
                    blank = "（此列可留空，但模板中的列不能删除）" if col.optional or col.default is not None else ""
                    asm.problems.add(f"{label}缺少“{c}”列{blank}：请按模板补上此列", file=t.origin.file,
                                     sheet=t.origin.sheet, row=1, column=c, code="missing-column")
                frame[c] = [default_value(col.default, col.type)] * len(units)
        for h, c in hmap.items():
            col = columns[c]
            converted = convert_cells(column_cells(t.frame, h), col.type, optional=col.optional,
                                      default=col.default, lo=col.min, hi=col.max, allowed=col.values,
                                      required_message=f"“{c}”为必填项，请填写", distinct_check=c == key)
            vals, errs = converted.values, converted.errors
            if c == key:
                distinct_keys = converted.distinct
            for e in errs:
                if keep[e.pos]:
                    asm.cell(t, e.pos, h, e.value, e.message, unit=units[e.pos])
            frame[c] = vals
        # object columns: pandas would otherwise infer a string dtype and turn blanks (None) into NaN. Joined
        # side by side without copying: a dict would be consolidated into one 2-D object block, a copy of the
        # whole ledger (at 10M rows: 5 s and 0.6 GiB)
        df = pd.concat([pd.Series(v, name=k, dtype=object, copy=False) for k, v in frame.items()], axis=1)
        rows = t.rows
        # also when empty: concat must not make it float
        df["_row"] = np.arange(rows.start, rows.stop, rows.step, dtype=np.int64) if isinstance(rows, range) \
            else np.array(rows, dtype=np.int64)
        df["_file"] = t.origin.show()
        df["_path"] = t.origin.file
        sheet = np.empty(len(df), dtype=object)
        sheet[:] = t.origin.sheet
        df["_sheet"] = pd.Series(sheet, dtype=object)
        parts.append(df if keep.all() else df[keep])
    cols = ["entity", *columns, "_row", "_file", "_path", "_sheet"]
    if len(parts) == 1:
        df = parts[0]   # reset below; concatenating one frame would only copy it
    else:
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({c: [] for c in cols}, dtype=object)
    if key and len(df) and not (len(parts) == 1 and distinct_keys):   # distinct keys: no duplicate to find
        # a blank key is not a repeated one (a required key already has its own problem, and a key column the
        # user deleted is reported as missing, not as every row repeating the first)
        dup = df.duplicated(subset=["entity", key], keep="first") & df[key].notna().to_numpy()
        firsts = {(e, k): row for e, k, row in df.loc[~dup, ["entity", key, "_row"]].itertuples(index=False)}
        for _, r in df[dup].iterrows():
            first = {"_row": firsts[(r["entity"], r[key])]}
            asm.problems.add(f"{label}中单位“{r['entity']}”的{key}“{shown(r[key])}”重复（第{first['_row']}行已有）；"
                             f"同一单位内{key}不能重复，请删除重复行或更正编号",
                             file=r["_path"], sheet=r["_sheet"], row=int(r["_row"]), column=key, value=r[key],
                             entity=r["entity"], code="duplicate-key")
    return Ledger(df.reset_index(drop=True), origin)

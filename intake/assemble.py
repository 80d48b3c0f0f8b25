"""Turn raw tables (from any reader) into a typed DataSet, reporting every problem with its location.

Readers (CSV folder, Excel workbooks) only find tables and cells; all checking happens here, so
every format reports the same problems in the same words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from common.problems import Problems, did_you_mean
from intake.convert import BadCell, convert_cells, convert_column, is_blank, shown
from intake.dataset import DataSet, Ledger, Origin
from intake.raw import (
    ENTITY_ID_COLUMNS,
    ENTITY_NAME_COLUMNS,
    SELF_SCORE_COLUMN,
    SELF_SCORE_ITEM_COLUMNS,
    SELF_SCORE_PREFIX,
    UNIT_COLUMNS,
    Raw,
    RawTable,
)
from rules.language.model import Column
from rules.language.scheme import FINDINGS_COLUMNS, Scheme


def _header_map(headers: list[str], wanted: Mapping[str, str | None]) -> dict[str, str]:
    """Map written headers to ids: a header may be the id or the label."""
    by_label = {label: key for key, label in wanted.items() if label}
    out: dict[str, str] = {}
    for h in headers:
        hs = str(h).strip()
        if hs in wanted:
            out[h] = hs
        elif hs in by_label:
            out[h] = by_label[hs]
    return out


def _duplicate_headers(headers: list[str], hmap: dict[str, str]) -> list[tuple[str, str, str]]:
    """(first header, second header, id) for two headers naming the same thing (an id and its label)."""
    first: dict[str, str] = {}
    out = []
    for h in headers:
        key = hmap.get(h)
        if key is None:
            continue
        if key in first:
            out.append((first[key], h, key))
        else:
            first[key] = h
    return out


ID_FORBIDDEN = re.compile(r"[\s.\x00-\x1f\x7f/\\]")
MAX_ID_CHARS = 64


def id_problem(uid: str) -> str | None:
    """Why a unit id cannot be used (None when it can): ids name files, cells and results."""
    if len(uid) > MAX_ID_CHARS:
        return f"单位编号过长（{len(uid)}个字符，最多{MAX_ID_CHARS}个）"
    bad = ID_FORBIDDEN.search(uid)
    if bad:
        what = {".": "点号“.”", "/": "斜杠“/”", "\\": "反斜杠“\\”"}.get(bad.group(), "空格或控制字符")
        return f"单位编号“{shown(uid)}”不能含{what}：请只用字母、数字、汉字、“-”或“_”"
    return None


def _unit_column(t: RawTable, problems: Problems, candidates: tuple[str, ...] = UNIT_COLUMNS) -> str | None:
    for c in t.frame.columns:
        if str(c).strip() in candidates:
            return str(c)
    if t.unit is not None:
        return None
    problems.add(f"缺少单位编号列（列名写 {' 或 '.join(candidates)}）", file=t.origin.file, sheet=t.origin.sheet,
                 row=1, code="missing-column")
    return None


def _units_of(t: RawTable, col: str | None) -> list[str]:
    return _unit_ids(t, col).tolist()


def _unit_ids(t: RawTable, col: str | None) -> np.ndarray:
    """The unit of every row (an object array): '' for a blank cell, else the cell's text, stripped."""
    if col is None:
        out = np.empty(len(t.frame), dtype=object)
        out[:] = t.unit or ""
        return out
    cells = _cells(t.frame, col)
    if len(cells) and pd.api.types.infer_dtype(cells, skipna=False) == "string":
        codes, uniques = pd.factorize(cells)   # a ledger names each unit on thousands of rows: strip each once
        texts = np.empty(len(uniques), dtype=object)
        texts[:] = ["" if is_blank(v) else v.strip() for v in uniques]
        return texts[codes]
    out = np.empty(len(cells), dtype=object)
    out[:] = ["" if is_blank(v) else str(v).strip() for v in cells]
    return out


NO_RECORDS = "本单位无此类记录"


def _says_no_records(frame: pd.DataFrame, ucol: str | None) -> bool:
    """A ledger's one row saying explicitly that the unit has no records: an empty ledger, not a record."""
    cells = [v for c, v in frame.iloc[0].items() if c != ucol and not is_blank(v)]
    return len(cells) == 1 and isinstance(cells[0], str) and cells[0].strip() == NO_RECORDS


def _shown_value(value: Any) -> Any:
    """A cell's value as a problem carries it: long texts cut (a 500 MB cell must not be echoed)."""
    return shown(value, 200) if isinstance(value, str) and len(value) > 200 else value


def _cells(frame: pd.DataFrame, col: str) -> np.ndarray:
    """A column's raw cells as an object array (what `convert_column` reads)."""
    return frame[col].to_numpy(dtype=object)


class _Assembler:
    def __init__(self, scheme: Scheme, raw: Raw, problems: Problems):
        self.s = scheme
        self.raw = raw
        self.p = problems
        self.value_cells: dict[str, dict[str, tuple[Origin, int, str]]] = {}   # filled by values()
        self.reported: set[tuple[str, str]] = set()   # (workbook, code) of problems reported once a workbook

    def unit_cell(self, t: RawTable, pos: int, ucol: str | None, value: Any, message: str, code: str) -> None:
        """A problem with a row's unit. In a per-unit workbook the unit is named once, on its 单位信息 sheet:
        the problem is reported there, once for the workbook, not on every row of every sheet."""
        if ucol is None and t.unit_cell is not None:
            key = (t.origin.file, code)
            if key in self.reported:
                return
            self.reported.add(key)
            sheet, row, column = t.unit_cell
            self.p.add(message, file=t.origin.file, sheet=sheet, row=row, column=column, value=_shown_value(value),
                       code=code)
            return
        self.cell(t, pos, ucol or "", value, message, code=code)

    def header_map(self, t: RawTable, headers: list[str], wanted: Mapping[str, str | None]) -> dict[str, str]:
        """`_header_map`, reporting a column given twice (once by id, once by label): neither may win silently."""
        hmap = _header_map(headers, wanted)
        for first, second, key in _duplicate_headers(headers, hmap):
            self.p.add(f"“{second}”与“{first}”是同一项（{key}），只能填写一列：请删除其中一列", file=t.origin.file,
                       sheet=t.origin.sheet, row=1, column=second, code="duplicate-column")
            del hmap[second]
        return hmap

    def cell(self, t: RawTable, pos: int, column: str, value: Any, message: str, *, unit: str | None = None,
             level: str = "error", code: str = "bad-value") -> None:
        row = t.rows[pos]
        if t.cells is not None and column in t.cells:
            row, column, name = t.cells[column]
            if name not in message:
                message = f"“{name}”{message}"
        self.p.add(message, file=t.origin.file, sheet=t.origin.sheet, row=row, column=column,
                   value=None if is_blank(value) else _shown_value(value), entity=unit, level=level,  # type: ignore[arg-type]
                   code=code)

    def entities(self) -> tuple[list[str], dict[str, str], dict[str, dict[str, Any]]]:
        ids: list[str] = []
        names: dict[str, str] = {}
        fields: dict[str, dict[str, Any]] = {}
        tables = self.raw.of("entities")
        if not tables:
            self.p.add("缺少单位名册（entities.csv 或“单位名册”工作表）：请列出所有被考核单位的编号和名称",
                       code="missing-entities")
            return ids, names, fields
        wanted = {f: spec.label for f, spec in self.s.entity_fields.items()}
        for t in tables:
            headers = [str(c) for c in t.frame.columns]
            id_col = next((c for c in headers if c.strip() in ENTITY_ID_COLUMNS), None)
            name_col = next((c for c in headers if c.strip() in ENTITY_NAME_COLUMNS and c != id_col), None)
            if id_col is None:
                self.p.add("单位名册缺少编号列（列名写 id 或 编号）", file=t.origin.file, sheet=t.origin.sheet, row=1,
                           code="missing-column")
                continue
            hmap = self.header_map(t, headers, wanted)
            for f, spec in self.s.entity_fields.items():
                if f not in hmap.values():
                    self.p.add(f"单位名册缺少“{spec.label}”（{f}）列", file=t.origin.file, sheet=t.origin.sheet, row=1,
                               code="missing-column")
            converted: dict[str, np.ndarray] = {}
            for h, f in hmap.items():
                spec = self.s.entity_fields[f]
                vals, _, errs = convert_column(t.frame[h].tolist(), "str", optional=False, allowed=spec.values,
                                               required_message=f"请填写{spec.label}")
                for e in errs:
                    self.cell(t, e.pos, h, e.value, e.message)
                converted[f] = vals
            for pos, raw_id in enumerate(t.frame[id_col].tolist()):
                if is_blank(raw_id):
                    self.cell(t, pos, id_col, raw_id, "单位编号不能为空")
                    continue
                uid = str(raw_id).strip()
                bad = id_problem(uid)
                if bad:
                    self.cell(t, pos, id_col, uid, bad, code="bad-id")
                    continue
                if uid in names:
                    self.cell(t, pos, id_col, uid, f"单位编号“{uid}”重复，每个单位只能出现一次", code="duplicate-unit")
                    continue
                ids.append(uid)
                nm = t.frame[name_col].iloc[pos] if name_col else None
                if isinstance(nm, BadCell):   # a cached error or a formula without result: no name
                    self.cell(t, pos, name_col or "", nm, nm.message)
                names[uid] = uid if is_blank(nm) else str(nm).strip()
                fields[uid] = {f: converted[f][pos] for f in converted}
        return ids, names, fields

    def values(self, ids: list[str]) -> tuple[dict[str, dict[str, Any]], dict[str, set[str]],
                                              dict[str, tuple[Origin, int]]]:
        scalars = self.s.scalar_inputs
        values: dict[str, dict[str, Any]] = {}
        na: dict[str, set[str]] = {}
        origin: dict[str, tuple[Origin, int]] = {}
        known = set(ids)
        wanted = {k: v.label for k, v in scalars.items()}
        for t in self.raw.of("values"):
            ucol = _unit_column(t, self.p)
            units = _units_of(t, ucol)
            headers = [str(c) for c in t.frame.columns if c != ucol]
            hmap = self.header_map(t, headers, wanted)
            self.unknown_columns(t, [h for h in headers if h not in hmap and not h.replace("：", ":").startswith(SELF_SCORE_PREFIX)
                                     and h.strip() not in ENTITY_NAME_COLUMNS],
                                 list(wanted) + [v for v in wanted.values() if v])
            rows_ok: list[int] = []
            for pos, u in enumerate(units):
                if not u:
                    self.unit_cell(t, pos, ucol, None, "单位编号不能为空", "bad-value")
                elif u not in known:
                    self.unit_cell(t, pos, ucol, u, f"单位“{shown(u)}”不在单位名册中{did_you_mean(u, ids)}；"
                                   "请更正单位编号，或先在名册中登记该单位", "unknown-unit")
                elif u in values:
                    seen = origin[u][0].show(origin[u][1])
                    again = "请只保留一份工作簿" if ucol is None else "请只保留一行"
                    self.unit_cell(t, pos, ucol, u, f"单位“{u}”的填报数据出现多次（另见 {seen}），{again}",
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
                        self.p.add(f"缺少“{inp.label}”（{name}）{line}{blank}：请按模板补上此{line}",
                                   file=t.origin.file, sheet=t.origin.sheet, row=1, column=inp.label,
                                   code="missing-column")
                    for pos in rows_ok:
                        values[units[pos]][name] = _default(inp.default, inp.type)
            for h, name in hmap.items():
                inp = scalars[name]
                col = t.frame[h].tolist()
                sub = [col[pos] for pos in rows_ok]
                vals, nas, errs = convert_column(
                    sub, inp.type, optional=inp.optional, default=inp.default, lo=inp.min, hi=inp.max,
                    allowed=inp.values, allow_na=True, required_message=f"“{inp.label}”为必填项，请填写（不适用请填“不涉及”）")
                for e in errs:
                    pos = rows_ok[e.pos]
                    self.cell(t, pos, h, e.value, e.message, unit=units[pos])
                for k, pos in enumerate(rows_ok):
                    u = units[pos]
                    values[u][name] = vals[k]
                    if nas[k]:
                        na[u].add(name)
                    at_row, at_col = (t.cells[h][0], t.cells[h][1]) if t.cells is not None and h in t.cells \
                        else (t.rows[pos], h)
                    self.value_cells.setdefault(u, {})[name] = (t.origin, at_row, at_col)
        for u in ids:
            if u not in values and "values" in self.raw.unread:
                values[u], na[u] = {}, set()   # the file is reported as unreadable: not one problem a unit
            elif u not in values:
                self.p.add(f"单位“{u}”没有填报数据：请在填报表中补上该单位的一行（或交回该单位的工作簿）", entity=u,
                           code="unit-without-data")
                values[u] = {}   # blank: only a partial data set (for `assess check`) ever reads it
                na[u] = set()
        return values, na, origin

    def unknown_columns(self, t: RawTable, headers: list[str], known: list[str]) -> None:
        for h in headers:
            if str(h).startswith("Unnamed") or is_blank(h):
                continue
            hint = did_you_mean(str(h), known)
            if hint:  # a misspelt header: ignoring it would score the default or a blank instead
                self.p.add(f"未知的列“{shown(h)}”{hint}；请改正列名", file=t.origin.file, sheet=t.origin.sheet, row=1,
                           column=shown(h), code="unknown-column")
            else:
                self.p.add(f"未知的列“{shown(h)}”，将被忽略", file=t.origin.file, sheet=t.origin.sheet, row=1,
                           column=shown(h), level="warning", code="unknown-column")

    def ledger(self, name: str, columns: dict[str, Column], key: str | None, ids: list[str]) -> Ledger:
        parts: list[pd.DataFrame] = []
        distinct_keys = False   # the one table's key column holds no two equal values
        origin = Origin(f"{name}.csv")
        known = set(ids)
        label = "考核扣分记录" if name == "findings" else self.s.inputs[name].label
        for t in self.raw.of("findings" if name == "findings" else "ledger", None if name == "findings" else name):
            origin = t.origin
            ucol = _unit_column(t, self.p)
            if len(t.frame) == 1 and _says_no_records(t.frame, ucol):
                t = replace(t, frame=t.frame.iloc[0:0], rows=t.rows[0:0])
            units = _unit_ids(t, ucol)
            headers = [str(c) for c in t.frame.columns if c != ucol]
            hmap = self.header_map(t, headers, {c: col.label for c, col in columns.items()})
            self.unknown_columns(t, [h for h in headers if h not in hmap and h.strip() not in ENTITY_NAME_COLUMNS],
                                 list(columns))
            keep = pd.Series(units, dtype=object).isin(known).to_numpy(dtype=bool)   # known units are never blank
            for pos in np.flatnonzero(~keep).tolist():
                u = units[pos]
                if not u:
                    self.unit_cell(t, pos, ucol, None, "单位编号不能为空", "bad-value")
                else:
                    self.unit_cell(t, pos, ucol, u, f"单位“{shown(u)}”不在单位名册中{did_you_mean(u, ids)}；"
                                   "请更正单位编号，或先在名册中登记该单位", "unknown-unit")
            frame: dict[str, Any] = {"entity": units}
            present = set(hmap.values())
            for c, col in columns.items():
                if c not in present:
                    if name != "findings" and (t.template or (not col.optional and col.default is None)) and (
                            len(units) or t.template):
                        blank = "（此列可留空，但模板中的列不能删除）" if col.optional or col.default is not None else ""
                        self.p.add(f"{label}缺少“{c}”列{blank}：请按模板补上此列", file=t.origin.file,
                                   sheet=t.origin.sheet, row=1, column=c, code="missing-column")
                    frame[c] = [_default(col.default, col.type)] * len(units)
            for h, c in hmap.items():
                col = columns[c]
                converted = convert_cells(_cells(t.frame, h), col.type, optional=col.optional,
                                          default=col.default, lo=col.min, hi=col.max, allowed=col.values,
                                          required_message=f"“{c}”为必填项，请填写", distinct_check=c == key)
                vals, errs = converted.values, converted.errors
                if c == key:
                    distinct_keys = converted.distinct
                for e in errs:
                    if keep[e.pos]:
                        self.cell(t, e.pos, h, e.value, e.message, unit=units[e.pos])
                frame[c] = vals
            # object columns: pandas would otherwise infer a string dtype and turn blanks (None) into NaN
            df = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in frame.items()})
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
            dup = df.duplicated(subset=["entity", key], keep="first")
            for _, r in df[dup].iterrows():
                first = df[(df["entity"] == r["entity"]) & (df[key] == r[key])].iloc[0]
                self.p.add(f"{label}中单位“{r['entity']}”的{key}“{shown(r[key])}”重复（第{first['_row']}行已有）；"
                           f"同一单位内{key}不能重复，请删除重复行或更正编号",
                           file=r["_path"], sheet=r["_sheet"], row=int(r["_row"]), column=key, value=r[key],
                           entity=r["entity"], code="duplicate-key")
        return Ledger(df.reset_index(drop=True), origin)

    def findings_rows(self, ledger: Ledger) -> None:
        """Findings must name a real item, bonus or penalty, and carry one figure."""
        targets = [i.id for i in self.s.items] + [a.id for a in self.s.adjustments()]
        df = ledger.frame
        totals: dict[tuple[str, str], Any] = {}   # (unit, assessed item) -> its figure so far
        for _, r in df.iterrows():
            where = {"file": r["_path"], "sheet": r["_sheet"], "row": int(r["_row"]), "entity": r["entity"]}
            target = r["考核项目"]
            if target not in targets:
                by_name = {i.name: i.id for i in self.s.items} | {a.name: a.id for a in self.s.adjustments()}
                hint = (f"（“{target}”是项目名称，请填写项目编号 {by_name[str(target)]}）" if str(target) in by_name
                        else did_you_mean(str(target), targets))
                self.p.add(f"考核项目“{shown(target)}”不存在{hint}", column="考核项目",
                           value=_shown_value(target), code="unknown-item", **where)
                continue
            figs = [c for c in ("扣分", "得分") if r[c] is not None]
            if len(figs) != 1:
                both = "、".join(f"{c}={r[c]}" for c in ("扣分", "得分") if r[c] is not None) or "均为空"
                self.p.add(f"每行须且只须填写“扣分”或“得分”之一（现为{both}）", column="扣分", value=r["扣分"],
                           code="finding-figure", **where)
                continue
            item = self.s.item(str(target))
            if item is not None and item.assessed is not None:
                a = item.assessed
                col = "扣分" if a.mode == "deduct" else "得分"
                if figs[0] != col:
                    self.p.add(f"项目{target}由评分单位填写“{col}”，不是“{figs[0]}”", column=figs[0], code="finding-figure",
                               **where)
                    continue
                v = r[col]
                key = (str(r["entity"]), str(target))
                if a.mode == "score" and key in totals:
                    self.p.add(f"单位“{r['entity']}”的项目{target}已有一条评定得分记录；评定得分每个单位只能有一条，"
                               "请合并为一条", column=col, value=v, code="finding-duplicate", **where)
                    continue
                totals[key] = v
                # The range bounds each record (one assessor's judgement, “每次扣0.5—2分”); the item's
                # points and cap bound their sum (“扣完为止”).
                if not a.lo <= v <= a.hi:
                    self.p.add(f"项目{target}的{col}应在 {a.lo}—{a.hi} 分之间，实际为{v}", column=col, value=v,
                               code="finding-range", **where)
            elif item is not None and figs[0] == "得分":
                self.p.add(f"项目{target}不是评分单位打分项（assessed），只能填写“扣分”", column="得分", value=r["得分"],
                           code="finding-figure", **where)
            elif item is None:
                want = "得分" if any(b.id == target for b in self.s.bonuses) else "扣分"
                if figs[0] != want:
                    self.p.add(f"{'加分项' if want == '得分' else '扣分项'}{target}应填写“{want}”", column=figs[0],
                               code="finding-figure", **where)

    def self_scores(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        item_ids = {i.id for i in self.s.items}
        for t in self.raw.of("values"):
            ucol = _unit_column(t, Problems())
            units = _units_of(t, ucol)
            for h in t.frame.columns:
                hs = str(h).replace("：", ":")  # a full-width colon is what a Chinese keyboard types
                if not hs.startswith(SELF_SCORE_PREFIX):
                    continue
                item = hs[len(SELF_SCORE_PREFIX):].strip()
                if item not in item_ids:
                    self.p.add(f"自评分列“{hs}”的项目编号“{item}”不存在{did_you_mean(item, sorted(item_ids))}",
                               file=t.origin.file, sheet=t.origin.sheet, row=1, column=hs, level="warning",
                               code="unknown-item")
                    continue
                vals, _, errs = convert_column(t.frame[h].tolist(), "number", optional=True)
                for e in errs:
                    self.cell(t, e.pos, hs, e.value, e.message, level="warning")
                for pos, u in enumerate(units):
                    if u in ids and vals[pos] is not None:
                        out.setdefault(u, {})[item] = vals[pos]
        for t in self.raw.of("self_scores"):
            self.self_score_table(t, ids, out)
        return out

    def self_score_table(self, t: RawTable, ids: list[str], out: dict[str, dict[str, Any]]) -> None:
        """A 自评分 sheet: one row an item (项目编号, 自评分; 单位编号 unless the workbook is one unit's)."""
        items = {i.id: i for i in self.s.items}
        ucol = _unit_column(t, self.p)
        if ucol is None and t.unit is None:
            return
        units = _units_of(t, ucol)
        headers = [str(c) for c in t.frame.columns]
        icol = next((h for h in headers if h.strip() in SELF_SCORE_ITEM_COLUMNS), None)
        scol = next((h for h in headers if h.strip() == SELF_SCORE_COLUMN), None)
        if icol is None or scol is None:
            missing = "、".join(n for n, c in ((SELF_SCORE_ITEM_COLUMNS[0], icol), (SELF_SCORE_COLUMN, scol)) if c is None)
            self.p.add(f"自评分表缺少“{missing}”列，自评分未读取；请按模板填写", file=t.origin.file,
                       sheet=t.origin.sheet, row=1, level="warning", code="missing-column")
            return
        vals, _, errs = convert_column(t.frame[scol].tolist(), "number", optional=True, lo=Decimal(0))
        for e in errs:
            self.cell(t, e.pos, scol, e.value, f"自评分{e.message}，该项自评分未读取", unit=units[e.pos],
                      level="warning")
        known = set(ids)
        for pos, raw_item in enumerate(t.frame[icol].tolist()):
            v = vals[pos]
            if v is None or is_blank(raw_item):
                continue
            u, item_id = units[pos], str(raw_item).strip()
            if u not in known:
                continue   # reported with the unit's other data
            item = items.get(item_id)
            if item is None:
                self.cell(t, pos, icol, raw_item, f"项目编号“{item_id}”不存在{did_you_mean(item_id, sorted(items))}，"
                          "该行自评分未读取", unit=u, level="warning", code="unknown-item")
                continue
            if v > item.points:
                self.cell(t, pos, scol, v, f"自评分{v}超过项目{item_id}的分值{item.points}", unit=u, level="warning",
                          code="self-score-range")
            out.setdefault(u, {})[item_id] = v


def _default(default: Any, typ: str) -> Any:
    if default is None:
        return None
    from intake.convert import convert_one

    try:
        return convert_one(default, typ)
    except ValueError:
        return None


def register(scheme: Scheme, raw: Raw, problems: Problems) -> tuple[list[str], dict[str, str],
                                                                    dict[str, dict[str, Any]]]:
    """Only the register of units (ids, names, entity fields) of a raw data set."""
    return _Assembler(scheme, raw, problems).entities()


def assemble(scheme: Scheme, raw: Raw, problems: Problems, *, partial: bool = False) -> DataSet | None:
    """A typed DataSet, or None when the data have errors (all reported in `problems`).

    With `partial`, the data set is returned even then, its bad cells blank and the rows of unknown units
    left out: `assess check` runs the scheme's checks on it, so that every problem is found in one run.
    """
    before = len(problems.errors)
    a = _Assembler(scheme, raw, problems)
    ids, names, fields = a.entities()
    values, na, origin = a.values(ids)
    ledgers: dict[str, Ledger] = {}
    for name, inp in scheme.tables.items():
        ledgers[name] = a.ledger(name, dict(inp.columns or {}), inp.key, ids)
    ledgers["findings"] = a.ledger("findings", FINDINGS_COLUMNS, None, ids)
    a.findings_rows(ledgers["findings"])
    self_scores = a.self_scores(ids)
    if len(problems.errors) > before and not partial:
        return None
    return DataSet(ids, names, fields, values, na, ledgers, origin, self_scores, dict(raw.files), a.value_cells)


__all__ = ["assemble", "register"]

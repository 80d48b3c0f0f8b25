"""Read the Excel form of a data set: per-unit workbooks, one consolidated workbook, or a mix.

Values only: cells are read by python-calamine (through pandas), which reads the values stored in the
file; a formula is read as the value Excel last computed for it, nothing is evaluated, and the macros of
an .xlsm file are never run (nor even loaded). Sheets are found by name (a ledger by its id or label),
columns by id or label, and the header row may sit under a title row. Every table keeps the user-visible
row numbers and its workbook·sheet, so `intake.assemble` reports problems where the user will look.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

import pandas as pd

from common.problems import Problems, did_you_mean
from intake import paths, xlsxguard
from intake.convert import is_blank
from intake.convert import shown as shown_cell
from intake.dataset import Origin
from intake.layout import (
    IGNORED_SHEETS,
    S_SCORE,
    SHEET_FINDINGS,
    SHEET_REGISTER,
    SHEET_SELF,
    SHEET_UNIT,
    SHEET_VALUES,
    U_KEY,
    U_VALUE,
    V_ID,
    V_LABEL,
    V_VALUE,
    sheet_name,
)
from intake.ledgers import NO_RECORDS
from intake.raw import ENTITY_ID_COLUMNS, ENTITY_NAME_COLUMNS, SELF_SCORE_ITEM_COLUMNS, UNIT_COLUMNS, Raw, RawTable
from intake.sheet_problems import mark_bad_cells, merged_cells, why_unreadable
from rules.language.scheme import FINDINGS_COLUMNS, Scheme

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
HEADER_SCAN_ROWS = 10   # a header may sit under a title or a note: look this far down for it


def is_workbook(path: Path) -> bool:
    return named_workbook(path) and path.is_file()


def named_workbook(path: Path) -> bool:
    """Named like a workbook (whatever it is: a folder or a dangling link so named is reported, not skipped);
    Excel's lock files (~$) and hidden files are not workbooks."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES and not path.name.startswith(("~$", "."))


def _clean_row(row: list[Any]) -> list[Any]:
    """Blank cells (None, NaT, NaN, whitespace) as None, inline (a workbook has tens of thousands of cells)."""
    nat = pd.NaT
    return [None if v is None or v is nat or (isinstance(v, float) and math.isnan(v))
            or (isinstance(v, str) and v.strip() == "") else v for v in row]


class _SheetKinds:
    """Which table a sheet holds, from its name."""

    def __init__(self, scheme: Scheme):
        self.by_name: dict[str, tuple[str, str]] = {
            SHEET_REGISTER: ("entities", ""), "entities": ("entities", ""),
            SHEET_UNIT: ("unit", ""),
            SHEET_VALUES: ("values", ""), "values": ("values", ""),
            SHEET_FINDINGS: ("findings", "findings"), "findings": ("findings", "findings"),
            SHEET_SELF: ("self_scores", ""), "self_scores": ("self_scores", ""),
        }
        for t, inp in scheme.tables.items():
            for n in (t, inp.label, sheet_name(inp.label)):
                self.by_name.setdefault(n, ("ledger", t))
        self.choices = [n for n in self.by_name if not n.isascii()] + list(scheme.tables)

    def of(self, name: str) -> tuple[str, str] | None:
        return self.by_name.get(name.strip())


class _Reader:
    def __init__(self, scheme: Scheme, problems: Problems, raw: Raw, folder: bool = False):
        self.folder = folder   # a folder of workbooks (the office's collection), not one workbook
        self.s = scheme
        self.p = problems
        self.raw = raw
        self.kinds = _SheetKinds(scheme)
        self.unit_infos: list[tuple[RawTable, str]] = []   # (one-row entities table, unit id)
        scalars = scheme.scalar_inputs
        self.input_by_text = {**{k: k for k in scalars}, **{v.label: k for k, v in scalars.items()}}
        self.known_headers: dict[str, set[str]] = {
            "entities": {*ENTITY_ID_COLUMNS, *ENTITY_NAME_COLUMNS, *scheme.entity_fields,
                         *(f.label for f in scheme.entity_fields.values())},
            "values": {*UNIT_COLUMNS, *ENTITY_NAME_COLUMNS, *self.input_by_text, V_VALUE, V_ID, V_LABEL},
            "findings": {*UNIT_COLUMNS, *FINDINGS_COLUMNS},
            "self_scores": {*UNIT_COLUMNS, *SELF_SCORE_ITEM_COLUMNS, S_SCORE},
            "unit": {U_KEY, U_VALUE},
        }
        for t in scheme.tables:
            cols = scheme.columns(t)
            self.known_headers[f"ledger:{t}"] = {*UNIT_COLUMNS, *cols, *(c.label for c in cols.values() if c.label)}

    # -- one workbook

    def workbook(self, path: Path) -> None:
        display = str(path)
        e = paths.entry(path)
        if e.kind != paths.FILE:
            paths.report(e, "工作簿", self.p)
            return
        scan = xlsxguard.inspect(path)
        if scan.refusal:
            self.p.add(scan.refusal, file=display, code="workbook-bounds")
            return
        try:
            with path.open("rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
            sheets: dict[str, pd.DataFrame] = pd.read_excel(path, sheet_name=None, header=None, engine="calamine",
                                                            dtype=object)
        except OSError as err:
            paths.open_problem(path, err, self.p, "工作簿")
            return
        except Exception as err:  # a damaged or foreign file must not stop the other workbooks being read
            self.p.add(f"无法读取工作簿（{why_unreadable(err)}）：文件可能已损坏或不是 Excel 文件，"
                       "请用 Excel 或 WPS 打开后另存为 .xlsx 再报送", file=display, code="bad-workbook")
            return
        self.raw.files[display] = digest
        for name, sheet_scan in scan.sheets.items():
            if name in sheets and sheet_scan.bad:
                sheets[name] = mark_bad_cells(sheets[name], sheet_scan, display, name, self.p)
        unit: str | None = None
        unit_cell: tuple[str | None, int, str] | None = None
        info = next((n for n in sheets if n.strip() == SHEET_UNIT), None)
        if info is not None:
            unit = self.unit_info(display, info, sheets[info])
            if unit is None:
                return  # reported; without its unit the workbook's rows cannot be placed
            first = next((b for b, u in self.raw.books.items() if u == unit), None)
            if first is not None:
                # The same unit's book twice (a copy, a resubmission beside the old one): one problem naming
                # both, not hundreds of repeated-key lines from reading its ledgers twice.
                self.unit_infos.pop()
                self.p.add(f"单位“{unit}”有两个工作簿：“{Path(first).name}”与本工作簿；本工作簿未读取。"
                           "请只保留该单位最终报送的一个工作簿", file=display, entity=unit, code="duplicate-unit")
                return
            self.raw.books[display] = unit
            t = self.unit_infos[-1][0]
            row, col, _ = t.cells[next(k for k in t.cells if k.strip() in ENTITY_ID_COLUMNS)] if t.cells else (1, "", "")
            unit_cell = (info, row, col)
        for name, grid in sheets.items():
            if name == info or name.strip() in IGNORED_SHEETS:
                continue
            kind = self.kinds.of(name)
            if kind is None:
                hint = did_you_mean(name.strip(), self.kinds.choices)
                self.p.add(f"无法识别的工作表“{name}”{hint}，将被忽略；"
                           f"工作表名应为模板中的名称（如“{SHEET_VALUES}”或台账名称）", file=display, sheet=name,
                           level="warning", code="unknown-sheet")
                continue
            what, table = kind
            per_unit = unit is not None and what != "entities"
            if what in ("ledger", "values", "findings"):
                self.raw.found.add((table or what, unit if per_unit else None))
            found = self.table(grid, f"ledger:{table}" if what == "ledger" else what)
            if found is None:
                if what in ("ledger", "values"):
                    # the template wrote a header on every sheet: an empty one was cleared, not left unfilled
                    none = f"；没有记录时请保留表头（或在第2行填写“{NO_RECORDS}”）" if what == "ledger" else ""
                    self.p.add(f"工作表“{name}”是空的，连表头也没有{none}：请从模板中恢复此表的表头", file=display,
                               sheet=name, row=1, entity=unit if per_unit else None, code="missing-column")
                continue
            header_row, headers, frame, rows, col_index = found
            merges = scan.sheets.get(name)
            if merges is not None and merges.merges:
                merged_cells(merges.merges, header_row, col_index, display, name, self.p)
            origin = Origin(display, name)
            if what == "values" and V_VALUE in headers and not any(h.strip() in UNIT_COLUMNS for h in headers):
                if unit is None:
                    self.p.add(f"“{name}”表逐项填报（有“{V_VALUE}”列），但工作簿缺少“{SHEET_UNIT}”表，无法确定是哪个单位的"
                               f"数据：请使用为本单位生成的模板，或补上“{SHEET_UNIT}”表（单位编号、单位名称）", file=display,
                               sheet=name, row=1, code="missing-unit")
                    continue
                self.vertical_values(origin, frame, rows, col_index, unit, unit_cell)
                continue
            self.raw.tables.append(RawTable(what, table, frame, origin, rows, unit=unit if per_unit else None,
                                            col_index=col_index, unit_cell=unit_cell if per_unit else None,
                                            template=True))

    def table(self, grid: pd.DataFrame, kind: str
              ) -> tuple[int, list[str], pd.DataFrame, list[int], dict[str, int]] | None:
        """Find the header row, then (header row, headers, frame of raw cells, row numbers, header -> column)."""
        if grid.empty:
            return None
        cells = [_clean_row(row) for row in grid.to_numpy(dtype=object).tolist()]
        known = self.known_headers.get(kind, set())
        best, best_hits = -1, 0
        for i, row in enumerate(cells[:HEADER_SCAN_ROWS]):
            hits = sum(1 for v in row if v is not None and str(v).strip() in known)
            if hits > best_hits:
                best, best_hits = i, hits
        if best < 0:
            best = next((i for i, row in enumerate(cells) if any(v is not None for v in row)), -1)
            if best < 0:
                return None
        header = cells[best]
        body = [(i, row) for i, row in enumerate(cells) if i > best and any(v is not None for v in row)]
        keep: list[int] = []
        headers: list[str] = []
        seen: dict[str, int] = {}
        for j, h in enumerate(header):
            has_data = any(row[j] is not None for _, row in body)
            if h is None and not has_data:
                continue
            text = f"（{_column_letter(j + 1)}列，无列名）" if h is None else _text(h)
            if text in seen:
                seen[text] += 1
                text = f"{text}（第{seen[text]}个）"
            else:
                seen[text] = 1
            keep.append(j)
            headers.append(text)
        frame = pd.DataFrame([[row[j] for j in keep] for _, row in body], columns=headers, dtype=object)
        if not body:
            frame = pd.DataFrame({h: pd.Series([], dtype=object) for h in headers})
        col_index = {h: j + 1 for h, j in zip(headers, keep, strict=True)}
        return best + 1, headers, frame, [i + 1 for i, _ in body], col_index

    def unit_info(self, display: str, name: str, grid: pd.DataFrame) -> str | None:
        """The 单位信息 sheet of a per-unit workbook: one field a row (项目, 内容). Returns the unit id."""
        found = self.table(grid, "unit")
        origin = Origin(display, name)
        fields: dict[str, Any] = {}
        cells: dict[str, tuple[int, str, str]] = {}
        if found is not None:
            _, headers, frame, rows, _ = found
            key_col = next((h for h in headers if h.strip() == U_KEY), headers[0] if headers else None)
            val_col = next((h for h in headers if h.strip() == U_VALUE), headers[1] if len(headers) > 1 else None)
            if key_col is not None and val_col is not None:
                for pos, (k, v) in enumerate(zip(frame[key_col], frame[val_col], strict=True)):
                    if k is None:
                        continue
                    key = _text(k)
                    fields[key] = v
                    cells[key] = (rows[pos], val_col, key)
        id_key = next((k for k in fields if k.strip() in ENTITY_ID_COLUMNS), None)
        if id_key is None or is_blank(fields[id_key]):
            row = cells[id_key][0] if id_key else None
            self.p.add(f"工作簿缺少单位编号：请在“{SHEET_UNIT}”表的“单位编号”一行填写本单位编号（与单位名册一致）",
                       file=display, sheet=name, row=row, column=U_VALUE, code="missing-unit")
            return None
        unit = _text(fields[id_key])
        frame = pd.DataFrame([list(fields.values())], columns=list(fields), dtype=object)
        first_row = cells[id_key][0]
        t = RawTable("entities", "", frame, origin, [first_row], cells=cells,
                     col_index=found[4] if found is not None else {})
        self.unit_infos.append((t, unit))
        return unit

    def vertical_values(self, origin: Origin, frame: pd.DataFrame, rows: list[int], col_index: dict[str, int],
                        unit: str | None, unit_cell: tuple[str | None, int, str] | None) -> None:
        """A per-unit 填报数据 sheet, one input a row: becomes a one-row values table whose cells are located
        at their own rows (RawTable.cells)."""
        id_col = next((h for h in frame.columns if h.strip() == V_ID), None)
        label_col = next((h for h in frame.columns if h.strip() == V_LABEL), None)
        value_col = next(h for h in frame.columns if h.strip() == V_VALUE)
        scalars = self.s.scalar_inputs
        values: dict[str, Any] = {}
        cells: dict[str, tuple[int, str, str]] = {}
        n = len(frame)
        idents = frame[id_col].tolist() if id_col else [None] * n
        labels = frame[label_col].tolist() if label_col else [None] * n
        cells_in = frame[value_col].tolist()
        for pos, (ident, label) in enumerate(zip(idents, labels, strict=True)):
            name = None
            for text in (ident, label):
                if text is not None and _text(text) in self.input_by_text:
                    name = self.input_by_text[_text(text)]
                    break
            by_label = self.input_by_text.get(_text(label)) if label is not None else None
            if id_col is not None and by_label is not None and (ident is None or _text(ident) != by_label):
                # 编号 is locked in the template: an edited one may point the value at another input
                self.p.add(f"“{V_ID}”列被修改：填报项目“{scalars[by_label].label}”的编号应为“{by_label}”，实际为"
                           f"“{shown_cell(ident) if ident is not None else '（空）'}”；编号是锁定的，请恢复为模板中的编号",
                           file=origin.file, sheet=origin.sheet, row=rows[pos], column=id_col, entity=unit,
                           value=None if ident is None else shown_cell(ident), code="locked-cell")
                name = by_label
            shown = _text(label if label is not None else ident) if (label or ident) is not None else ""
            if name is None:
                if shown:
                    choices = [*scalars, *(v.label for v in scalars.values())]
                    self.p.add(f"未知的填报项目“{shown_cell(shown)}”{did_you_mean(shown, choices)}，将被忽略", file=origin.file,
                               sheet=origin.sheet, row=rows[pos], column=label_col or id_col, level="warning",
                               code="unknown-column")
                continue
            if name in values:
                self.p.add(f"填报项目“{scalars[name].label}”重复（第{cells[name][0]}行已有），请只保留一行",
                           file=origin.file, sheet=origin.sheet, row=rows[pos], column=value_col,
                           entity=unit, code="duplicate-input")
                continue
            values[name] = cells_in[pos]
            cells[name] = (rows[pos], value_col, scalars[name].label)
        if not values:
            self.p.add(f"“{origin.sheet}”表没有可识别的填报项目：请使用考核细则生成的模板", file=origin.file,
                       sheet=origin.sheet, row=1, code="missing-column")
            return
        one = pd.DataFrame([list(values.values())], columns=list(values), dtype=object)
        first = min(c[0] for c in cells.values())
        self.raw.tables.append(RawTable("values", "", one, origin, [first], unit=unit, cells=cells,
                                        col_index=col_index, unit_cell=unit_cell, template=True))

    # -- after every workbook

    def settle_register(self) -> None:
        """Per-unit workbooks name their unit; the register of units to assess comes from a 单位名册 (a sheet,
        单位名册.xlsx or entities.csv) so that a unit that sent nothing is noticed. Without one, the units are
        those of the workbooks, with a warning."""
        registers = self.raw.of("entities")
        if not registers:
            if self.unit_infos and self.folder:
                # a folder of the units' workbooks: without the register a unit whose workbook is missing
                # would be silently absent from the results
                self.p.add(f"数据文件夹中没有单位名册（{SHEET_REGISTER}.xlsx 或 entities.csv）：无法发现未交回工作簿的单位。"
                           f"请把生成模板时得到的 {SHEET_REGISTER}.xlsx（或 entities.csv）放入数据文件夹",
                           file=str(Path(self.unit_infos[0][0].origin.file).parent), code="no-register")
            elif self.unit_infos:
                self.p.add(f"未找到单位名册（{SHEET_REGISTER}.xlsx 或 entities.csv），以工作簿“{SHEET_UNIT}”表中的单位为"
                           "被考核单位", level="warning", code="no-register")
            self.raw.tables.extend(t for t, _ in self.unit_infos)
            return
        names: dict[str, str] = {}
        fields: dict[str, dict[str, str]] = {}   # unit -> field column (as headed) -> its value in the register
        for t in registers:
            cols = [str(c) for c in t.frame.columns]
            id_col = next((c for c in cols if c.strip() in ENTITY_ID_COLUMNS), None)
            name_col = next((c for c in cols if c.strip() in ENTITY_NAME_COLUMNS and c != id_col), None)
            if id_col is None or name_col is None:
                continue
            for i, n in zip(t.frame[id_col], t.frame[name_col], strict=True):
                if not is_blank(i) and not is_blank(n):
                    names[_text(i)] = _text(n)
            for c in (c for c in cols if c not in (id_col, name_col)):
                for i, v in zip(t.frame[id_col], t.frame[c], strict=True):
                    if not is_blank(i) and not is_blank(v):
                        fields.setdefault(_text(i), {})[c.strip()] = _text(v)
        for t, unit in self.unit_infos:
            name_key = next((k for k in t.frame.columns if str(k).strip() in ENTITY_NAME_COLUMNS), None)
            written = t.frame[name_key].iloc[0] if name_key else None
            if unit in names and not is_blank(written) and _text(written) != names[unit]:
                row, col, _ = t.cells[name_key] if t.cells and name_key in t.cells else (None, None, None)
                self.p.add(f"工作簿中的单位名称“{_text(written)}”与单位名册中“{unit}”的名称“{names[unit]}”不一致，"
                           "请核对是否交错了工作簿", file=t.origin.file, sheet=t.origin.sheet, row=row, column=col,
                           entity=unit, level="warning", code="unit-name")
            for key in t.frame.columns:   # a locked field edited (考核类别, 单位类型): the register decides
                value, held = t.frame[key].iloc[0], fields.get(unit, {}).get(str(key).strip())
                if held is not None and not is_blank(value) and _text(value) != held:
                    row, col, _ = t.cells[key] if t.cells and key in t.cells else (None, None, None)
                    self.p.add(f"工作簿中的“{str(key).strip()}”“{_text(value)}”与单位名册中的“{held}”不一致（此格已锁定，"
                               "不应修改）；评分按单位名册，如名册有误请联系市安委办", file=t.origin.file,
                               sheet=t.origin.sheet, row=row, column=col, entity=unit, level="warning", code="unit-name")


def _column_letter(n: int) -> str:
    """Excel's name of the n-th column (1 → A, 27 → AA); openpyxl is not imported just for this."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def read_workbooks(scheme: Scheme, books: list[Path], problems: Problems, raw: Raw | None = None, *,
                   folder: bool = False) -> Raw:
    """Read workbooks (added to `raw`, e.g. a register read from CSV in the same folder); `folder`: they are
    a data folder's, which must then hold the register of units."""
    raw = raw if raw is not None else Raw()
    reader = _Reader(scheme, problems, raw, folder)
    for path in books:
        reader.workbook(path)
    reader.settle_register()
    return raw

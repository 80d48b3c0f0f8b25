"""A scorer's findings workbook (评分表): one row per unit and assessed item the scorer owns, with the records it
has entered so far, to fill in Excel/WPS and upload back. An upload is checked whole — every problem located
(sheet·row·column) and nothing saved until there is none — and then, for each (unit, item) it gives a figure or
“无” for, replaces that scorer's records of the pair: uploading the same workbook twice changes nothing."""

from __future__ import annotations

import io
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from common.formulas import set_cell
from intake import xlsxguard
from web.findings.items import AssessedItem
from web.findings.models import Finding, NoFinding
from web.rounds.models import RosterEntry, Round

SHEET = "评分表"
NOTES = "填写说明"
HEADER = ["单位编号", "单位名称", "考核项目", "项目名称", "评分方式", "分值", "事由", "依据条款", "佐证材料"]
NOTHING = "无"
LOCKED = PatternFill("solid", fgColor="EEF2F7")


def build(rnd: Round, items: list[AssessedItem], roster: list[RosterEntry], scorer: str, user: Any) -> bytes:
    """The workbook: the records this account has entered so far (by account, never by display name), and an
    empty row for every pair without one."""
    have: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in Finding.objects.filter(round=rnd, entered_by=user).order_by("id"):
        have[(f.item_id, f.entity_id)].append(f)
    nil = set(NoFinding.objects.filter(round=rnd, entered_by=user).values_list("item_id", "entity_id"))
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADER)
    for c in ws[1]:
        c.font = Font(bold=True)
    row = 2
    for item in items:
        mode = f"{item.figure}（{item.range_text}{'，每单位一条' if item.single else ''}）"
        for e in roster:
            records: list[Finding | None] = [*have.get((item.id, e.entity_id), [])] or [None]
            for f in records:
                figure: Any = None
                if f is not None:
                    figure = float(f.deduct if f.deduct is not None else f.score or 0)
                elif (item.id, e.entity_id) in nil:
                    figure = NOTHING
                values = [e.entity_id, e.name, item.id, item.name, mode, figure,
                          f.reason if f else "", f.clause if f else "", f.basis if f else ""]
                for col, v in enumerate(values, start=1):
                    cell = set_cell(ws.cell(row=row, column=col), v)
                    if col <= 5:
                        cell.fill = LOCKED
                row += 1
    for letter, width in zip("ABCDEFGHI", (10, 16, 10, 28, 24, 10, 40, 24, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "C2"
    dv = DataValidation(type="custom", formula1=f'OR(F2="{NOTHING}",ISNUMBER(F2),F2="")', allow_blank=True,
                        showErrorMessage=True, errorTitle="分值", error=f"请填写数字，或“{NOTHING}”表示无记录")
    dv.add(f"F2:F{max(row, 2)}")
    ws.add_data_validation(dv)
    notes = wb.create_sheet(NOTES)
    lines = (
        f"{rnd.name} · {scorer} 评分表",
        "每行是一个被考核单位的一个考核项目。灰色各列不要改动。",
        "“分值”填扣分或得分（正数，见“评分方式”列的范围）；本单位没有可扣（可加）分的情形，填“无”。",
        "同一单位同一项目有多条扣分记录的，复制该行后分别填写；“评定得分”每个单位只能有一条。",
        "有分值的行必须填写“事由”；“依据条款”“佐证材料”（检查记录、通报文号等）请尽量填写。",
        "“分值”空着的单位和项目不作改动；填了分值或“无”的，以本表为准替换本单位此前为它录入的记录。",
    )
    for i, line in enumerate(lines, start=1):
        set_cell(notes.cell(row=i, column=1), line)
    notes.column_dimensions["A"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class Row:
    line: int
    entity: str
    item: AssessedItem
    figure: Decimal | None          # None: “无”
    reason: str
    clause: str
    basis: str


@dataclass
class Read:
    rows: list[Row] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    def problem(self, line: int, column: str, value: Any, message: str) -> None:
        where = (f"{SHEET}·第{line}行" if line else SHEET) + (f"·“{column}”列" if column else "")
        self.problems.append({"level": "error", "where": where, "value": "" if value is None else str(value),
                              "message": message})


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _guard(data: bytes) -> str | None:
    """The size guard the unit uploads go through (intake/xlsxguard.py), before openpyxl opens the workbook: a
    small file claiming a sheet to XFD1048576 would keep a web thread busy for minutes. Its refusal, or None."""
    fd, name = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return xlsxguard.inspect(Path(name)).refusal
    finally:
        os.unlink(name)


def read(data: bytes, items: dict[str, AssessedItem], roster: set[str], display: str = "评分表.xlsx") -> Read:
    """Every row with a figure or “无”, checked; every problem at once."""
    out = Read()
    refusal = _guard(data)
    if refusal:   # a sheet too large to read, or a zip that unpacks to too much: refused before openpyxl opens it
        out.problems.append({"level": "error", "where": display, "value": "", "message": refusal})
        return out
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:   # a damaged or foreign file: say so, never a traceback
        out.problem(0, "", None, "无法打开工作簿：请用 Excel 或 WPS 打开后另存为 .xlsx 再上传")
        return out
    if SHEET not in wb.sheetnames:
        out.problems.append({"level": "error", "where": "", "value": "", "message":
                             f"工作簿中没有“{SHEET}”工作表：请上传从本页下载的评分表"})
        return out
    rows = wb[SHEET].iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())]
    if header[:len(HEADER)] != HEADER:
        out.problems.append({"level": "error", "where": f"{SHEET}·第1行", "value": "、".join(header), "message":
                             f"表头应为：{'、'.join(HEADER)}；请从本页重新下载评分表"})
        return out
    seen: dict[tuple[str, str], list[Row | None]] = defaultdict(list)
    for line, values in enumerate(rows, start=2):
        v = dict(zip(HEADER, list(values) + [None] * len(HEADER), strict=False))
        raw = v["分值"]
        reason, clause, basis = _text(v["事由"]), _text(v["依据条款"]), _text(v["佐证材料"])
        if raw is None or _text(raw) == "":
            if reason:
                out.problem(line, "分值", None, "填了“事由”但没有填“分值”：请填写分值，或删去事由")
            continue
        entity, item_id = _text(v["单位编号"]), _text(v["考核项目"])
        if entity not in roster:
            out.problem(line, "单位编号", entity, f"单位编号“{entity}”不在本轮名册中：灰色各列不要改动")
            continue
        item = items.get(item_id)
        if item is None:
            out.problem(line, "考核项目", item_id, f"项目“{item_id}”不是分给本单位评分的项目：灰色各列不要改动")
            continue
        if _text(raw) == NOTHING:
            if item.single:
                out.problem(line, "分值", raw, f"项目{item.id}须评定得分（{item.range_text}），不能填“{NOTHING}”")
                continue
            seen[(item.id, entity)].append(None)
            out.rows.append(Row(line, entity, item, None, "", "", ""))
            continue
        try:
            figure = Decimal(str(raw).strip())
            if not figure.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            out.problem(line, "分值", raw, f"“{raw}”不是数字：请填写数字，或“{NOTHING}”")
            continue
        if not item.lo <= figure <= item.hi:
            out.problem(line, "分值", raw, f"项目{item.id}的{item.figure}应在 {item.range_text}之间")
            continue
        if not reason:
            out.problem(line, "事由", None, "有分值的行必须填写“事由”")
            continue
        row = Row(line, entity, item, figure, reason[:500], clause[:200], basis[:500])
        seen[(item.id, entity)].append(row)
        out.rows.append(row)
    for (item_id, entity), got in seen.items():
        lines = "、".join(str(r.line) for r in out.rows if (r.item.id, r.entity) == (item_id, entity))
        if None in got and len(got) > 1:
            out.problem(0, "", None, f"单位{entity}的项目{item_id}既填了“{NOTHING}”又填了分值（第{lines}行）：只能二选一")
        elif items[item_id].single and len(got) > 1:
            out.problem(0, "", None, f"单位{entity}的项目{item_id}是评定得分，每个单位只能有一条（第{lines}行）")
    return out


def conflicts(rnd: Round, rows: list[Row], user: Any) -> list[dict[str, Any]]:
    """A score (one per unit) another account has already entered for a pair the workbook scores."""
    out = []
    for r in rows:
        if r.item.single and Finding.objects.filter(round=rnd, item_id=r.item.id, entity_id=r.entity).exclude(
                entered_by=user).exists():
            out.append({"level": "error", "where": f"{SHEET}·第{r.line}行·“分值”列", "value": str(r.figure),
                        "message": f"单位{r.entity}的项目{r.item.id}已有其他人录入的评定得分：请与市安委办核实"})
    return out


def apply(rnd: Round, rows: list[Row], scorer: str, user: Any) -> tuple[int, int]:
    """Replace this account's records of every pair the workbook reports; returns (records, nothing-to-record)."""
    pairs = {(r.item.id, r.entity) for r in rows}
    with transaction.atomic():
        for item_id, entity in pairs:
            for f in Finding.objects.filter(round=rnd, item_id=item_id, entity_id=entity, entered_by=user):
                f.delete()
            for n in NoFinding.objects.filter(round=rnd, item_id=item_id, entity_id=entity):
                n.delete()
        for r in rows:
            if r.figure is None:
                NoFinding.objects.create(round=rnd, entity_id=r.entity, item_id=r.item.id, scorer_name=scorer,
                                         entered_by=user)
            else:
                Finding.objects.create(round=rnd, entity_id=r.entity, item_id=r.item.id,
                                       deduct=r.figure if r.item.mode == "deduct" else None,
                                       score=None if r.item.mode == "deduct" else r.figure, reason=r.reason,
                                       clause=r.clause, basis=r.basis, scorer_name=scorer, entered_by=user)
    return sum(1 for r in rows if r.figure is not None), sum(1 for r in rows if r.figure is None)

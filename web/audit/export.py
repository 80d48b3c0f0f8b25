"""The audit trail as a table to download (CSV for any tool, xlsx for Excel/WPS). Every cell a user could have
typed goes through common/formulas.py: a summary or a before/after that begins with “=” stays text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from common.formulas import csv_row, set_cell
from web.audit.models import AuditEntry

HEADER = ["时间", "账号", "角色", "动作", "对象类型", "对象编号", "考核轮次", "单位编号", "摘要", "修改前", "修改后"]


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def rows(entries: Iterable[AuditEntry]) -> Iterable[list[Any]]:
    for e in entries:
        yield [timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.username or "系统", e.role,
               e.get_action_display(), e.model, e.object_id, "" if e.round_id is None else e.round_id, e.entity_id,
               e.summary, _json(e.before), _json(e.after)]


def as_csv(entries: Iterable[AuditEntry]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    for r in rows(entries):
        w.writerow(csv_row(r))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")   # the BOM: Excel opens UTF-8 as such


def as_xlsx(entries: Iterable[AuditEntry]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "操作记录"
    ws.append(HEADER)
    for i, r in enumerate(rows(entries), start=2):
        for j, v in enumerate(r, start=1):
            set_cell(ws.cell(row=i, column=j), v)
    for col, width in zip("ABCDEFGHIJK", (20, 12, 10, 6, 20, 10, 8, 10, 50, 50, 50), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

"""Write the CSV form of a data set (the layout `intake.csvdir` reads), from a typed DataSet.

Values are written as a user would type them and as the reader reads them back: 是/否, 2020-12-31,
percents as 87%, numbers with the digits they had, 不涉及. Files are UTF-8 with a byte-order mark, so
Excel (which assumes GBK otherwise) opens them correctly; each file is written atomically. A text that
Excel would run as a formula (`=…`, `+…`, `-…`, `@…`) is written with a leading apostrophe (OWASP's rule,
`common.formulas`); numbers, also negative ones, are written as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from common import numbers
from common.files import write_text_atomic
from common.formulas import csv_row
from intake.dataset import DataSet
from intake.layout import NA_WORD
from intake.raw import SELF_SCORE_PREFIX
from rules.language.scheme import FINDINGS_COLUMNS, Scheme


def csv_text(v: Any, typ: str) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return numbers.percent(v) if typ == "percent" else f"{v:f}"
    return str(v)


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(csv_row(r) for r in rows)
    return buf.getvalue()


def csv_folder_names(scheme: Scheme) -> list[str]:
    """The files `write_csv_folder` may write (to check them against the inputs before writing)."""
    return ["entities.csv", "values.csv", *(f"{t}.csv" for t in scheme.tables), "findings.csv"]


def write_csv_folder(scheme: Scheme, data: DataSet, folder: Path) -> list[Path]:
    out: list[Path] = []

    def emit(name: str, rows: list[list[str]]) -> None:
        path = folder / name
        write_text_atomic(path, _csv(rows), encoding="utf-8-sig")
        out.append(path)

    fields = scheme.entity_fields
    emit("entities.csv", [["id", "name", *fields],
                          *([u, data.names.get(u, u), *(csv_text(data.fields.get(u, {}).get(f), "str") for f in fields)]
                            for u in data.ids)])
    scalars = scheme.scalar_inputs
    scored = [i.id for i in scheme.items if any(i.id in data.self_scores.get(u, {}) for u in data.ids)]
    rows = [["entity", *scalars, *(f"{SELF_SCORE_PREFIX}{i}" for i in scored)]]
    for u in data.ids:
        values, na, own = data.values.get(u, {}), data.na.get(u, set()), data.self_scores.get(u, {})
        rows.append([u, *(NA_WORD if k in na else csv_text(values.get(k), inp.type) for k, inp in scalars.items()),
                     *(csv_text(own.get(i), "number") for i in scored)])
    emit("values.csv", rows)
    for table in [*scheme.tables, "findings"]:
        columns = FINDINGS_COLUMNS if table == "findings" else dict(scheme.inputs[table].columns or {})
        ledger = data.ledgers.get(table)
        frame = ledger.frame if ledger is not None else None
        rows = [["entity", *columns]]
        if frame is not None and len(frame):
            for rec in frame[["entity", *columns]].itertuples(index=False, name=None):
                rows.append([str(rec[0]), *(csv_text(v, col.type) for v, col in zip(rec[1:], columns.values(),
                                                                                      strict=True))])
        if table == "findings" and len(rows) == 1:
            continue   # findings.csv is optional
        emit(f"{table}.csv", rows)
    return out

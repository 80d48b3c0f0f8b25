"""Lower results as a ledger (`rollup:` in a scheme; criteria/README.md 2.19): each lower unit's total, rank,
grade, vetoes, item scores and values as one row of the higher unit it belongs to.

The lower units come from a results document (read here) or from lower data scored in the same run
(scoring/rollup.py); either way they arrive as `LowerUnit`s, typed from the lower scheme, and are shared out to
the higher units here. Every refusal is a located error: a results document that cannot be read or comes from
another scheme, a lower unit naming no known higher unit, a higher unit left without lower units. Never a
default: a city without its counties cannot be scored as if it had none.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from common.problems import Problems, did_you_mean
from intake.dataset import Ledger, Origin
from intake.resultsfile import WRITTEN_BY, read_results_doc
from rules.language.constructs.rollup import VETO_TEXT
from rules.language.scheme import CRollup, Scheme

NOT_APPLICABLE = "不涉及"
TYPE_WORDS = {"int": "整数", "number": "数值", "percent": "百分率", "bool": "是/否（true/false）", "date": "日期",
              "str": "文字"}


@dataclass
class LowerUnit:
    """One lower unit's result, typed from the lower scheme, and where it came from."""

    id: str
    name: str
    fields: dict[str, Any]
    total: Decimal | None
    rank: int | None
    grade: str | None
    vetoes: list[str]                      # the ids of the vetoes it hit
    items: dict[str, Decimal | None]
    categories: dict[str, Decimal | None]
    values: dict[str, Any]                 # lower input or derived id -> typed value (None: blank or 不涉及)
    file: str                              # its source as shown (the data's values file, or the results file)
    row: int                               # its row there (line of a results file)
    path: str = ""
    sheet: str | None = None
    higher: str | None = None              # the higher unit its source belongs to (id or name), if the source says
    source: str = ""                       # the source as given (for messages)
    veto_reasons: list[str] = field(default_factory=list)


def _say(r: CRollup, where: str) -> str:
    return f"汇总台账 {r.name}（{r.label}，来源 {where}）"


def _typed(value: Any, kind: str) -> Any:
    """A value of a results document as the lower scheme types it; ValueError when it is not one."""
    if value is None or value == NOT_APPLICABLE:
        return None
    if kind in ("int", "number", "percent"):
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, int) and kind == "int":
            return value
        text = str(value).strip()
        if kind == "percent" and text.endswith("%"):   # a cases file may write 95%
            return Decimal(text[:-1]) / 100
        return Decimal(text)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError
        return value
    if kind == "date":
        return dt.date.fromisoformat(str(value))
    return str(value)


def _number(v: Any) -> Decimal | None:
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError
    return Decimal(str(v))


def lower_unit(rec: dict[str, Any], r: CRollup, file: str, row: int, *, complete: bool = True) -> LowerUnit | str:
    """One record of a results document (or of a cases file) as a LowerUnit; a Chinese reason when it is not
    one. `complete`: every value of the lower scheme must be there (a results document has them all)."""
    try:
        uid = rec["entity"] if "entity" in rec else rec["id"]
        if not isinstance(uid, str) or not uid:
            return "没有单位编号（entity）"
        rank = rec.get("rank")
        if rank is not None and (not isinstance(rank, int) or isinstance(rank, bool)):
            return f"名次（rank）“{rank}”不是整数"
        vetoes = rec.get("vetoes") or []
        if not isinstance(vetoes, list):
            return "否决项（vetoes）应为列表"
        ids = [v["id"] if isinstance(v, dict) else str(v) for v in vetoes]
        reasons = [f"{v.get('name', v['id'])}：{v.get('reason', '')}".rstrip("：") if isinstance(v, dict) else str(v)
                   for v in vetoes]
        columns = r.table.columns or {}
        values_in = rec.get("values") or {}
        if not isinstance(values_in, dict):
            return "values 应为键值映射"
        missing = [name for name in r.values.values() if name not in values_in]
        if complete and missing:
            return f"缺少下级细则的数据项 {'、'.join(missing[:5])}{'等' if len(missing) > 5 else ''}（结果文件是否出自旧版细则？）"
        values = {}
        for col, name in r.values.items():
            try:
                values[name] = _typed(values_in.get(name), columns[col].type)
            except (ValueError, InvalidOperation, TypeError):
                return f"数据项 {name} 的值“{values_in.get(name)}”不是{TYPE_WORDS[columns[col].type]}"
        fields_in = rec.get("fields") or {}
        grade = rec.get("grade")
        return LowerUnit(uid, str(rec.get("name") or uid), dict(fields_in) if isinstance(fields_in, dict) else {},
                         _number(rec.get("total")), rank, grade if isinstance(grade, str) else None, ids,
                         {k: _number(v) for k, v in (rec.get("items") or {}).items()},
                         {k: _number(v) for k, v in (rec.get("categories") or {}).items()},
                         values, file, row, path=file, veto_reasons=reasons)
    except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
        return "写法不对"


def _lines(text: str, ids: list[str]) -> list[int]:
    """The line of each result's `"entity": id` in a results document (its first key), in order; lines are
    counted on from the one before, so a long document is read once."""
    out, pos, line = [], 0, 1
    for k, uid in enumerate(ids):
        m = re.compile(r'"entity"\s*:\s*' + re.escape(json.dumps(uid, ensure_ascii=False))).search(text, pos)
        if m is None:
            out.append(k + 1)
            continue
        line += text.count("\n", pos, m.start())
        out.append(line)
        pos = m.start()
    return out


def read_results(r: CRollup, path: Path, problems: Problems, file: str, files: dict[str, str],
                 higher: str | None) -> list[LowerUnit] | None:
    """The lower units of a results document of the lower scheme; None when it cannot serve (reported)."""
    def fail(what: str) -> None:
        problems.add(f"{_say(r, str(path))}{what}", file=file, line=r.line, code="rollup-source")

    read = read_results_doc(path, fail, files, "请改正路径（--rollup 中相对于当前文件夹，source 中相对于细则文件所在的文件夹）")
    if read is None:
        return None
    doc, text = read
    lower: Scheme = r.lower
    if doc["scheme"] != lower.meta.id:
        fail(f"出自细则“{doc['scheme']}”，而下级细则 {r.scheme_file} 是“{lower.meta.id}”；请核对是否拿错了文件")
        return None
    errors = [p for p in doc.get("problems") or [] if isinstance(p, dict) and p.get("level") == "error"]
    if errors:
        fail(f"记有 {len(errors)} 个错误（有单位因数据错误未计分）；请先改正下级数据并重新评分")
        return None
    sha = ((doc.get("run") or {}).get("criteria") or {}).get("sha256")
    if sha and lower.sha256 and sha != lower.sha256:
        problems.add(f"{_say(r, str(path))}是用另一版本的下级细则评出的（sha256 不同）；请确认用的是同一份细则",
                     file=file, line=r.line, level="warning", code="rollup-source")
    recs = [x for x in doc["results"] if isinstance(x, dict)]
    lines = _lines(text, [str(x.get("entity")) for x in recs])
    out: list[LowerUnit] = []
    ok = True
    for k, rec in enumerate(recs):
        got = lower_unit(rec, r, str(path), lines[k])
        if isinstance(got, str):
            problems.add(f"{_say(r, str(path))}第{lines[k]}行的结果（单位 {rec.get('entity')}）{got}；{WRITTEN_BY}",
                         file=file, line=r.line, code="rollup-source")
            ok = False
            continue
        got.higher, got.source = higher, str(path)
        out.append(got)
    return out if ok else None


def _match(named: str, ids: list[str], names: dict[str, str]) -> str | None:
    if named in ids:
        return named
    hits = [u for u in ids if names.get(u) == named]
    return hits[0] if len(hits) == 1 else None


def _higher_of(r: CRollup, u: LowerUnit) -> str | None:
    if r.by is not None:
        v = u.fields.get(r.by)
        return None if v is None else str(v)
    return u.higher


def _row(r: CRollup, u: LowerUnit) -> dict[str, Any]:
    row: dict[str, Any] = {"id": u.id, "name": u.name}
    for f in r.lower.entity_fields:
        row[f"fields.{f}"] = u.fields.get(f)
    row.update({"total": u.total, "rank": u.rank, "grade": u.grade, "vetoed": bool(u.vetoes),
                "vetoes": len(u.vetoes)})
    for v in r.lower.vetoes:
        row[f"veto.{v.id}"] = v.id in u.vetoes
    for cat in r.lower.categories:
        row[f"categories.{cat.id}"] = u.categories.get(cat.id)
        for it in cat.items:
            row[f"items.{it.id}"] = u.items.get(it.id)
    for col, name in r.values.items():
        row[col] = u.values.get(name)
    return row


def rollup_ledgers(scheme: Scheme, ids: list[str], names: dict[str, str],
                   lower: dict[str, list[LowerUnit] | None], problems: Problems) -> dict[str, Ledger]:
    """Each rollup's ledger: one row per lower unit, under the higher unit it names (by `by`, or by its source).
    A rollup whose sources failed (None, already reported) gets an empty ledger and no further problems."""
    out: dict[str, Ledger] = {}
    for r in scheme.rollups:
        got = lower.get(r.name)
        units = got or []
        rows: list[dict[str, Any]] = []
        seen: dict[tuple[str, str], str] = {}
        for u in units:
            named = _higher_of(r, u)
            higher = _match(named, ids, names) if named is not None else None
            if higher is None:
                how = f"单位属性 {r.by} 为“{named}”" if r.by is not None else f"来源属于“{named}”"
                if named is None:
                    how = f"没有填单位属性 {r.by}" if r.by is not None else "来源没有说明属于哪个本级单位"
                in_results = (u.path or u.file).lower().endswith(".json")
                where = "" if in_results or r.by is None else \
                    f"（在下级数据的单位名册 entities.csv 或“单位名册”工作表中，单位 {u.id} 那一行的 {r.by} 列）"
                # a data folder's unit: the field is in its register, not in the values row the unit's origin names
                problems.add(f"{_say(r, u.source or u.file)}中的下级单位 {u.id}（{u.name}）{how}，不是本次考核的单位"
                             f"{did_you_mean(named or '', [*ids, *names.values()])}；请按本级单位的编号或名称填写{where}",
                             file=u.path or u.file if in_results or r.by is None else (u.source or u.file),
                             row=u.row if in_results or r.by is None else None, code="rollup-unit")
                continue
            if (higher, u.id) in seen:
                problems.add(f"{_say(r, u.source or u.file)}中下级单位 {u.id}（{u.name}）在本级单位 {higher} 下出现了两次"
                             f"（另一次来自 {seen[(higher, u.id)]}）；请检查是否重复给出了来源", file=u.path or u.file,
                             row=u.row, entity=higher, code="rollup-unit")
                continue
            seen[(higher, u.id)] = u.source or u.file
            rows.append({"entity": higher, **_row(r, u), "_row": u.row, "_file": u.file, "_path": u.path or u.file,
                         "_sheet": u.sheet, VETO_TEXT: "；".join(u.veto_reasons)})
        have = {row["entity"] for row in rows}
        for h in ids:
            if h not in have and got is not None:
                problems.add(f"本级单位 {h}（{names.get(h, h)}）在汇总台账 {r.name}（{r.label}）中没有下级单位：请给出它的"
                             "下级数据或结果文件（--rollup 或细则中的 source），或核对下级单位的所属单位",
                             file=scheme.file, line=r.line, entity=h, code="rollup-empty")
        cols = ["entity", *(r.table.columns or {}), "_row", "_file", "_path", "_sheet", VETO_TEXT]
        frame = pd.concat([pd.Series([row[c] for row in rows], name=c, dtype=object) for c in cols], axis=1) \
            if rows else pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
        frame["_row"] = np.array([row["_row"] for row in rows], dtype=np.int64)
        out[r.name] = Ledger(frame, Origin(units[0].file if units else r.name))
    return out

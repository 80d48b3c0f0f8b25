"""The register of units (单位名册): every unit's id, name and entity fields, checked.

Unit ids name files, cells and results, so what an id may hold is decided here, once.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from common.problems import Problems
from intake.cell_problems import Assembly
from intake.convert import BadCell, convert_column, is_blank, shown
from intake.raw import ENTITY_ID_COLUMNS, ENTITY_NAME_COLUMNS, Raw
from rules.language.scheme import Scheme

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


def entities(asm: Assembly) -> tuple[list[str], dict[str, str], dict[str, dict[str, Any]]]:
    """Unit ids in register order, names (the id when blank) and typed entity fields; bad rows reported."""
    ids: list[str] = []
    names: dict[str, str] = {}
    fields: dict[str, dict[str, Any]] = {}
    tables = asm.raw.of("entities")
    if not tables:
        asm.problems.add("缺少单位名册（entities.csv 或“单位名册”工作表）：请列出所有被考核单位的编号和名称",
                         code="missing-entities")
        return ids, names, fields
    wanted = {f: spec.label for f, spec in asm.scheme.entity_fields.items()}
    for t in tables:
        headers = [str(c) for c in t.frame.columns]
        id_col = next((c for c in headers if c.strip() in ENTITY_ID_COLUMNS), None)
        name_col = next((c for c in headers if c.strip() in ENTITY_NAME_COLUMNS and c != id_col), None)
        if id_col is None:
            asm.problems.add("单位名册缺少编号列（列名写 id 或 编号）", file=t.origin.file, sheet=t.origin.sheet, row=1,
                             code="missing-column")
            continue
        hmap = asm.header_map(t, headers, wanted)
        for f, spec in asm.scheme.entity_fields.items():
            if f not in hmap.values():
                asm.problems.add(f"单位名册缺少“{spec.label}”（{f}）列", file=t.origin.file, sheet=t.origin.sheet, row=1,
                                 code="missing-column")
        converted: dict[str, np.ndarray] = {}
        for h, f in hmap.items():
            spec = asm.scheme.entity_fields[f]
            vals, _, errs = convert_column(t.frame[h].tolist(), "str", optional=False, allowed=spec.values,
                                           required_message=f"请填写{spec.label}")
            for e in errs:
                asm.cell(t, e.pos, h, e.value, e.message)
            converted[f] = vals
        for pos, raw_id in enumerate(t.frame[id_col].tolist()):
            if is_blank(raw_id):
                asm.cell(t, pos, id_col, raw_id, "单位编号不能为空")
                continue
            uid = str(raw_id).strip()
            bad = id_problem(uid)
            if bad:
                asm.cell(t, pos, id_col, uid, bad, code="bad-id")
                continue
            if uid in names:
                asm.cell(t, pos, id_col, uid, f"单位编号“{uid}”重复，每个单位只能出现一次", code="duplicate-unit")
                continue
            ids.append(uid)
            nm = t.frame[name_col].iloc[pos] if name_col else None
            if isinstance(nm, BadCell):   # a cached error or a formula without result: no name
                asm.cell(t, pos, name_col or "", nm, nm.message)
            names[uid] = uid if is_blank(nm) else str(nm).strip()
            fields[uid] = {f: converted[f][pos] for f in converted}
    return ids, names, fields


def register(scheme: Scheme, raw: Raw, problems: Problems) -> tuple[list[str], dict[str, str],
                                                                    dict[str, dict[str, Any]]]:
    """Only the register of units (ids, names, entity fields) of a raw data set."""
    return entities(Assembly(scheme, raw, problems))

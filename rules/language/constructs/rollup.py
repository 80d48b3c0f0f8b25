"""下级考核结果汇总 `rollup`：把另一份细则（如县区细则）的考核结果当作本细则的一张台账，每个下级单位一行。

写法（criteria/README.md 2.19）：

```yaml
rollup:
  counties:                          # 台账名称：count: counties、sum: counties.deaths、for_each: counties
    label: 所辖县区考核结果
    scheme: ../2020/county.yaml       # 下级细则，相对于本细则文件所在的文件夹
    by: city                          # 可选：下级细则的单位属性，写本级单位的编号或名称；不写时每个来源只属于一个本级单位
    source: ../../examples/县区结果.json  # 可选：默认来源（结果文件或填报数据文件夹）；也可用 --rollup 给出
```

每一行（一个下级单位）有这些列：`id`、`name`、`fields.属性`（下级细则的单位属性）、`total`、`rank`、`grade`、
`vetoed`、`vetoes`（触发否决项个数）、`veto.否决项编号`（是否触发该否决项）、`items.项目编号`、`categories.分类编号`，
以及下级细则的全部填报项目和派生值（用它们自己的编号，如 `deaths`），类型照下级细则。
与固定列同名的填报项目或派生值改用 `values.编号`。读取来源、按本级单位分行的是 intake/rollup.py 和 scoring/rollup.py。
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from common import numbers
from rules.language import expr as ex
from rules.language.constructs.base import Strict, Text
from rules.language.constructs.inputs import BAD_NAME, NAME, Column, Input, InputType
from rules.language.shown import show_plain

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler

SECTION = "criteria/README.md 2.19"
EXCLUDED_GRADE = "不予评定"   # scoring.grade: a unit a veto leaves ungraded
FIXED_LABELS = {"id": "单位编号", "name": "单位名称", "total": "总分", "rank": "名次", "grade": "等次",
                "vetoed": "触发过否决项", "vetoes": "触发否决项个数"}


class Rollup(Strict):
    label: Text
    scheme: Text
    by: Text | None = None
    source: Text | dict[str, Text] | None = None


@dataclass
class CRollup:
    name: str
    label: str
    scheme_file: str          # the lower scheme, as written (relative to the criteria file's folder)
    by: str | None            # the lower entity field naming the higher unit
    source: str | dict[str, str] | None   # default sources, as written
    line: int | None
    lower: Any                # the lower Scheme (typed loosely: Scheme is built from these constructs)
    table: Input              # the ledger it offers: its columns and their types
    values: dict[str, str] = field(default_factory=dict)   # column -> lower input or derived id


def lower_columns(lower: Any) -> tuple[dict[str, Column], dict[str, str]]:
    """The columns of a rollup ledger from the lower scheme, and which column holds which lower value."""
    grades = [g.name for g in lower.grades]
    cols: dict[str, Column] = {
        "id": Column(type="str", label="单位编号"),
        "name": Column(type="str", label="单位名称"),
    }
    for f, spec in lower.entity_fields.items():
        cols[f"fields.{f}"] = Column(type="str", label=spec.label, values=spec.values, optional=True)
    cols["total"] = Column(type="number", label="总分")
    cols["rank"] = Column(type="int", label="名次", optional=True)
    cols["grade"] = Column(type="str", label="等次", optional=True,
                           values=[*grades, EXCLUDED_GRADE] if grades else None)
    cols["vetoed"] = Column(type="bool", label="触发过否决项")
    cols["vetoes"] = Column(type="int", label="触发否决项个数")
    for v in lower.vetoes:
        cols[f"veto.{v.id}"] = Column(type="bool", label=f"触发否决项{v.id}（{v.name}）")
    for cat in lower.categories:
        cols[f"categories.{cat.id}"] = Column(type="number", label=f"{cat.name}得分", optional=True)
        for it in cat.items:
            cols[f"items.{it.id}"] = Column(type="number", label=f"{it.name}得分", optional=True)
    values: dict[str, str] = {}
    for name, inp in lower.scalar_inputs.items():
        col = name if name not in cols else f"values.{name}"
        cols[col] = Column(type=inp.type, label=inp.label, values=inp.values, optional=True, unit=inp.unit)
        values[col] = name
    for d in lower.derived:
        kinds: dict[str, InputType] = {"number": "number", "bool": "bool", "date": "date", "str": "str"}
        kind: InputType = "percent" if d.unit in ("%", "％") else kinds.get(d.type, "number")
        if d.kind == "count" or (d.kind == "sum" and lower.columns(d.table)[d.column].type == "int"):
            kind = "int"   # a count, or a sum of whole numbers, is a whole number there too
        col = d.id if d.id not in cols else f"values.{d.id}"
        cols[col] = Column(type=kind, label=d.label, optional=True, unit=d.unit)
        values[col] = d.id
    return cols, values


def compile_rollups(c: Compiler, lower: dict[str, Any]) -> list[CRollup]:
    """Each rollup as a ledger; `lower` holds the lower schemes already loaded (None: it did not load)."""
    out = []
    for name, r in c.m.rollup.items():
        path = ("rollup", name)
        if not NAME.match(name) or name.startswith("_"):
            c.err(path, f"汇总台账的名称“{name}”{BAD_NAME}（见 {SECTION}）", "bad-id")
            continue
        if name in c.m.inputs or name in c.m.derived or name in c.m.previous or name in ("entity", "period",
                                                                                          "findings"):
            c.err(path, f"汇总台账的名称“{name}”与输入、派生值、往期结果或内置名称重名，请换一个（见 {SECTION}）",
                  "rollup-name")
            continue
        scheme = lower.get(name)
        if scheme is None:
            continue   # the lower scheme's own problems are reported
        if r.by is not None and r.by not in scheme.entity_fields:
            fields = "、".join(scheme.entity_fields) or "（没有单位属性）"
            c.err((*path, "by"), f"by“{r.by}”不是下级细则 {r.scheme} 的单位属性（entity_fields）；可用的有：{fields}。"
                  f"不写 by 时，每个来源只属于一个本级单位（见 {SECTION}）", "rollup-by")
            # the table is still declared below: its uses elsewhere are right, and saying otherwise would bury
            # this one mistake under follow-on errors (a blind test counted 8 for one typo)
        elif isinstance(r.source, dict) and r.by is not None:
            c.err((*path, "source"), f"写了 by 时 source 只能是一个路径（各下级单位的 {r.by} 说明属于哪个本级单位）；"
                  f"按本级单位分别给出来源时请删去 by（见 {SECTION}）", "rollup-by")
        columns, values = lower_columns(scheme)
        table = Input(label=r.label, type="table", columns=columns)
        out.append(CRollup(name, r.label, r.scheme, r.by, r.source, c.smap.line(path), scheme, table, values))
    return out


LOWER_UNIT = "下级单位"        # evidence key naming the lower unit a row stands for
LOWER_VETOES = "下级否决情形"   # evidence key: the lower unit's own vetoes, with their reasons
VETO_TEXT = "_vetoes"           # hidden ledger column: the lower unit's vetoes as text (intake/rollup.py)


def read_columns(r: CRollup, nodes: list[Any], extra: tuple[str | None, ...] = ()) -> list[str]:
    """The columns of the rollup ledger some expressions (and `deduct_by` columns) read, in table order."""
    names = {n for node in nodes if node is not None for n in ex.names(node)} | {c for c in extra if c}
    return [c for c in (r.table.columns or {}) if c in names]


def row_evidence(r: CRollup, row: dict[str, Any], read: list[str]) -> dict[str, Any]:
    """A rolled-up row as evidence: the lower unit, the columns read (by the labels of the lower scheme, a percent
    as one), and the lower unit's own vetoes with their reasons when a veto column was read."""
    cols = r.table.columns or {}
    out: dict[str, Any] = {LOWER_UNIT: f"{row.get('name')}（{row.get('id')}）"}
    for c in read:
        if c in ("id", "name"):
            continue
        v = row.get(c)
        col = cols[c]
        shown = show_plain(v)
        if col.type == "percent" and v is not None:
            shown = numbers.readable_percent(v)
        out[col.label or c] = shown
    if row.get(VETO_TEXT) and any(c in ("vetoed", "vetoes") or c.startswith("veto.") for c in read):
        out[LOWER_VETOES] = row[VETO_TEXT]
    return out

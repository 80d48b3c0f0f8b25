"""填报项目 `inputs`、台账（`type: table`）和被考核单位的属性 `entity_fields`。

`inputs` 是数据字典：每个单位要填报的每一个数各占一行，左边是编号（规则里用它），`label` 是填报表上的
中文名称。类型 `type` 为 `int`（个数）、`number`（可有小数的数）、`percent`（百分率）、`bool`（是/否）、
`date`（日期）、`str`（文字）或 `table`（台账：一张表，一行一条记录，`columns` 列出各列及其类型，`key`
指定同一单位内不能重复的列）。可选的键：`min`/`max`（数值上下限，含本数）、`unit`、`values`（文字的可选值）、
`optional: true`（可以不填；台账写 `optional: true` 表示单位可以整张不交）、`default`（留空时的取值）、
`description`。

自查用的两个键（只有自查读，评分从不读）：`role` 说明这个数对被考核单位是什么——`fact`（已经发生、改不了的
事实：事故起数、死亡人数）、`reference`（上级下达或以往的参照：控制指标、期限、上年数字）或 `work`（单位
还能通过工作改变的数：整改数、培训人次）；不写时自查按用法推定并注明“按用法推定”。`work` 只写在台账或
台账的列上，说明一行代表的工作，用 `{n}` 表示件数，例如 `work: 整改{n}项隐患`。

`entity_fields` 是单位名册中的属性列（如考核类别），规则里写 `entity.class` 引用；`entity.id`、`entity.name`
总是可以引用。

编号只能包含字母、数字、汉字、下划线，不能以数字或下划线开头（表达式中要用这个名字）。台账的列名不能叫
`entity`（留给单位编号）。详见 criteria/README.md 2.3–2.5。
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

from pydantic import field_validator, model_validator

from common.problems import did_you_mean
from rules.language.constructs.base import Num, Strict, Text

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.yamlsource import PathKey

NAME = re.compile(r"^[^\W\d]\w*$")  # inputs and derived values are read by expressions


class EntityField(Strict):
    label: Text
    values: list[Text] | None = None


InputType = Literal["int", "number", "percent", "bool", "date", "str"]
# What an input is to a self-check (only self-check reads it; scoring never does): `fact` (already happened:
# accidents, deaths, fires), `reference` (set above or past: targets, deadlines, last year's figures) or
# `work` (what the unit can still change). Unset: self-check infers it (see selfcheck.roles).
Role = Literal["fact", "reference", "work"]


def _work_template(v: str | None) -> str | None:
    """`work` names the work one ledger row stands for, with `{n}` where the number of rows goes."""
    if v is not None and (v.count("{n}") != 1 or "{" in v.replace("{n}", "") or "}" in v.replace("{n}", "")):
        raise ValueError(f"work“{v}”应含且只含一处 {{n}}（要做的件数），例如“整改{{n}}项隐患”")
    return v


class Column(Strict):
    type: InputType
    label: Text | None = None
    values: list[Text] | None = None
    optional: bool = False
    default: Any = None
    min: Num | None = None
    max: Num | None = None
    unit: Text | None = None
    description: Text | None = None
    role: Role | None = None        # unset: the role of its ledger
    work: Text | None = None        # the work that filling or changing this column records, e.g. 整改{n}项隐患

    work_names_a_count = field_validator("work")(_work_template)


class Input(Strict):
    label: Text
    type: Literal["int", "number", "percent", "bool", "date", "str", "table"]
    unit: Text | None = None
    description: Text | None = None
    min: Num | None = None
    max: Num | None = None
    values: list[Text] | None = None
    optional: bool = False
    default: Any = None
    key: Text | None = None
    columns: dict[str, Column] | None = None
    role: Role | None = None
    work: Text | None = None        # ledgers only: the work one row stands for, e.g. 建成{n}个应急管理站

    work_names_a_count = field_validator("work")(_work_template)

    @model_validator(mode="after")
    def _work_of_a_ledger(self) -> Input:
        if self.work is not None and self.type != "table":
            raise ValueError(f"work 只能写在台账（type: table）或台账的列上；“{self.label}”不是台账，"
                             "请删去 work，用 role 标明它的性质")
        return self


# The expression type of each declared input type.
TYPE_OF_INPUT = {"int": "number", "number": "number", "percent": "number", "bool": "bool", "date": "date",
                 "str": "str"}

BUILTIN_LABELS = {"entity.id": "单位编号", "entity.name": "单位名称", "period.start": "考核期开始日期",
                  "period.end": "考核期结束日期", "period.id": "期别"}

BAD_NAME = "只能包含字母、数字、汉字、下划线，不能以数字或下划线开头"


def compile_inputs(c: Compiler) -> None:
    """Inputs are kept as written (the models are the compiled form); this checks what a model cannot."""
    _unique_labels(c)
    for name, inp in c.m.inputs.items():
        path: PathKey = ("inputs", name)
        if not NAME.match(name) or name.startswith("_"):
            c.err(path, f"输入名“{name}”{BAD_NAME}（表达式中要用这个名字）", "bad-id")
        if inp.type == "table":
            if not inp.columns:
                c.err(path, f"台账“{name}”需要 columns（各列及其类型）", "table-columns")
            elif inp.key and inp.key not in inp.columns:
                c.err((*path, "key"), f"key“{inp.key}”不是台账的列{did_you_mean(inp.key, list(inp.columns))}",
                      "table-key")
            for cname, col in (inp.columns or {}).items():
                if cname == "entity":
                    c.err((*path, "columns", cname), "列名“entity”为保留列（单位编号），请改名", "reserved")
                _bounds(c, (*path, "columns", cname), col.type, col.min, col.max, col.values)
        else:
            if inp.columns or inp.key:
                c.err(path, "只有 type: table 的台账才能有 columns/key", "not-table")
            _bounds(c, path, inp.type, inp.min, inp.max, inp.values)
            if inp.default is not None and inp.optional:
                c.err((*path, "default"), "default 与 optional 不必同时使用：有 default 时空白读作默认值",
                      "default-optional", "warning")


def _unique_labels(c: Compiler) -> None:
    """A column of data is matched by its input's id or its label: two inputs (or two columns of one ledger)
    with the same label would leave a column that names that label ambiguous."""
    seen: dict[str, str] = {}
    for name, inp in c.m.inputs.items():
        label = (inp.label or "").strip()
        if label and label in seen:
            c.err(("inputs", name, "label"), f"名称“{label}”与输入“{seen[label]}”相同：数据中按名称找列时无法区分，"
                  "请改用不同的名称", "duplicate-label")
        elif label:
            seen.setdefault(label, name)
        columns: dict[str, str] = {}
        for cname, col in (inp.columns or {}).items():
            clabel = (col.label or "").strip()
            if clabel and clabel in columns:
                c.err(("inputs", name, "columns", cname, "label"), f"列名称“{clabel}”与列“{columns[clabel]}”相同："
                      "台账中按名称找列时无法区分，请改用不同的名称", "duplicate-label")
            elif clabel:
                columns.setdefault(clabel, cname)


def _bounds(c: Compiler, path: PathKey, typ: str, lo: Any, hi: Any, values: Any) -> None:
    if (lo is not None or hi is not None) and typ not in ("int", "number", "percent"):
        c.err(path, f"min/max 只适用于数值类型，此处类型为 {typ}", "bounds-type")
    if lo is not None and hi is not None and lo > hi:
        c.err(path, f"min（{lo}）大于 max（{hi}）", "bounds-order")
    if values is not None and typ != "str":
        c.err((*path, "values"), "values（可选值）只适用于 type: str", "values-type")


def not_a_date_column(cols: dict[str, str], column: str) -> str | None:
    """Why `column` of a ledger with these column types cannot date its rows (periods, accumulate), or None."""
    if column not in cols:
        return "不是该台账的列" + did_you_mean(column, list(cols))
    return None if cols[column] == "date" else "不是日期列（type: date）"

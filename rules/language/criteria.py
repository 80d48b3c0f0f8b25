"""Load a criteria file: YAML with lines → strict models → compiled scheme, with every problem at once.

Each problem is `FILE:LINE: key.path: 中文说明 (code)`. Loading never stops at the first problem: the
author fixes a whole file in one pass. Lints that are not errors (unused inputs, a `per` that can take
more than its item has) are warnings.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from common.problems import Problems, did_you_mean
from rules.language import expr as ex
from rules.language.bands import check_table_bands
from rules.language.model import Category, Input, Item, Rule, SchemeFile
from rules.language.scheme import (
    TYPE_OF_INPUT,
    AssessedDef,
    ByMap,
    CAdjust,
    CCategory,
    CCheck,
    CDerived,
    CItem,
    CRule,
    CVeto,
    GradeDef,
    Quota,
    RankDef,
    Scheme,
    TableRowDef,
)
from rules.language.yamlsource import PathKey, SourceMap, format_path, load_yaml_file

VETO_EFFECTS = {"fail", "zero", "exclude", "flag", "deduct", "max_grade", "downgrade"}
_NAME = re.compile(r"^[^\W\d]\w*$")  # inputs and derived values are read by expressions

# ------------------------------------------------------------------------------ pydantic error text

_TYPE_WORDS = {
    "string_type": "文本", "int_type": "整数", "bool_type": "是/否值（true 或 false）",
    "decimal_type": "数值", "date_type": "日期（YYYY-MM-DD）", "list_type": "列表", "dict_type": "键值映射",
    "model_type": "键值映射", "tuple_type": "列表", "float_type": "数值", "int_from_float": "整数",
    "decimal_parsing": "数值", "model_attributes_type": "键值映射",
}


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "键值映射"
    if isinstance(value, list):
        return "列表"
    if value is None:
        return "空值"
    return f"“{value}”"


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of `loc` (for "did you mean" on unknown keys)."""
    cls: Any = SchemeFile
    for part in loc[:-1]:
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            if not isinstance(part, str) or part not in cls.model_fields:
                return None
            cls = cls.model_fields[part].annotation
        elif typing.get_origin(cls) is list and isinstance(part, int):
            cls = typing.get_args(cls)[0]
        elif typing.get_origin(cls) is dict and isinstance(part, str):
            cls = typing.get_args(cls)[1]
        else:
            return None
        while typing.get_origin(cls) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in typing.get_args(cls) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            cls = models[0] if models else (args[0] if args else None)
            if cls is None:
                return None
        if typing.get_origin(cls) is typing.Annotated:
            cls = typing.get_args(cls)[0]
    return cls if isinstance(cls, type) and issubclass(cls, BaseModel) else None


def _pydantic_problems(err: ValidationError, smap: SourceMap, problems: Problems) -> None:
    seen: set[tuple[Any, ...]] = set()
    for e in err.errors():
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
        kind = e["type"]
        # Unions report each alternative; one message per place is enough.
        if (loc, kind == "extra_forbidden") in seen:
            continue
        seen.add((loc, kind == "extra_forbidden"))
        path: PathKey = tuple(loc)
        line = smap.line(path)
        key = format_path(path)
        value = e.get("input")
        if kind == "missing":
            msg = f"缺少必填项“{loc[-1]}”，请补上"
            key = format_path(path[:-1])
        elif kind == "extra_forbidden":
            owner = _model_at(loc)
            known = list(owner.model_fields) if owner else []
            msg = f"未知的键“{loc[-1]}”{did_you_mean(str(loc[-1]), known)}；请检查拼写" + (
                f"，可用的键：{'、'.join(known)}" if known and not did_you_mean(str(loc[-1]), known) else "")
        elif kind == "literal_error":
            expected = str(e.get("ctx", {}).get("expected", "")).replace(" or ", ", ").replace("'", "")
            msg = f"取值{_show(value)}无效，应为 {'、'.join(x.strip() for x in expected.split(','))} 之一"
        elif kind in _TYPE_WORDS:
            msg = f"应为{_TYPE_WORDS[kind]}，实际为{_show(value)}"
            if kind == "bool_type" and isinstance(value, str):
                msg += "（是/否请写 true 或 false）"
        elif kind == "value_error":
            msg = str(e.get("ctx", {}).get("error", e["msg"]))
        else:
            msg = f"取值{_show(value)}不符合要求（{e['msg']}）"
        problems.add(msg, file=smap.file, line=line, key=key, code="schema")


# ------------------------------------------------------------------------------------------- loader


class _Compiler:
    def __init__(self, model: SchemeFile, smap: SourceMap, problems: Problems):
        self.m = model
        self.smap = smap
        self.p = problems
        self.file = smap.file
        self.used: set[str] = set()
        self.scalar_types: dict[str, str] = {}
        for name, inp in model.inputs.items():
            if inp.type != "table":
                self.scalar_types[name] = TYPE_OF_INPUT[inp.type]
        for f in model.entity_fields:
            self.scalar_types[f"entity.{f}"] = "str"
        self.scalar_types.update({"entity.id": "str", "entity.name": "str", "period.start": "date",
                                  "period.end": "date"})
        self.derived_ids = set(model.derived)
        self.derived_types: dict[str, str] = {}

    # -- helpers

    def err(self, path: PathKey, msg: str, code: str, level: str = "error") -> None:
        self.p.add(msg, file=self.file, line=self.smap.line(path), key=format_path(path), code=code,
                   level=level)  # type: ignore[arg-type]

    def tables(self) -> dict[str, Input]:
        return {k: v for k, v in self.m.inputs.items() if v.type == "table"}

    def columns(self, table: str) -> dict[str, str]:
        if table == "findings":
            return {"考核项目": "str", "扣分": "number", "得分": "number", "事由": "str", "评分单位": "str",
                    "依据": "str"}
        t = self.tables().get(table)
        return {c: TYPE_OF_INPUT[col.type] for c, col in (t.columns or {}).items()} if t else {}

    def table_ref(self, path: PathKey, table: str | None) -> str | None:
        if table is None:
            return None
        if table not in self.tables() and table != "findings":
            self.err(path, f"“{table}”不是台账（type: table 的输入）{did_you_mean(table, list(self.tables()))}",
                     "undefined-table")
            return None
        self.used.add(table)
        return table

    def parse(self, path: PathKey, text: str | None, table: str | None = None, want: str | None = None,
              ) -> tuple[ex.Node | None, set[str]]:
        """Parse an expression and resolve its names; returns (node, scalar names read)."""
        if text is None:
            return None, set()
        try:
            node = ex.parse(text)
        except ex.ExprError as e:
            self.err(path, f"表达式“{ex.shorten(text)}”有误：{e.message}", "expr-syntax")
            return None, set()
        cols = self.columns(table) if table else {}
        known = {**self.scalar_types, **self.derived_types}
        reads: set[str] = set()
        ok = True
        for name in sorted(ex.names(node)):
            if name in cols:
                continue
            if name in known or name in self.derived_ids:
                reads.add(name)
                self.used.add(name)
                continue
            ok = False
            choices = [*known, *self.derived_ids, *cols]
            hint = did_you_mean(name, choices)
            label_hit = next((k for k, v in self.m.inputs.items() if v.label == name), None)
            derived_hit = next((k for k, v in self.m.derived.items() if v.label == name), None)
            if label_hit:
                hint = f"（“{name}”是输入 {label_hit} 的名称，表达式中请写 {label_hit}）"
            elif derived_hit:
                hint = f"（“{name}”是派生值 {derived_hit} 的名称，表达式中请写 {derived_hit}）"
            if name.startswith("entity."):
                hint = hint or f"（实体字段有：{'、'.join(['id', 'name', *self.m.entity_fields])}）"
            elif table is None and any(name in self.columns(t) for t in self.tables()):
                hint += "；台账的列只能在 for_each 规则或 where 中使用"
            self.err(path, f"未定义的名称“{name}”{hint}", "undefined-name")
        if ok:
            def types(n: str) -> str | None:
                return cols.get(n) or known.get(n)
            try:
                t = ex.infer(node, types)
                if want and t not in (want, "any", "null"):
                    label = ex.TYPE_LABELS
                    self.err(path, f"表达式“{text}”应为{label[want]}，实际为{label.get(t, t)}", "expr-type")
            except ex.ExprError as e:
                self.err(path, f"表达式“{text}”有误：{e.message}", "expr-type")
            self.literals(path, node, table)
        return node, reads

    def allowed_values(self, name: str, table: str | None) -> list[str] | None:
        """The declared values of a text name, if it has them (input, entity field or ledger column)."""
        if table is not None:
            cols = self.tables().get(table)
            col = (cols.columns or {}).get(name) if cols else None
            if col is not None:
                return col.values
        if name.startswith("entity."):
            f = self.m.entity_fields.get(name[7:])
            return f.values if f else None
        inp = self.m.inputs.get(name)
        return inp.values if inp is not None and inp.type == "str" else None

    def literals(self, path: PathKey, node: ex.Node, table: str | None) -> None:
        """A text constant that is not among the declared values makes a condition silently constant."""
        pairs: list[tuple[str, ex.Lit]] = []

        for n in ex.walk(node):
            if isinstance(n, ex.Bin) and n.op in ("==", "!="):
                for a, b in ((n.left, n.right), (n.right, n.left)):
                    if isinstance(a, ex.Name) and isinstance(b, ex.Lit) and b.kind == "str":
                        pairs.append((a.name, b))
            elif isinstance(n, ex.In) and isinstance(n.item, ex.Name):
                pairs.extend((n.item.name, o) for o in n.options if o.kind == "str")
        for name, lit in pairs:
            allowed = self.allowed_values(name, table)
            if allowed is not None and lit.value not in allowed:
                self.err(path, f"“{lit.value}”不是“{name}”的可选值{did_you_mean(lit.value, allowed)}，这个比较的结果永远不变；"
                         f"可选值：{'、'.join(allowed)}", "unknown-value", "warning")

    # -- sections

    def grades(self) -> list[GradeDef]:
        out: list[GradeDef] = []
        prev: Decimal | None = None
        for i, g in enumerate(self.m.scheme.grades):
            path: PathKey = ("scheme", "grades", i)
            if prev is not None and g.min >= prev:
                self.err((*path, "min"), f"等次须从高到低排列：“{g.name}”的下限{g.min}不低于上一等次的{prev}",
                         "grades-order")
            prev = g.min
            quota = None
            if g.quota is not None:
                quota = self.quota((*path, "quota"), g.quota)
            out.append(GradeDef(g.name, g.min, quota))
        names = [g.name for g in out]
        for n in {x for x in names if names.count(x) > 1}:
            self.err(("scheme", "grades"), f"等次名称“{n}”重复", "duplicate-id")
        if not out:
            self.err(("scheme", "grades"), "至少需要一个等次", "grades-empty")
        elif out[-1].min > 0:
            self.err(("scheme", "grades", len(out) - 1, "min"),
                     f"最低等次“{out[-1].name}”的下限应为 0，否则低于 {out[-1].min} 分的单位没有等次", "grades-floor")
        if out and out[-1].quota is not None:
            self.err(("scheme", "grades", len(out) - 1, "quota"), "最低等次不能设置名额（无处可降）", "quota-lowest")
        return out

    def quota(self, path: PathKey, raw: Any) -> Quota | None:
        if isinstance(raw, bool):
            self.err(path, "名额应为人数（如 3）或比例（如 30%）", "quota")
            return None
        if isinstance(raw, int):
            if raw < 1:
                self.err(path, f"名额{raw}无效，应为不小于1的整数或比例", "quota")
                return None
            return Quota(count=raw, text=str(raw))
        if isinstance(raw, str) and raw.strip().endswith("%"):
            try:
                share = Decimal(raw.strip()[:-1]) / 100
            except ArithmeticError:
                share = Decimal(-1)
            if not 0 < share <= 1:
                self.err(path, f"名额比例“{raw}”无效，应在 0% 与 100% 之间", "quota")
                return None
            return Quota(share=share, text=raw.strip())
        if isinstance(raw, Decimal) and 0 < raw < 1:
            return Quota(share=raw, text=f"{raw * 100:f}%")
        self.err(path, f"名额“{raw}”无效：人数写整数（如 3），比例写百分数（如 30%）", "quota")
        return None

    def inputs(self) -> None:
        for name, inp in self.m.inputs.items():
            path: PathKey = ("inputs", name)
            if not _NAME.match(name) or name.startswith("_"):
                self.err(path, f"输入名“{name}”只能包含字母、数字、汉字、下划线，不能以数字或下划线开头"
                         "（表达式中要用这个名字）", "bad-id")
            if inp.type == "table":
                if not inp.columns:
                    self.err(path, f"台账“{name}”需要 columns（各列及其类型）", "table-columns")
                elif inp.key and inp.key not in inp.columns:
                    self.err((*path, "key"), f"key“{inp.key}”不是台账的列{did_you_mean(inp.key, list(inp.columns))}",
                             "table-key")
                for cname, col in (inp.columns or {}).items():
                    if cname == "entity":
                        self.err((*path, "columns", cname), "列名“entity”为保留列（单位编号），请改名", "reserved")
                    self.bounds((*path, "columns", cname), col.type, col.min, col.max, col.values)
            else:
                if inp.columns or inp.key:
                    self.err(path, "只有 type: table 的台账才能有 columns/key", "not-table")
                self.bounds(path, inp.type, inp.min, inp.max, inp.values)
                if inp.default is not None and inp.optional:
                    self.err((*path, "default"), "default 与 optional 不必同时使用：有 default 时空白读作默认值",
                             "default-optional", "warning")

    def bounds(self, path: PathKey, typ: str, lo: Any, hi: Any, values: Any) -> None:
        if (lo is not None or hi is not None) and typ not in ("int", "number", "percent"):
            self.err(path, f"min/max 只适用于数值类型，此处类型为 {typ}", "bounds-type")
        if lo is not None and hi is not None and lo > hi:
            self.err(path, f"min（{lo}）大于 max（{hi}）", "bounds-order")
        if values is not None and typ != "str":
            self.err((*path, "values"), "values（可选值）只适用于 type: str", "values-type")

    def derived(self) -> list[CDerived]:
        raw: dict[str, CDerived] = {}
        for name, d in self.m.derived.items():
            path: PathKey = ("derived", name)
            if not _NAME.match(name) or name.startswith("_"):
                self.err(path, f"派生值名“{name}”只能包含字母、数字、汉字、下划线，不能以数字或下划线开头", "bad-id")
            if name in self.m.inputs:
                self.err(path, f"派生值“{name}”与输入同名", "duplicate-id")
            forms = [k for k in ("count", "sum", "expr") if getattr(d, k) is not None]
            if len(forms) != 1:
                self.err(path, "派生值须且只须有 count、sum、expr 之一", "derived-form")
                continue
            kind = forms[0]
            table = column = None
            if kind == "count":
                table = self.table_ref((*path, "count"), d.count)
            elif kind == "sum":
                assert d.sum is not None
                tname, _, column = d.sum.partition(".")
                table = self.table_ref((*path, "sum"), tname)
                if not column:
                    self.err((*path, "sum"), "sum 应写成 台账.列名，如 hazards.罚款金额", "derived-sum")
                elif table and column not in self.columns(table):
                    self.err((*path, "sum"), f"台账“{table}”没有列“{column}”{did_you_mean(column, list(self.columns(table)))}",
                             "undefined-column")
                elif table and self.columns(table)[column] != "number":
                    self.err((*path, "sum"), f"列“{column}”不是数值，不能求和", "derived-sum")
            if d.where is not None and kind == "expr":
                self.err((*path, "where"), "where 只用于 count/sum", "derived-where")
            raw[name] = CDerived(name, d.label or name, kind, table, column, None, None, d.if_zero, "number",
                                 unit=d.unit)
        # Derived values may read each other: resolve in dependency order and refuse cycles.
        order: list[str] = []
        deps: dict[str, set[str]] = {}
        for name, d in self.m.derived.items():
            texts = [d.expr] if d.expr is not None else []
            texts += [d.where] if d.where is not None else []
            found: set[str] = set()
            for t in texts:
                with contextlib.suppress(ex.ExprError):  # reported when the expression is parsed below
                    found |= ex.names(ex.parse(t)) & self.derived_ids
            deps[name] = found
        state: dict[str, int] = {}

        def visit(n: str, trail: list[str]) -> None:
            if state.get(n) == 2:
                return
            if state.get(n) == 1:
                cycle = " → ".join([*trail[trail.index(n):], n])
                self.err(("derived", n), f"派生值循环引用：{cycle}", "derived-cycle")
                return
            state[n] = 1
            for dep in sorted(deps.get(n, ())):
                visit(dep, [*trail, n])
            state[n] = 2
            order.append(n)

        for n in self.m.derived:
            visit(n, [])
        out: list[CDerived] = []
        for name in order:
            if name not in raw:
                continue
            d, c = self.m.derived[name], raw[name]
            path = ("derived", name)
            if c.kind == "expr":
                c.expr, c.deps = self.parse((*path, "expr"), d.expr)
                if c.expr is not None:
                    try:
                        c.type = ex.infer(c.expr, lambda n: {**self.scalar_types, **self.derived_types}.get(n))
                    except ex.ExprError:
                        c.type = "any"
            elif d.where is not None:
                c.where, c.deps = self.parse((*path, "where"), d.where, table=c.table, want="bool")
            self.derived_types[name] = c.type
            out.append(c)
        return out

    def checks(self) -> list[CCheck]:
        out = []
        for i, c in enumerate(self.m.checks):
            table = self.table_ref(("checks", i, "for_each"), c.for_each)
            if c.for_each is not None and table is None:
                continue  # the unknown ledger is reported; its columns would only add noise
            node, reads = self.parse(("checks", i, "when"), c.when, table=table, want="bool")
            if node is not None:
                # a row check is located at the cell of the first ledger column its `when` names
                columns = sorted(ex.names(node) & set(self.columns(table)), key=c.when.find) if table else []
                out.append(CCheck(i, node, c.message, c.level, self.smap.line(("checks", i)), reads, table,
                                  columns))
        return out

    def rule(self, path: PathKey, r: Rule | Item, uid: str, owner: str, cap: Decimal | None,
             points: Decimal | None) -> CRule | None:
        amounts = [k for k in ("deduct", "award", "deduct_by", "award_by") if getattr(r, k) is not None]
        if len(amounts) != 1:
            what = "、".join(amounts) if amounts else "无"
            self.err(path, f"规则须且只须有 deduct、award、deduct_by、award_by 之一（现有：{what}）", "rule-amount")
            return None
        sign = -1 if amounts[0].startswith("deduct") else 1
        table = self.table_ref((*path, "for_each"), r.for_each)
        when, reads = self.parse((*path, "when"), r.when, table=table, want="bool")
        per, per_reads = self.parse((*path, "per"), r.per, table=table, want="number")
        by = None
        by_raw = r.deduct_by or r.award_by
        if by_raw is not None:
            if r.for_each is None:
                self.err((*path, amounts[0]), f"{amounts[0]} 按台账列取分，须与 for_each 一起使用", "by-needs-for-each")
            elif table and by_raw.column not in self.columns(table):
                self.err((*path, amounts[0], "column"),
                         f"台账“{table}”没有列“{by_raw.column}”{did_you_mean(by_raw.column, list(self.columns(table)))}",
                         "undefined-column")
            elif table and by_raw.values is None and self.columns(table)[by_raw.column] != "number":
                self.err((*path, amounts[0]), f"列“{by_raw.column}”不是数值：请用 values 给出各取值的分数",
                         "by-values")
            by = ByMap(by_raw.column, dict(by_raw.values) if by_raw.values is not None else None)
        if r.once_per is not None:
            if r.for_each is None:
                self.err((*path, "once_per"), "once_per 须与 for_each 一起使用", "once-per")
            elif table and r.once_per not in self.columns(table):
                self.err((*path, "once_per"),
                         f"台账“{table}”没有列“{r.once_per}”{did_you_mean(r.once_per, list(self.columns(table)))}",
                         "undefined-column")
        if r.per is None and r.per_rounding != "exact":
            self.err((*path, "per_rounding"), "per_rounding 只在有 per 时起作用", "per-rounding", "warning")
        amount = r.deduct if r.deduct is not None else r.award
        if amount is not None and amount < 0:
            self.err((*path, amounts[0]), f"分值不能为负数（{amount}）；扣分用 deduct，加分用 award", "negative")
        if cap is not None and cap < 0:
            self.err((*path, "cap"), f"cap 不能为负数（{cap}）", "negative")
        if points is not None and amount is not None and per is not None and r.for_each is None:
            self.per_reach(path, r.per or "", per_reads, amount, points, cap)
        return CRule(uid, owner, sign, when, amount, per, r.per_rounding, by, table, r.once_per, cap, r.reason,
                     self.smap.line(path), reads | per_reads)

    def per_reach(self, path: PathKey, text: str, reads: set[str], amount: Decimal, points: Decimal,
                  cap: Decimal | None) -> None:
        """Warn when `per` can move more than the item has (the author may have mistyped a figure)."""
        if len(reads) != 1 or text.strip() not in reads:
            return
        inp = self.m.inputs.get(text.strip())
        if inp is None or inp.max is None:
            return
        reach = amount * inp.max
        if cap is not None:
            reach = min(reach, cap)  # the rule's own cap already bounds it
        if reach > points:
            self.err((*path, "per"), f"按“{text}”最大值{_fmt(inp.max)}计最多可变动{_fmt(reach)}分，超过本项分值{_fmt(points)}分"
                     f"（将按扣完为止处理；请确认分值无误）", "per-reach", "warning")

    def item(self, path: PathKey, it: Item, category: str) -> CItem:
        forms = [k for k in ("rules", "table", "rank", "assessed") if getattr(it, k) is not None]
        shorthand = any(getattr(it, k) is not None for k in ("deduct", "award", "deduct_by", "award_by", "when",
                                                            "per", "for_each"))
        if shorthand:
            forms.append("规则键")
        if len(forms) > 1:
            self.err(path, f"考核项目只能有一种计分方式，现有：{'、'.join(forms)}", "item-form")
        if it.points <= 0:
            self.err((*path, "points"), f"分值应为正数（{it.points}）", "points")
        rules: list[CRule] = []
        if it.rules is not None:
            for i, spec in enumerate(it.rules):
                c = self.rule((*path, "rules", i), spec, f"{it.id}.rules[{i}]", it.id, spec.cap, it.points)
                if c:
                    rules.append(c)
        elif shorthand:
            c = self.rule(path, it, it.id, it.id, None, it.points)
            if c:
                rules.append(c)
        applies, app_reads = self.parse((*path, "applies_when"), it.applies_when, want="bool")
        table = None
        reads = set(app_reads)
        for r in rules:
            reads |= r.reads
        if it.table is not None:
            table = []
            uncond_at: int | None = None
            for i, row in enumerate(it.table):
                rp: PathKey = (*path, "table", i)
                if uncond_at is not None:
                    self.err(rp, f"此行在无条件行（第{uncond_at + 1}行）之后，永远不会被用到", "table-unreachable")
                node, rr = self.parse((*rp, "when"), row.when, want="bool")
                reads |= rr
                if row.when is None:
                    uncond_at = i
                if not 0 <= row.score <= it.points:
                    self.err((*rp, "score"), f"得分{row.score}超出本项分值范围 0–{it.points}", "table-score")
                table.append(TableRowDef(node, row.score, row.reason))
            for msg, level in check_table_bands([r.when for r in table], self.bounds_of):
                self.err((*path, "table"), msg, "table-bands", level)
        rank = None
        if it.rank is not None:
            node, rr = self.parse((*path, "rank", "by"), it.rank.by, want="number")
            reads |= rr
            if it.rank.first > it.points:
                self.err((*path, "rank", "first"), f"第一名得分{it.rank.first}超过本项分值{it.points}", "rank-first")
            if node is not None:
                rank = RankDef(node, it.rank.order, it.rank.first, it.rank.step, it.rank.floor)
        assessed = None
        if it.assessed is not None:
            modes = [k for k in ("deduct", "award", "score") if getattr(it.assessed, k) is not None]
            if len(modes) != 1:
                self.err((*path, "assessed"), "assessed 须且只须有 deduct、award、score 之一，如 {deduct: [0.5, 2]}",
                         "assessed-form")
            else:
                rng = getattr(it.assessed, modes[0])
                if len(rng) != 2 or rng[0] > rng[1] or rng[0] < 0 or rng[1] > it.points:
                    self.err((*path, "assessed", modes[0]),
                             f"范围应写成 [下限, 上限]，且 0 ≤ 下限 ≤ 上限 ≤ 本项分值{it.points}", "assessed-range")
                else:
                    assessed = AssessedDef(modes[0], rng[0], rng[1])
        if it.basis == "zero" and any(r.sign < 0 for r in rules):
            self.err((*path, "basis"), "basis: zero 的项目从0分起算，扣分规则不会起作用", "basis-deduct", "warning")
        if it.cap is not None and (it.cap <= 0 or it.cap > it.points):
            self.err((*path, "cap"), f"cap（{it.cap}）应大于0且不超过本项分值{it.points}", "cap-range", "warning")
        return CItem(it.id, it.name, it.points, it.clause, it.basis, it.cap, applies, rules, table, rank, assessed,
                     category, self.smap.line(path), reads)

    def bounds_of(self, name: str) -> tuple[Decimal | None, Decimal | None, str]:
        inp = self.m.inputs.get(name)
        if inp is None:
            return None, None, "number"
        lo, hi = inp.min, inp.max
        if inp.type == "percent":
            lo = Decimal(0) if lo is None else lo
        return lo, hi, inp.type

    def categories(self) -> list[CCategory]:
        out = []
        total = Decimal(0)
        for ci, c in enumerate(self.m.categories):
            path: PathKey = ("categories", ci)
            items = [self.item((*path, "items", ii), it, c.id) for ii, it in enumerate(c.items)]
            self.category_sums(path, c, items)
            total += c.scale_to if c.scale_to is not None else c.points
            out.append(CCategory(c.id, c.name, c.points, c.cap, c.scale_to, c.clause, items))
        if total != self.m.scheme.total:
            self.err(("categories",), f"各分类分值之和为{_fmt(total)}，应为总分{_fmt(self.m.scheme.total)}"
                     "（有 scale_to 的分类按折算后分值计）", "points-sum")
        return out

    def category_sums(self, path: PathKey, c: Category, items: list[CItem]) -> None:
        s = sum((i.points for i in items), Decimal(0))
        if items and s != c.points:
            self.err((*path, "items"), f"分类{c.id}各项分值之和为{_fmt(s)}，应为{_fmt(c.points)}", "points-sum")
        if not items:
            self.err(path, f"分类{c.id}没有考核项目", "category-empty")
        if c.cap is not None and not 0 < c.cap <= c.points:
            self.err((*path, "cap"), f"cap（{c.cap}）应大于0且不超过分类分值{c.points}", "cap-range")
        if c.scale_to is not None and c.scale_to <= 0:
            self.err((*path, "scale_to"), f"scale_to（{c.scale_to}）应为正数", "points")

    def vetoes(self, grade_names: list[str]) -> list[CVeto]:
        out = []
        for i, v in enumerate(self.m.vetoes):
            path: PathKey = ("vetoes", i)
            table = self.table_ref((*path, "for_each"), v.for_each)
            node, reads = self.parse((*path, "when"), v.when, table=table, want="bool")
            effect, arg = self.effect((*path, "effect"), v.effect, grade_names)
            if node is not None and effect:
                out.append(CVeto(v.id, v.name, node, table, effect, arg, v.clause, v.reason, reads))
        return out

    def effect(self, path: PathKey, raw: Any, grades: list[str]) -> tuple[str, Any]:
        choices = "fail、zero、exclude、flag，或 {deduct: 分数}、{max_grade: 等次}、{downgrade: 级数}、{flag: 文本}"
        if isinstance(raw, str):
            if raw in ("fail", "zero", "exclude", "flag"):
                return raw, None
            self.err(path, f"否决效果“{raw}”无效{did_you_mean(raw, sorted(VETO_EFFECTS))}，应为 {choices}", "veto-effect")
            return "", None
        if len(raw) != 1:
            self.err(path, f"否决效果只能写一种，应为 {choices}", "veto-effect")
            return "", None
        (kind, arg), = raw.items()
        if kind == "deduct" and isinstance(arg, (int, Decimal)) and not isinstance(arg, bool) and arg > 0:
            return kind, Decimal(arg)
        if kind == "downgrade" and isinstance(arg, int) and not isinstance(arg, bool) and arg >= 1:
            return kind, arg
        if kind == "max_grade":
            if arg in grades:
                return kind, arg
            self.err(path, f"等次“{arg}”未在 scheme.grades 中定义{did_you_mean(str(arg), grades)}", "veto-grade")
            return "", None
        if kind == "flag":
            return kind, str(arg)
        self.err(path, f"否决效果“{kind}: {arg}”无效，应为 {choices}", "veto-effect")
        return "", None

    def adjustments(self, section: str) -> list[CAdjust]:
        out = []
        for i, a in enumerate(getattr(self.m, section)):
            path: PathKey = (section, i)
            c = self.rule(path, a, a.id, a.id, a.cap, None)
            if c is None:
                continue
            kind = "bonus" if section == "bonuses" else "penalty"
            if (kind == "bonus" and c.sign < 0) or (kind == "penalty" and c.sign > 0):
                word = "award/award_by" if kind == "bonus" else "deduct/deduct_by"
                self.err(path, f"{'加分项' if kind == 'bonus' else '扣分项'}应使用 {word}", "adjust-sign")
            out.append(CAdjust(a.id, a.name, a.clause, c, kind))
        return out

    def tiebreak(self) -> list[tuple[ex.Node, str]]:
        out = []
        for i, t in enumerate(self.m.scheme.ranking.tiebreak):
            path: PathKey = ("scheme", "ranking", "tiebreak", i)
            text, order = t.strip(), "desc"
            parts = text.rsplit(None, 1)
            if len(parts) == 2 and parts[1] in ("asc", "desc"):
                text, order = parts
            node, _ = self.parse(path, text)
            if node is not None:
                out.append((node, order))
        return out

    def ids(self, scheme: Scheme) -> None:
        seen: dict[str, PathKey] = {}
        entries: list[tuple[str, PathKey]] = []
        for ci, c in enumerate(self.m.categories):
            entries.append((c.id, ("categories", ci, "id")))
            for ii, it in enumerate(c.items):
                entries.append((it.id, ("categories", ci, "items", ii, "id")))
        for section in ("vetoes", "bonuses", "penalties"):
            for i, x in enumerate(getattr(self.m, section)):
                entries.append((x.id, (section, i, "id")))
        for ident, path in entries:
            if ident in seen:
                self.err(path, f"编号“{ident}”重复（第{self.smap.line(seen[ident])}行已使用）", "duplicate-id")
            else:
                seen[ident] = path

    def unused(self) -> None:
        for name in [*self.m.inputs, *self.m.derived]:
            if name not in self.used:
                section = "inputs" if name in self.m.inputs else "derived"
                self.err((section, name), f"“{name}”已定义但未被任何规则、派生值或检查使用", "unused", "warning")

    def compile(self) -> Scheme:
        meta = self.m.scheme
        if meta.period and meta.period.start > meta.period.end:
            self.err(("scheme", "period"), "考核时段的开始日期晚于结束日期", "period")
        if not 0 <= meta.decimals <= 6:
            self.err(("scheme", "decimals"), f"decimals（{meta.decimals}）应在 0 到 6 之间", "decimals")
        self.inputs()
        grades = self.grades()
        derived = self.derived()
        checks = self.checks()
        categories = self.categories()
        vetoes = self.vetoes([g.name for g in grades])
        bonuses = self.adjustments("bonuses")
        penalties = self.adjustments("penalties")
        tiebreak = self.tiebreak()
        scheme = Scheme(self.file, meta, dict(self.m.entity_fields), dict(self.m.inputs), derived, checks,
                        categories, vetoes, bonuses, penalties, grades, tiebreak)
        self.ids(scheme)
        self.unused()
        return scheme


def _fmt(d: Decimal) -> str:
    return f"{d.normalize():f}" if d == d.to_integral_value() else f"{d:f}"


def load_criteria(path: Path | str, problems: Problems, display: str | None = None) -> Scheme | None:
    """Load and compile a criteria file. Returns None when it has errors (all of them are in `problems`)."""
    path = Path(path)
    before = len(problems.errors)
    data, smap = load_yaml_file(path, problems, display)
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.add("考核细则文件的顶层应为键值映射（scheme、inputs、categories……）", file=smap.file, line=1,
                     code="schema")
        return None
    try:
        model = SchemeFile.model_validate(data)
    except ValidationError as err:
        _pydantic_problems(err, smap, problems)
        return None
    scheme = _Compiler(model, smap, problems).compile()
    scheme.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return None if len(problems.errors) > before else scheme

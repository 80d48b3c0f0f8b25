"""The compiler's shared services: name resolution, expression parsing, located errors, id and use checks.

Each construct of the language compiles itself in its own module under `rules.language.constructs`; they
all report through one `Compiler`, which knows the file, the source map and the names in scope.
"""

from __future__ import annotations

from decimal import Decimal

from common.problems import Problems, did_you_mean
from rules.language import expr as ex
from rules.language.constructs.accumulate import compile_accumulate
from rules.language.constructs.adjustments import compile_adjustments
from rules.language.constructs.assessed import FINDINGS_COLUMNS
from rules.language.constructs.base import id_problem
from rules.language.constructs.checks import compile_checks
from rules.language.constructs.derived import compile_derived
from rules.language.constructs.grades import compile_grades, compile_meta, compile_tiebreak
from rules.language.constructs.inputs import TYPE_OF_INPUT, Input, compile_inputs
from rules.language.constructs.items import compile_categories
from rules.language.constructs.periods import compile_periods, declare_periods
from rules.language.constructs.previous import FIGURES, compile_previous
from rules.language.constructs.rollup import EXCLUDED_GRADE, compile_rollups
from rules.language.constructs.vetoes import RESULT_LABELS, RESULT_NAMES, compile_vetoes
from rules.language.model import SchemeFile
from rules.language.scheme import Scheme
from rules.language.yamlsource import PathKey, SourceMap, format_path

BUILTIN_TYPES = {"entity.id": "str", "entity.name": "str", "period.start": "date", "period.end": "date",
                 "period.id": "str"}


class Compiler:
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
        self.scalar_types.update(BUILTIN_TYPES)
        self.derived_ids = set(model.derived)
        self.derived_types: dict[str, str] = {}
        self.lower: dict[str, Scheme | None] = {}   # the lower scheme of each rollup, loaded by the caller
        self.rollup_tables: dict[str, Input] = {}   # rollups are ledgers too (constructs/rollup.py)

    def err(self, path: PathKey, msg: str, code: str, level: str = "error") -> None:
        self.p.add(msg, file=self.file, line=self.smap.line(path), key=format_path(path), code=code,
                   level=level)  # type: ignore[arg-type]

    def tables(self) -> dict[str, Input]:
        return {**{k: v for k, v in self.m.inputs.items() if v.type == "table"}, **self.rollup_tables}

    def columns(self, table: str) -> dict[str, str]:
        """The expression type of each column of a ledger (the findings ledger included)."""
        if table == "findings":
            return {c: TYPE_OF_INPUT[col.type] for c, col in FINDINGS_COLUMNS.items()}
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
              extra: dict[str, str] | None = None) -> tuple[ex.Node | None, set[str]]:
        """Parse an expression and resolve its names; returns (node, scalar names read). `extra`: names this
        place may read besides the scheme's (a veto reads the unit's total, rank, grade), with their types."""
        if text is None:
            return None, set()
        try:
            node = ex.parse(text)
        except ex.ExprError as e:
            self.err(path, f"表达式“{ex.shorten(text)}”有误：{e.message}", "expr-syntax")
            return None, set()
        cols = self.columns(table) if table else {}
        known = {**(extra or {}), **self.scalar_types, **self.derived_types}
        reads: set[str] = set()
        ok = True
        for name in sorted(ex.names(node)):
            if name in cols:
                continue
            if name in known or name in self.derived_ids:
                reads.add(name)
                if name not in (extra or {}):
                    self.used.add(name)
                continue
            ok = False
            self.err(path, f"未定义的名称“{name}”{self._hint(name, table, known, cols)}", "undefined-name")
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

    def _hint(self, name: str, table: str | None, known: dict[str, str], cols: dict[str, str]) -> str:
        if name in RESULT_NAMES:   # never suggest an input that merely looks alike (media_total for total)
            return (f"（{name} 是本单位的{RESULT_LABELS[name]}，只能在否决项 vetoes 的 when 中读取，"
                    "见 criteria/README.md 2.15.1）")
        hint = did_you_mean(name, [*known, *self.derived_ids, *cols])
        label_hit = next((k for k, v in self.m.inputs.items() if v.label == name), None)
        derived_hit = next((k for k, v in self.m.derived.items() if v.label == name), None)
        if label_hit:
            hint = f"（“{name}”是输入 {label_hit} 的名称，表达式中请写 {label_hit}）"
        elif derived_hit:
            hint = f"（“{name}”是派生值 {derived_hit} 的名称，表达式中请写 {derived_hit}）"
        head, dot, _ = name.partition(".")
        if dot and head in self.rollup_tables:
            return (f"（{head} 是汇总台账，每个下级单位一行：它的列要用 sum: {name}、count: {head}、where 或 for_each: {head} "
                    "读取，见 criteria/README.md 2.19）")
        if dot and head in self.m.periods:
            hint += (f"（期别 {head} 写了 results 才能读取它的结果（全年评分时、按以后各期评分时）；"
                     f"提供 {'、'.join(FIGURES)}，见 criteria/README.md 2.20）")
        elif dot and head in self.m.previous:
            hint += f"（往期结果 {head} 提供 {'、'.join(FIGURES)}，见 criteria/README.md 2.18）"
        elif dot and head not in ("entity", "period") and head not in self.tables() and not hint:
            hint = (f"（读往期结果请先在 previous 中声明 {head}，见 criteria/README.md 2.18；"
                    f"读季度等分期结果请在 periods 中声明期别 {head} 并写 results，见 2.20）")
        if not hint and not dot and self._is_text(name):
            hint = f"（“{name}”是文字吧？文字要加引号：'{name}'，见 criteria/README.md 2.17）"
        if name.startswith("entity."):
            hint = hint or f"（实体字段有：{'、'.join(['id', 'name', *self.m.entity_fields])}）"
        elif table is None and any(name in self.columns(t) for t in self.tables()):
            hint += "；台账的列只能在 for_each 规则或 where 中使用"
        return hint

    def _is_text(self, name: str) -> bool:
        """Whether an undefined name is a text the scheme knows as a value (a grade, a declared value of an input,
        a column or an entity field): written without quotes it reads as a name."""
        texts = {g.name for g in self.m.scheme.grades}
        for inp in self.m.inputs.values():
            texts.update(inp.values or [])
            for col in (inp.columns or {}).values():
                texts.update(col.values or [])
        for fld in self.m.entity_fields.values():
            texts.update(getattr(fld, "values", None) or [])
        for lower in self.lower.values():   # a rollup's rows carry the lower scheme's grades
            if lower is not None:
                texts.update(g.name for g in lower.meta.grades)
        return name in texts

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
        if name == "grade" and table is None:   # the unit's own grade (a veto reading its result, 2.15.1)
            return [*(g.name for g in self.m.scheme.grades), EXCLUDED_GRADE]
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

    def bounds_of(self, name: str) -> tuple[Decimal | None, Decimal | None, str]:
        inp = self.m.inputs.get(name)
        if inp is None:
            return None, None, "number"
        lo, hi = inp.min, inp.max
        if inp.type == "percent":
            lo = Decimal(0) if lo is None else lo
        return lo, hi, inp.type

    def ids(self) -> None:
        """Ids of categories, items, vetoes, bonuses and penalties: well formed and unique in the file."""
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
            problem = id_problem(ident)
            if problem:
                self.err(path, problem, "bad-id")
            if ident in seen:
                self.err(path, f"编号“{ident}”重复（第{self.smap.line(seen[ident])}行已使用）", "duplicate-id")
            else:
                seen[ident] = path

    def unused(self) -> None:
        for name in [*self.m.inputs, *self.m.derived]:
            if name not in self.used:
                section = "inputs" if name in self.m.inputs else "derived"
                self.err((section, name), f"“{name}”已定义但未被任何规则、派生值或检查使用", "unused", "warning")
        for name in self.rollup_tables:
            if name not in self.used:
                self.err(("rollup", name), f"汇总台账“{name}”已声明但未被任何规则、派生值或否决项使用", "unused", "warning")

    def compile(self) -> Scheme:
        compile_meta(self)
        compile_inputs(self)
        previous = compile_previous(self)
        periods = declare_periods(self)
        rollups = compile_rollups(self, self.lower)
        self.rollup_tables = {r.name: r.table for r in rollups}
        grades = compile_grades(self)
        derived = compile_derived(self)
        checks = compile_checks(self)
        categories = compile_categories(self)
        vetoes = compile_vetoes(self, [g.name for g in grades])
        bonuses = compile_adjustments(self, "bonuses")
        penalties = compile_adjustments(self, "penalties")
        tiebreak = compile_tiebreak(self)
        periods = compile_periods(self, periods, vetoes)
        scheme = Scheme(self.file, self.m.scheme, dict(self.m.entity_fields), dict(self.m.inputs), derived, checks,
                        categories, vetoes, bonuses, penalties, grades, tiebreak, previous=previous,
                        periods=periods)
        scheme.rollups = rollups
        scheme.accumulate = compile_accumulate(self)
        self.ids()
        self.unused()
        return scheme

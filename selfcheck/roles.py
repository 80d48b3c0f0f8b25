"""What each input is to a self-check: a fact, a reference or work — and the words that name the work.

Only the unit's *work* (what it can still change) ever gets a target. The scheme says which is which with
`role:` on an input, a ledger or a ledger column (see criteria/README.md, 6.1):

- `fact`: already happened (accidents, deaths, fires, a report already sent) — never a target;
- `reference`: set above or in the past (control targets, deadlines, last year's figures) — never a target;
- `work`: what the unit can still do (inspections, rectifying hazards, building stations).

A column without `role` takes its ledger's. What an input without any `role` is, is inferred — the only
fallback, and every report says it was inferred: a scalar input found only on the right of a comparison or
under a division (`x > x_target`, `done / planned`, see `reference_names`) is a reference, any other
input and ledger is work. The built-in ledger of assessors' findings is always a fact (others score it).

Apart from roles, a filled date is always past data: it records when something happened, and no target
moves it (a blank date may still get one: “report by …”).

Ledger rows are named by the work they stand for: `work:` on the column a flip fills or changes (e.g.
`整改完成日期: {..., work: 整改{n}项隐患}`) or on the ledger (`work: 建成{n}个标准化应急管理站`), `{n}` the
number of rows. Nothing here knows an input's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.language import expr as ex
from rules.language.scheme import Scheme

FACT, REFERENCE, WORK = "fact", "reference", "work"
FINDINGS = "findings"            # the built-in ledger of assessors' findings
WORDS = {FACT: "已发生的事实", REFERENCE: "参照值", WORK: "本单位的工作"}


@dataclass(frozen=True)
class Role:
    role: str                    # fact | reference | work
    declared: bool               # written in the scheme (False: inferred)

    @property
    def work(self) -> bool:
        return self.role == WORK


class Roles:
    """The role of every input, ledger and column of a scheme, declared or inferred."""

    def __init__(self, scheme: Scheme, inferred_references: set[str]):
        self.s = scheme
        self.inferred_references = inferred_references
        self.inferred: dict[str, Role] = {}     # name -> inferred role, for the report's note

    def input(self, name: str) -> Role:
        """A scalar input or a ledger."""
        if name == FINDINGS:
            return Role(FACT, True)
        inp = self.s.inputs.get(name)
        if inp is None:
            return Role(FACT, True)              # entity fields, the period: not the unit's to change
        if inp.role is not None:
            return Role(inp.role, True)
        role = Role(REFERENCE if name in self.inferred_references else WORK, False)
        self.inferred[name] = role
        return role

    def workable(self, name: str) -> bool:
        """Whether a target may move this input or ledger: its role is work, or (a ledger) one of its columns'."""
        if self.input(name).work:
            return True
        inp = self.s.inputs.get(name)
        return inp is not None and any(c.role == WORK for c in (inp.columns or {}).values())

    def column(self, table: str, column: str) -> Role:
        spec = self.s.columns(table).get(column)
        if spec is not None and spec.role is not None:
            return Role(spec.role, True)
        return self.input(table)

    def work_template(self, table: str, columns: list[str]) -> str | None:
        """The text naming the work of flipped rows: the changed columns' common `work`, else the ledger's."""
        if table == FINDINGS or table not in self.s.inputs:
            return None
        specs = self.s.columns(table)
        texts = {specs[c].work for c in columns if c in specs}
        if len(texts) == 1 and None not in texts:
            return texts.pop()
        return self.s.inputs[table].work

    def explain(self, name: str) -> str:
        """'label（已发生的事实）' for a name a target may not move (`ledger.column` for a column)."""
        table, _, column = name.partition(".")
        if column and table in self.s.inputs:
            role = self.column(table, column)
            return f"{self.s.label(table)}的“{column}”（{WORDS[role.role]}{'' if role.declared else '，按用法推定'}）"
        role = self.input(name)
        guessed = "" if role.declared else "，按用法推定"
        return f"{self.s.label(name)}（{WORDS[role.role]}{guessed}）"

    def inferred_note(self, used: set[str]) -> str | None:
        """Say that some roles were inferred, naming the inputs whose inferred role shaped the advice."""
        refs = sorted(self.s.label(n) for n in used if n in self.inferred and not self.inferred[n].work)
        work = [n for n in used if n in self.inferred and self.inferred[n].work]
        if not refs and not work:
            return None
        said = f"推定为参照值、不给目标值的：{'、'.join(refs)}；" if refs else ""
        rest = f"其余{len(work)}项按本单位可改变的工作给出目标值，其中可能有已发生的事实（如事故、火灾）" if work else ""
        return ("细则未标明所涉填报项目的性质（role: fact 已发生的事实 / reference 参照值 / work 本单位的工作），"
                f"自查按其在规则中的用法推定——{said}{rest}。请核实，并在细则中写明 role")


def reference_names(scheme: Scheme) -> set[str]:
    """Inputs that read as reference figures rather than the unit's own results: those only ever found on
    the right of a comparison or under a division whose other side reads the unit's values too (a target,
    a plan, a deadline, last year's figure: `x > x_target`, `done / planned`). An input without a declared
    `role` found here is inferred to be a reference (`Roles`): no target moves it."""
    lever: set[str] = set()
    ref: set[str] = set()

    def own(node: ex.Node) -> set[str]:
        return {n for n in ex.names(node) if not n.startswith(("entity.", "period."))}

    def walk(tree: ex.Node | None) -> None:
        for node in ex.walk(tree):
            if isinstance(node, ex.Bin) and (node.op in ex.COMPARISONS or node.op == "/") \
                    and own(node.left) and own(node.right):
                lever.update(own(node.left))
                ref.update(own(node.right))

    for item in scheme.items:
        for r in item.rules:
            walk(r.when)
            walk(r.per)
        for row in item.table or []:
            walk(row.when)
        walk(item.rank.by if item.rank else None)
    for a in scheme.adjustments():
        walk(a.rule.when)
        walk(a.rule.per)
    for v in scheme.vetoes:
        walk(v.when)
    for d in scheme.derived:
        walk(d.expr)
    return {n for n in ref - lever if n in scheme.scalar_inputs}

"""Evaluate a scheme on a data set: which rules fire for which unit (or ledger row), by how much.

The stage after derivation: it consumes the frame that `rules.evaluation.derive` made, and never derives.
This module decides *what happened* (conditions, amounts, evidence); `scoring` decides what it is
worth (clamps, caps, categories, totals, grades, ranks). Every condition it decides is kept (`Evaluation.conds`
and `masks`) for the next stage, which decides each again through durable-rules (rules.evaluation.match).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from common.problems import Problems
from rules.evaluation.figures import Figures
from rules.evaluation.frame import Frame, RowEnv, ledger_rows
from rules.evaluation.outcome import EVIDENCE_SOURCE, Cond, Evaluation, Firing, TableHit, VetoHit
from rules.evaluation.outcome import name_types as _types  # noqa: F401 - bench/peer.py imports it from here
from rules.evaluation.reasons import rule_reason
from rules.evaluation.tables import Tables as DataSet
from rules.language import expr as ex
from rules.language.constructs.rollup import VETO_TEXT, read_columns, row_evidence
from rules.language.scheme import CCheck, CItem, CRule, Scheme, TableRowDef
from rules.language.text import describe, show_value

ZERO = Decimal(0)


class _Evaluator:
    def __init__(self, scheme: Scheme, data: DataSet, frame: Frame, problems: Problems):
        self.s = scheme
        self.d = data
        self.p = problems
        self.frame = frame
        self.ev = Evaluation(scheme, data, self.frame)
        self.conds = self.ev.conds
        self.masks = self.ev.masks
        self.ledgers = frame.ledgers
        self.columns = frame.columns
        self.envs: dict[str, ex.Env] = {}
        # describe() of a node, the same for every unit; by identity (equal nodes may be written differently)
        self.texts: dict[tuple[int, bool], str] = {}
        self.figures = Figures(scheme, frame).of   # the unit's figures a condition compares, for reasons

    def describe(self, node: ex.Node, as_condition: bool = True) -> str:
        key = (id(node), as_condition)
        if key not in self.texts:
            self.texts[key] = describe(node, self.s, as_condition=as_condition)
        return self.texts[key]

    def env(self, table: str | None) -> ex.Env:
        key = table or ""
        if key not in self.envs:
            self.envs[key] = self.frame.env() if table is None else self.frame.rows(table)
        return self.envs[key]

    def unit_pos(self, table: str) -> np.ndarray:
        """The position of each row's unit in the frame."""
        env = self.env(table)
        assert isinstance(env, RowEnv)
        return env.unit_pos

    def condition(self, key: str, node: ex.Node | None, table: str | None, label: str,
                  line: int | None = None, where: np.ndarray | None = None) -> np.ndarray:
        """Where a condition holds (all true when there is none), registered for the cross-check; a division
        by zero that decides it is reported at the units (or rows) of `where` (default: all)."""
        n = self.frame.n if table is None else len(self.ledgers[table])
        if node is None:
            return np.ones(n, dtype=bool)
        col = ex.evaluate(node, self.env(table)) if n else None
        mask = ex.truthy(col) if col is not None else np.zeros(0, dtype=bool)
        if col is not None:
            self.divided_by_zero(col, node, table, label, line, where)
        self.conds.append(Cond(key, node, table, label, line))
        self.masks[key] = mask
        return mask

    def number(self, node: ex.Node, table: str | None, label: str = "", line: int | None = None,
               where: np.ndarray | None = None) -> ex.Col:
        col = ex.evaluate(node, self.env(table))
        if label:
            self.divided_by_zero(col, node, table, label, line, where)
        return col

    def divided_by_zero(self, col: ex.Col, node: ex.Node, table: str | None, label: str, line: int | None,
                        where: np.ndarray | None) -> None:
        """A division by zero that decided a condition or a figure: a warning at the criteria line, per unit
        (and ledger row); the value is null, so the rule does not fire (as for a derived value without
        if_zero)."""
        if col.div_zero is None:
            return
        hit = col.div_zero if where is None else col.div_zero & where
        if not hit.any():
            return
        text = self.describe(node, False)
        ledger = self.ledgers[table] if table is not None else None
        for j in _positions(hit):
            if ledger is None:
                unit, at = self.frame.ids[j], ""
            else:
                unit, at = str(ledger["entity"].iloc[j]), f"（{ledger['_file'].iloc[j]}·第{ledger['_row'].iloc[j]}行）"
            self.p.add(f"{label}：“{text}”计算时除数为零{at}，结果记为空，本条不起作用；请核对数据，"
                       "或在考核细则中先判断除数不为0（如 x > 0 and …）", level="warning", entity=unit,
                       file=self.s.file, line=line, code="div-zero-rule")

    # -- stages

    def checks(self) -> None:
        for c in self.s.checks:
            if c.for_each is not None:
                self.row_check(c)
                continue
            holds = self.condition(f"check[{c.index}]", c.when, None, f"检查 checks[{c.index}]", c.line)
            skip = self.frame.na_of(c.reads)
            # A blank value makes a check moot, unless the check is about blanks (`x == null`).
            for name in c.reads - ex.null_tested(c.when):
                skip |= pd.isna(self.frame.cols[name])
            for i in _positions(~holds & ~skip):
                unit = self.frame.ids[i]
                ev = self.ev.evidence_of(i, c.reads)
                detail = "，".join(f"{self.s.label(k)}={'空' if v is None else v}" for k, v in ev.items())
                self.p.add(f"{c.message}（{detail}）" + ("；该单位不予计分，请更正数据" if c.level == "error" else ""),
                           level=c.level,  # type: ignore[arg-type]
                           entity=unit, file=self.s.file, line=c.line, code="check")
                if c.level == "error":
                    self.ev.excluded.add(unit)

    def row_check(self, c: CCheck) -> None:
        """A check with `for_each`: `when` is tested on every ledger row; a failure is located at that row
        (file, sheet, row, and the first column the check names). Like a unit's check, a row reading a blank
        is skipped unless the check tests that value against null."""
        assert c.for_each is not None
        ledger = self.ledgers[c.for_each]
        holds = self.condition(f"check[{c.index}]", c.when, c.for_each, f"检查 checks[{c.index}]", c.line)
        if not len(ledger):
            return
        unit_pos = self.unit_pos(c.for_each)
        skip = self.frame.na_of(c.reads)[unit_pos]
        tested = ex.null_tested(c.when)
        for name in c.reads - tested:
            skip |= pd.isna(self.frame.cols[name])[unit_pos]
        for col in set(c.columns) - tested:
            skip |= ~self.env(c.for_each).lookup(col).mask()   # blank (the cached column's null mask)
        failed = _positions(~holds & ~skip)
        table = ledger_rows(ledger, failed, [*c.columns, "entity", "_row", *(x for x in ("_path", "_file", "_sheet")
                                                                       if x in ledger.columns)])
        for k, j in enumerate(failed):
            row = {name: values[k] for name, values in table.items()}   # what ledger.iloc[j] holds
            shown = {col: show_value(row[col]) for col in c.columns}
            ev = {**shown, **self.ev.evidence_of(int(unit_pos[j]), c.reads)}
            detail = "，".join(f"{self.s.label(k)}={'空' if v is None else v}" for k, v in ev.items())
            first = c.columns[0] if c.columns else None
            self.p.add(f"{c.message}（{detail}）" + ("；请更正该行数据" if c.level == "error" else ""),
                       level=c.level,  # type: ignore[arg-type]
                       entity=str(row["entity"]), file=str(row.get("_path", row.get("_file"))), sheet=row.get("_sheet"),
                       row=int(row["_row"]), column=first, value=shown.get(first) if first else None, code="check")
            if c.level == "error":
                self.ev.excluded.add(str(row["entity"]))

    def applicability(self, item: CItem) -> np.ndarray:
        applies = self.condition(f"{item.id}.applies", item.applies_when, None, f"项目{item.id}的适用条件", item.line)
        na_inputs = self.frame.na_of(item.reads)
        for i in _positions(~applies | na_inputs):
            unit = self.frame.ids[i]
            if not applies[i]:
                why = f"不适用：不满足“{self.describe(item.applies_when)}”" if item.applies_when else "不适用"
            else:
                names = [n for n in sorted(item.reads) if n in self.frame.na and self.frame.na[n][i]]
                why = "不涉及：" + "、".join(self.s.label(n) for n in names)
            self.ev.not_applicable.setdefault(unit, {})[item.id] = why
        return applies & ~na_inputs

    def rule(self, r: CRule, applicable: np.ndarray) -> None:
        label = f"规则 {r.uid}"
        if r.for_each is None:
            mask = self.condition(f"{r.uid}.when", r.when, None, label, r.line, applicable) & applicable
            amounts = self.amounts(r, None, mask)
            for i in _positions(mask):
                got = amounts.get(i)
                if got is None or got[0] == 0:
                    continue
                ev = self.ev.evidence_of(i, r.reads)
                self.ev.firings.append(Firing(self.frame.ids[i], r.owner, r.uid, r.sign * got[0],
                                              self.reason(r, got[0], got[1], ev, i), ev, per=got[1]))
            return
        ledger = self.ledgers[r.for_each]
        unit_pos = self.unit_pos(r.for_each)
        mask = self.condition(f"{r.uid}.when", r.when, r.for_each, label, r.line, applicable[unit_pos]) \
            & applicable[unit_pos]
        amounts = self.amounts(r, r.for_each, mask)
        cols = [c for c in self.columns[r.for_each] if c in ledger.columns]
        fired = [j for j, got in amounts.items() if got[0] != 0]
        rollup = self.s.rollup(r.for_each)   # a lower unit's row: evidence names it (constructs/rollup.py)
        rows = ledger_rows(ledger, fired, [*cols, "_file", "_row", "entity", *([r.once_per] if r.once_per else []),
                                           *([VETO_TEXT] if rollup is not None else [])])
        for k, j in enumerate(fired):
            got = amounts[j]
            ev = {c: show_value(rows[c][k]) for c in cols} if rollup is None else row_evidence(
                rollup, {c: rows[c][k] for c in rows}, read_columns(rollup, [r.when, r.per], (r.by.column if r.by else None,)))
            ev[EVIDENCE_SOURCE] = f"{rows['_file'][k]}·第{rows['_row'][k]}行"
            ev.update(self.ev.evidence_of(int(unit_pos[j]), r.reads))
            once = rows[r.once_per][k] if r.once_per else None
            reason = self.reason(r, got[0], got[1], ev)
            self.ev.firings.append(Firing(rows["entity"][k], r.owner, r.uid, r.sign * got[0],
                                          reason if rollup is None else f"{rows['name'][k]}：{reason}", ev, once,
                                          got[1]))

    def amounts(self, r: CRule, table: str | None, mask: np.ndarray
                ) -> dict[int, tuple[Decimal, Decimal | None]]:
        """Per position where the rule fires, in order: (points moved, or for a `per` rule the amount for one;
        the `per` figure, unrounded); positions without an amount are left out."""
        positions = _positions(mask)
        out: dict[int, tuple[Decimal, Decimal | None]] = {}
        if r.by is not None:
            assert table is not None
            ledger = self.ledgers[table]
            by = ledger[r.by.column].to_numpy(dtype=object)
            for j in positions:
                v = by[j]
                if v is None:
                    continue
                if r.by.values is None:
                    out[j] = (v if isinstance(v, Decimal) else Decimal(v), None)
                elif str(v) in r.by.values:
                    out[j] = (r.by.values[str(v)], None)
                else:
                    if self.s.columns(table)[r.by.column].values is not None:
                        continue  # a declared value the author chose not to score: nothing to report
                    self.p.add(f"规则 {r.uid}：“{r.by.column}”的取值“{v}”没有对应分值，本行不计分；"
                               f"请在考核细则的 values 中补上，或更正数据", level="warning",
                               entity=str(ledger["entity"].iloc[j]), file=str(ledger["_file"].iloc[j]),
                               row=int(ledger["_row"].iloc[j]), column=r.by.column, code="by-value")
            return out
        assert r.amount is not None
        if r.per is None:
            return dict.fromkeys(positions, (r.amount, None))
        col = self.number(r.per, table, f"规则 {r.uid} 的 per", r.line, mask)
        known = col.mask()
        for j in positions:
            if known[j]:
                figure = Decimal(col.data[j])
                if figure > 0:   # else nothing to count, however it is rounded
                    out[j] = (r.amount, figure)
        return out

    def reason(self, r: CRule, pts: Decimal, per: Decimal | None, ev: dict[str, Any], i: int | None = None) -> str:
        return rule_reason(r, pts, per, ev, i, self.describe, self.figures, self.s.label)

    def table(self, item: CItem, applicable: np.ndarray) -> None:
        assert item.table is not None
        remaining = applicable.copy()
        hits: dict[int, tuple[int, TableRowDef]] = {}
        for k, row in enumerate(item.table):
            m = self.condition(f"{item.id}.table[{k}]", row.when, None, f"项目{item.id}判定表第{k + 1}行",
                               getattr(row, "line", None) or item.line, remaining)
            for i in _positions(m & remaining):
                hits[i] = (k, row)
            remaining &= ~m
        for i in _positions(applicable):
            unit = self.frame.ids[i]
            ev = self.ev.evidence_of(i, item.reads)
            if i in hits:
                k, row = hits[i]
                # the figures the rows compare: those of this row, or of all rows for 其他情形
                seen = self.figures([row.when] if row.when is not None else [t.when for t in item.table], i)
                if row.reason:
                    why = f"{row.reason}（{seen}）" if seen else row.reason
                else:
                    cond = (f"符合判定表第{k + 1}行（{self.describe(row.when)}）" if row.when is not None
                            else f"属判定表第{k + 1}行（其他情形）")
                    why = f"{seen}，{cond}" if seen else cond
                self.ev.table_hits[(unit, item.id)] = TableHit(k, row.score, why, ev)
            else:
                self.ev.table_hits[(unit, item.id)] = TableHit(-1, None, "判定表没有匹配的行", ev)
                self.p.add(f"项目{item.id}的判定表没有匹配的行，按起算分计；请检查数据或在判定表末尾加一行兜底",
                           entity=unit, level="warning", code="table-no-match")

    def rank(self, item: CItem, applicable: np.ndarray) -> None:
        assert item.rank is not None
        col = self.number(item.rank.by, None, f"项目{item.id}的排名依据", item.line, applicable)
        known = col.mask()
        values = {}
        for i in _positions(applicable):
            if self.frame.ids[i] in self.ev.excluded:
                continue  # a unit left out by a failed check is not ranked either
            if known[i]:
                values[self.frame.ids[i]] = col.data[i]
            else:
                self.ev.not_applicable.setdefault(self.frame.ids[i], {})[item.id] = "排名依据为空，不参与排名"
        self.ev.rank_values[item.id] = values

    def vetoes(self) -> None:
        index = {e: i for i, e in enumerate(self.frame.ids)}
        for v in self.s.vetoes:
            if v.stage:
                continue   # reads the unit's result: decided while scoring (scoring.result_vetoes)
            mask = self.condition(f"{v.id}.when", v.when, v.for_each, f"否决项 {v.id}", getattr(v, "line", None))
            na = self.frame.na_of(v.reads)
            for i in _positions(na):
                names = "、".join(self.s.label(n) for n in sorted(v.reads) if self.frame.na.get(n) is not None
                                 and self.frame.na[n][i])
                self.p.add(f"否决项 {v.id}（{v.name}）读取的“{names}”填了“不涉及”，该否决项无法判定；"
                           "如确无此类情况请填 0 或“否”", level="warning", entity=self.frame.ids[i], code="veto-not-applicable")
            reason = v.reason or self.describe(v.when)
            if v.for_each is None:
                for i in _positions(mask & ~na):
                    figures = self.figures([v.when], i)   # the unit's figures, so the reason can be checked
                    self.ev.veto_hits.append(VetoHit(self.frame.ids[i], v.id,
                                                     f"{reason}（{figures}）" if figures else reason,
                                                     self.ev.evidence_of(i, v.reads)))
                continue
            ledger = self.ledgers[v.for_each]
            seen: set[str] = set()
            entity = ledger["entity"].to_numpy(dtype=object)
            first: list[int] = []   # the first row of each unit the veto applies to
            for j in _positions(mask):
                unit = entity[j]
                if unit in seen or na[index[unit]]:
                    continue
                seen.add(unit)
                first.append(j)
            rollup = self.s.rollup(v.for_each)
            rows = ledger_rows(ledger, first, [*self.columns[v.for_each], "_file", "_row", "entity",
                                               *([VETO_TEXT] if rollup is not None else [])])
            for k in range(len(first)):
                ev = {c: show_value(rows[c][k]) for c in self.columns[v.for_each]} if rollup is None else \
                    row_evidence(rollup, {c: rows[c][k] for c in rows}, read_columns(rollup, [v.when]))
                ev[EVIDENCE_SOURCE] = f"{rows['_file'][k]}·第{rows['_row'][k]}行"
                self.ev.veto_hits.append(VetoHit(rows["entity"][k], v.id, reason if rollup is None else
                                                 f"{rows['name'][k]}：{reason}", ev))

    def values(self) -> None:
        names = [*self.s.scalar_inputs, *(d.id for d in self.s.derived)]
        for i, unit in enumerate(self.frame.ids):
            out: dict[str, Any] = {}
            for name in names:
                if self.frame.na.get(name) is not None and self.frame.na[name][i]:
                    out[name] = "不涉及"
                else:
                    out[name] = self.frame.cols[name][i]
            self.ev.values[unit] = out

    def findings_on_not_applicable(self) -> None:
        """A findings row on an item that does not apply moves nothing: say so, never drop it silently."""
        ledger = self.ledgers.get("findings")
        if ledger is None:
            return
        for rec in ledger.to_dict("records"):
            why = self.ev.not_applicable.get(str(rec["entity"]), {}).get(str(rec["考核项目"]))
            if why is not None:
                self.p.add(f"项目{rec['考核项目']}对该单位不适用（{why}），此条考核扣分记录未计分；请核对项目编号或单位",
                           level="warning", entity=str(rec["entity"]), file=str(rec["_file"]), row=int(rec["_row"]),
                           column="考核项目", value=rec["考核项目"], code="finding-not-applicable")

    def run(self) -> Evaluation:
        self.checks()
        for item in self.s.items:
            applicable = self.applicability(item)
            for r in item.rules:
                self.rule(r, applicable)
            if item.table is not None:
                self.table(item, applicable)
            if item.rank is not None:
                self.rank(item, applicable)
        everyone = np.ones(self.frame.n, dtype=bool)
        for a in self.s.adjustments():
            self.rule(a.rule, everyone & ~self.frame.na_of(a.rule.reads))
        self.findings_on_not_applicable()
        self.vetoes()
        self.values()
        return self.ev


def evaluate(scheme: Scheme, data: DataSet, frame: Frame, problems: Problems) -> Evaluation:
    """What happened for every unit, from the frame `derive` made of `data`."""
    return _Evaluator(scheme, data, frame, problems).run()


def run_checks(scheme: Scheme, data: DataSet, frame: Frame, problems: Problems) -> set[str]:
    """Only the scheme's `checks` (on data that has errors elsewhere, so every problem is reported in one
    run); returns the units an error check excludes."""
    e = _Evaluator(scheme, data, frame, problems)
    e.checks()
    return e.ev.excluded


__all__ = ["EVIDENCE_SOURCE", "Cond", "Evaluation", "Firing", "TableHit", "VetoHit", "evaluate", "run_checks"]


def _positions(mask: np.ndarray) -> list[int]:
    """Positions where a mask holds, as plain ints."""
    return np.flatnonzero(mask).tolist()

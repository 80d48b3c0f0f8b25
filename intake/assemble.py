"""Turn raw tables (from any reader) into a typed DataSet, reporting every problem with its location.

Readers (CSV folder, Excel workbooks) only find tables and cells; all checking happens here, so
every format reports the same problems in the same words. Each part of a data set is checked in its own
module (register, scalar_values, ledgers, findings, self_scores); this one runs them in order.
"""

from __future__ import annotations

from common.problems import Problems
from intake.cell_problems import Assembly
from intake.dataset import DataSet, Ledger
from intake.findings import check_findings
from intake.ledgers import ledger
from intake.periods import attach_periods, split_ledgers
from intake.previous import attach_previous
from intake.raw import Raw
from intake.register import entities
from intake.rollup import rollup_ledgers
from intake.scalar_values import scalar_values
from intake.self_scores import self_scores
from rules.language.scheme import FINDINGS_COLUMNS, Scheme


def assemble(scheme: Scheme, raw: Raw, problems: Problems, *, partial: bool = False) -> DataSet | None:
    """A typed DataSet, or None when the data have errors (all reported in `problems`).

    With `partial`, the data set is returned even then, its bad cells blank and the rows of unknown units
    left out: `assess check` runs the scheme's checks on it, so that every problem is found in one run.
    """
    before = len(problems.errors)
    asm = Assembly(scheme, raw, problems)
    ids, names, fields = entities(asm)
    values, na, origin, value_cells = scalar_values(asm, ids)
    earlier_files = attach_previous(scheme, ids, names, values, raw.previous, problems)
    period_files, period_vetoes = attach_periods(scheme, ids, names, values, raw.periods, problems)
    ledgers: dict[str, Ledger] = {}
    for name, inp in scheme.tables.items():
        ledgers[name] = ledger(asm, name, dict(inp.columns or {}), inp.key, ids)
    ledgers["findings"] = ledger(asm, "findings", FINDINGS_COLUMNS, None, ids)
    if scheme.rollups:   # lower results as ledgers; their sources were read before (scoring/rollup.py)
        if raw.rollups is None:
            for r in scheme.rollups:
                problems.add(f"汇总台账 {r.name}（{r.label}）没有来源：请用 --rollup {r.name}=路径 给出下级数据或结果文件，"
                             "或在细则中写 source（见 criteria/README.md 2.19）", file=scheme.file, line=r.line,
                             code="rollup-source")
        else:
            ledgers.update(rollup_ledgers(scheme, ids, names, raw.rollups, problems))
    check_findings(asm, ledgers["findings"])
    split_ledgers(scheme, ledgers, problems)
    scores = self_scores(asm, ids)
    if len(problems.errors) > before and not partial:
        return None
    files = {**raw.files, **earlier_files, **period_files}
    return DataSet(ids, names, fields, values, na, ledgers, origin, scores, files, value_cells, period_vetoes)


__all__ = ["assemble"]

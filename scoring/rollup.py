"""Where each rollup's lower results come from (criteria/README.md 2.19): a results document, or lower data
scored with the lower scheme in this same run.

Sources are given to the run (`assess score --rollup counties=PATH`, or `counties@本市=PATH` when the
whole source belongs to one higher unit; repeatable) or declared in the scheme (`source:`, relative to the
criteria file). A folder that holds no data but one subfolder or results file per higher unit (named by its
id or name) is a source per higher unit. Every lower run's errors are this run's errors: a lower unit left
out of its own results would silently vanish from its city's sums.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.problems import Problems, did_you_mean
from intake.dataset import DataSet
from intake.rollup import LowerUnit, read_results
from rules.language.scheme import CRollup, Scheme
from scoring.totals import UnitResult

SECTION = "criteria/README.md 2.19"
DATA_SUFFIXES = (".csv", ".xlsx", ".xlsm")

# scores lower data with the lower scheme: (its units' results, its data set), or None (problems reported)
ScoreLower = Callable[[Scheme, Path, Problems], "tuple[list[UnitResult], DataSet] | None"]


class BadSource(ValueError):
    """A `--rollup` option that cannot be read (the message is Chinese)."""


@dataclass(frozen=True)
class Source:
    rollup: str
    path: Path
    unit: str | None = None       # the higher unit (id or name) the whole source belongs to
    given: str = ""               # as written, for messages


def parse_source(text: str) -> Source:
    """`counties=PATH` or `counties@本市=PATH`."""
    head, eq, path = text.partition("=")
    name, at, unit = head.partition("@")
    if not eq or not name.strip() or not path.strip() or (at and not unit.strip()):
        raise BadSource(f"--rollup“{text}”应写成 汇总台账名称=路径（如 counties=县区数据），或 名称@本级单位=路径"
                        f"（如 counties@本市=县区数据）；见 {SECTION}")
    return Source(name.strip(), Path(path.strip()), unit.strip() or None, text)


def declared(r: CRollup, scheme_file: str) -> list[Source]:
    def at(p: str) -> Path:   # as the user reads it in messages and evidence
        return Path(os.path.normpath(Path(scheme_file).parent / p))

    if isinstance(r.source, dict):
        return [Source(r.name, at(p), unit, f"source.{unit}") for unit, p in r.source.items()]
    return [Source(r.name, at(r.source), None, "source")] if r.source else []


def _holds_data(path: Path) -> bool:
    try:
        return any(p.is_file() and p.suffix.lower() in DATA_SUFFIXES for p in path.iterdir())
    except OSError:
        return True   # reported when it is read


def _per_unit(src: Source, named: bool) -> list[Source] | None:
    """A folder of sources (named by their higher units when `named`), or None when `src` is one source itself."""
    if src.unit is not None or not src.path.is_dir() or _holds_data(src.path):
        return None
    children = sorted(p for p in src.path.iterdir() if p.is_dir() or p.suffix.lower() == ".json")
    return [Source(src.rollup, p, (p.stem if p.suffix.lower() == ".json" else p.name) if named else None, src.given)
            for p in children]


def scored_lower_unit(r: UnitResult, data: DataSet, src: Source) -> LowerUnit:
    origin = data.value_origin.get(r.entity)
    file, row, path, sheet = (origin[0].show(), origin[1], origin[0].file, origin[0].sheet) if origin else \
        (str(src.path), 0, str(src.path), None)
    values = {k: (None if v == "不涉及" else v) for k, v in r.values.items()}
    return LowerUnit(r.entity, r.name, dict(r.fields), r.total, r.rank, r.grade, [v["id"] for v in r.vetoes],
                     dict(r.items), dict(r.categories), values, file, row, path, sheet, src.unit, str(src.path),
                     [f"{v['name']}：{v['reason']}" for v in r.vetoes])


def _one(r: CRollup, src: Source, scheme: Scheme, problems: Problems, files: dict[str, str],
         score: ScoreLower) -> list[LowerUnit] | None:
    line = {"file": scheme.file, "line": r.line, "code": "rollup-source"}
    if src.path.is_file() and src.path.suffix.lower() == ".json":
        return read_results(r, src.path, problems, scheme.file, files, src.unit)
    if not src.path.exists():
        problems.add(f"汇总台账 {r.name}（{r.label}）的来源 {src.path} 不存在；--rollup 中的路径相对于当前文件夹，"
                     f"source 中的路径相对于细则文件所在的文件夹", **line)  # type: ignore[arg-type]
        return None
    lower_problems = Problems()
    scored = score(r.lower, src.path, lower_problems)
    errors, warnings = lower_problems.errors, lower_problems.warnings
    if errors or scored is None:
        problems.extend(errors)
        problems.add(f"汇总台账 {r.name}（{r.label}）的下级数据 {src.path} 用下级细则 {r.scheme_file} 评分时有"
                     f" {len(errors)} 个错误（见上），本级单位无法汇总；请先改正下级数据（assess check -c "
                     f"{r.lower.file} -d {src.path}）", **line)  # type: ignore[arg-type]
        return None
    if warnings:
        problems.add(f"汇总台账 {r.name} 的下级数据 {src.path} 有 {len(warnings)} 个警告，请用 assess check -c "
                     f"{r.lower.file} -d {src.path} 查看", level="warning", **line)  # type: ignore[arg-type]
    results, data = scored
    files.update(data.files)
    left_out = set(data.ids) - {u.entity for u in results}
    if left_out:
        problems.add(f"汇总台账 {r.name} 的下级数据 {src.path} 中单位 {'、'.join(sorted(left_out))} 未计分，"
                     "本级单位无法汇总", **line)  # type: ignore[arg-type]
        return None
    return [scored_lower_unit(u, data, src) for u in results]


def gather(scheme: Scheme, given: list[Source] | None, problems: Problems, score: ScoreLower
           ) -> tuple[dict[str, list[LowerUnit] | None], dict[str, str]]:
    """Every rollup's lower units (None for a rollup whose sources failed; reported), and the files read with
    their sha256 (they are inputs of this run)."""
    files: dict[str, str] = {}
    out: dict[str, list[LowerUnit] | None] = {}
    names = [r.name for r in scheme.rollups]
    for src in given or []:
        if src.rollup not in names:
            problems.add(f"--rollup“{src.given}”中的“{src.rollup}”不是本细则的汇总台账"
                         f"{did_you_mean(src.rollup, names)}；本细则的汇总台账有：{'、'.join(names) or '（没有）'}",
                         file=scheme.file, code="rollup-source")
    for r in scheme.rollups:
        mine = [s for s in given or [] if s.rollup == r.name]
        sources = mine or declared(r, scheme.file)
        if mine and all(s.unit is not None for s in mine):
            # `--rollup counties@本市=…` replaces that city's declared source only, not the other cities'
            # (found by a blind test: one city given on the command line made the others have no counties)
            taken = {s.unit for s in mine}
            sources = [*mine, *(d for d in declared(r, scheme.file) if d.unit is not None and d.unit not in taken)]
        if not sources:
            problems.add(f"汇总台账 {r.name}（{r.label}）没有来源：请用 --rollup {r.name}=路径 给出下级数据或结果文件，"
                         f"或在细则中写 source（见 {SECTION}）", file=scheme.file, line=r.line, code="rollup-source")
            out[r.name] = None
            continue
        units: list[LowerUnit] | None = []
        for src in [x for s in sources for x in (_per_unit(s, r.by is None) or [s])]:
            if r.by is None and src.unit is None:
                problems.add(f"汇总台账 {r.name} 没有写 by，来源 {src.given or src.path} 须说明属于哪个本级单位：写成 "
                             f"--rollup {r.name}@本级单位=路径，或在 source 中按本级单位分别写（见 {SECTION}）",
                             file=scheme.file, line=r.line, code="rollup-source")
                units = None
                continue
            if r.by is not None and src.unit is not None:
                problems.add(f"汇总台账 {r.name} 写了 by: {r.by}（下级单位自己说明属于哪个本级单位），来源 {src.given} "
                             f"就不能再指定本级单位“{src.unit}”；请删去 @{src.unit}，或删去细则中的 by（见 {SECTION}）",
                             file=scheme.file, line=r.line, code="rollup-source")
                units = None
                continue
            got = _one(r, src, scheme, problems, files, score)
            if got is None or units is None:
                units = None
                continue
            units += got
        out[r.name] = units
    return out, files


def lower_units(scheme: Scheme, raw: Any, given: list[Source] | None, problems: Problems, score: ScoreLower) -> None:
    """Fill `raw.rollups` (and its files) for a scheme with rollups, unless a cases file already did."""
    if not scheme.rollups or raw.rollups is not None:
        return
    raw.rollups, files = gather(scheme, given, problems, score)
    raw.files.update(files)

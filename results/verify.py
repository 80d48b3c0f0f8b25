"""Verify a published result: re-score its inputs and say whether it is reproduced byte for byte.

The re-scoring is stamped with the published run time, so the whole document — every unit, item and
event, the problems and the run record — must come out byte for byte the same. When it does not, the
report says what differs: the input files (by sha256), the tool version, the paths, and per unit the
totals, items and events (`results.compare`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from results.compare import Comparison, compare_docs
from results.document import to_json
from results.reading import BadResult, parse_result
from results.runrecord import run_record
from scoring.pipeline import Results


@dataclass
class Verification:
    identical: bool                          # byte for byte (the run time taken from the published result)
    same_content: bool                       # the same JSON content, written differently
    has_record: bool                         # the published result carries a run record
    inputs: list[str] = field(default_factory=list)      # differences of input files, in Chinese
    record: list[str] = field(default_factory=list)      # differences of the run record (tool, paths)
    other: list[str] = field(default_factory=list)       # other top-level keys that differ
    comparison: Comparison | None = None
    moved: list[str] = field(default_factory=list)       # inputs read from another place than recorded, in Chinese


def read_result(text: str) -> dict[str, Any]:
    """The published document, checked (`results.reading`); raises BadResult with a Chinese message."""
    return parse_result(text)


__all__ = ["BadResult", "Verification", "found_beside", "read_result", "recorded_paths", "relocate", "verify"]


def recorded_paths(doc: dict[str, Any]) -> tuple[str | None, str | None]:
    run = doc.get("run") or {}
    return (run.get("criteria") or {}).get("file"), (run.get("data") or {}).get("path")


def _relative(files: dict[str, str], base: str | None) -> dict[str, str]:
    out = {}
    for f, sha in files.items():
        p = PurePath(f.replace("\\", "/"))
        try:
            key = str(p.relative_to(PurePath(base.replace("\\", "/")))) if base else p.name
        except ValueError:
            key = p.name
        out[key] = sha
    return out


def found_beside(result: Path, criteria: str, data: str) -> tuple[Path, Path] | None:
    """Where recorded inputs that are no longer at their recorded paths are now: the same layout under the
    folder of the result file (a published folder holds scheme.yaml, data/ and results.json together and may be
    moved or copied whole). None when the recorded paths exist or the layout is not there."""
    rc, rd = PurePath(criteria.replace("\\", "/")), PurePath(data.replace("\\", "/"))
    if Path(criteria).exists() and Path(data).exists():
        return None
    common = [a for a, b in zip(rc.parts, rd.parts, strict=False) if a == b]
    if not common:
        return None
    base = PurePath(*common)
    c, d = result.parent / rc.relative_to(base), result.parent / rd.relative_to(base)
    return (c, d) if c.is_file() and d.is_dir() else None


def _input_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    oc, nc = old.get("criteria") or {}, new.get("criteria") or {}
    if oc.get("sha256") != nc.get("sha256"):
        out.append(f"考核细则文件已改动（记录的 sha256 {str(oc.get('sha256'))[:12]}…，本次 {str(nc.get('sha256'))[:12]}…）")
    od, nd = old.get("data") or {}, new.get("data") or {}
    of = _relative(od.get("files") or {}, od.get("path"))
    nf = _relative(nd.get("files") or {}, nd.get("path"))
    for name in sorted(of.keys() | nf.keys()):
        if name not in nf:
            out.append(f"数据文件 {name}：本次没有（记录中有）")
        elif name not in of:
            out.append(f"数据文件 {name}：本次新增（记录中没有）")
        elif of[name] != nf[name]:
            out.append(f"数据文件 {name}：内容已改动（sha256 不同）")
    return out


def _json_text(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)[1:-1]


def relocate(text: str, now: str, then: str) -> str:
    """The results document `text`, re-computed from inputs at `now`, with that path written as `then` wherever
    a JSON string begins with it (the run record, the data files, every event's 出处): a published folder that
    was moved (archived, copied to another machine) is compared as it was recorded."""
    pattern = re.compile('"' + re.escape(_json_text(now)) + r'(?=["/]|\\\\)')
    replacement = '"' + _json_text(then)
    return pattern.sub(lambda _: replacement, text)


def _relocated(text: str, doc: dict[str, Any], criteria: Path | str, data: Path | str) -> tuple[str, list[str]]:
    rec_criteria, rec_data = recorded_paths(doc)
    moved = []
    # the data folder first: the scheme may sit inside it, never the other way round
    for now, then, what in ((str(data), rec_data, "数据"), (str(criteria), rec_criteria, "考核细则")):
        if then and now != then:
            text = relocate(text, now, then)
            moved.append(f"{what}：记录为 {then}，本次读自 {now}（比较时按记录的路径写出处）")
    return text, moved


def verify(published: str, results: Results, criteria: Path | str, data: Path | str) -> Verification:
    doc = read_result(published)
    old_run = doc.get("run")
    moved: list[str] = []
    if isinstance(old_run, dict):
        results.run = run_record(results, criteria, data, str(old_run.get("time", "")))
        text, moved = _relocated(to_json(results), doc, criteria, data)
    else:
        text = to_json(results)
    new = json.loads(text)
    v = Verification(text == published, new == doc, isinstance(old_run, dict), moved=moved)
    if isinstance(old_run, dict):
        new_run = new["run"]
        v.inputs = _input_changes(old_run, new_run)
        if (old_run.get("tool") or {}).get("version") != new_run["tool"]["version"]:
            v.record.append(f"计算工具版本不同：记录为 {(old_run.get('tool') or {}).get('version')}，"
                            f"本次为 {new_run['tool']['version']}")
        if old_run.get("scheme") != new_run["scheme"]:
            v.record.append(f"考核细则编号不同：记录为 {old_run.get('scheme')}，本次为 {new_run['scheme']}")
    for k in sorted((doc.keys() | new.keys()) - {"results", "run"}):
        if doc.get(k) != new.get(k):
            v.other.append(k)
    v.comparison = compare_docs(doc, new, "发布的结果", "重新计算")
    return v

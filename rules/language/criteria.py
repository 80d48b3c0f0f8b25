"""Load a criteria file: YAML with lines → strict models → compiled scheme, with every problem at once.

Each problem is `FILE:LINE: key.path: 中文说明 (code)`. Loading never stops at the first problem: the
author fixes a whole file in one pass. Lints that are not errors (unused inputs, a `per` that can take
more than its item has) are warnings. Each construct of the language is compiled by its own module in
`rules.language.constructs` (see `rules.language.compiler`).
"""

from __future__ import annotations

import hashlib
import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from common.problems import Problems
from rules.language.compiler import Compiler
from rules.language.constructs.vetoes import EFFECTS
from rules.language.model import SchemeFile
from rules.language.pydantic_errors import pydantic_problems
from rules.language.scheme import Scheme
from rules.language.yamlsource import SourceMap, load_yaml_file

VETO_EFFECTS = set(EFFECTS)


def load_criteria(path: Path | str, problems: Problems, display: str | None = None) -> Scheme | None:
    """Load and compile a criteria file. Returns None when it has errors (all of them are in `problems`)."""
    path = Path(path)
    before = len(problems.errors)  # a duplicate key, reported while reading, fails the file too
    data, smap = load_yaml_file(path, problems, display)
    if data is None:
        return None
    scheme = compile_criteria(data, smap, problems)
    if scheme is None or len(problems.errors) > before:
        return None
    scheme.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return scheme


def compile_criteria(data: Any, smap: SourceMap, problems: Problems) -> Scheme | None:
    """Validate and compile criteria already read (a file, or a scheme written inside a cases file)."""
    before = len(problems.errors)
    if not isinstance(data, dict):
        problems.add("考核细则文件的顶层应为键值映射（scheme、inputs、categories……）", file=smap.file,
                     line=smap.line(()), code="schema")
        return None
    try:
        model = SchemeFile.model_validate(data)
    except ValidationError as err:
        pydantic_problems(SchemeFile, err, smap, problems)
        return None
    compiler = Compiler(model, smap, problems)
    compiler.lower = _lower_schemes(model, smap, problems)
    if any(lower is None for lower in compiler.lower.values()):
        return None   # its ledger's columns are unknown: every use of them would be a false error
    scheme = compiler.compile()
    return None if len(problems.errors) > before else scheme


# the lower schemes being loaded (per thread: the web server loads schemes side by side); a scheme that rolls
# itself up, directly or through another, is refused
_LOADING: ContextVar[tuple[Path, ...]] = ContextVar("lower_schemes_loading", default=())


def _lower_schemes(model: SchemeFile, smap: SourceMap, problems: Problems) -> dict[str, Scheme | None]:
    """The lower scheme of each rollup (criteria/README.md 2.19), loaded here so the compiler knows the columns
    of its ledger; a lower scheme with errors is reported at the rollup's line with its own errors."""
    out: dict[str, Scheme | None] = {}
    chain = (*_LOADING.get(), Path(smap.file).resolve())   # this scheme and the ones rolling it up
    for name, r in model.rollup.items():
        path = Path(os.path.normpath(Path(smap.file).parent / r.scheme))   # as the user reads it in messages
        where = {"file": smap.file, "line": smap.line(("rollup", name, "scheme")), "key": f"rollup.{name}.scheme",
                 "code": "rollup-scheme"}
        if path.resolve() in chain:
            problems.add(f"汇总台账 {name} 的下级细则 {r.scheme} 又汇总回本细则，绕成了圈（见 criteria/README.md 2.19）",
                         **where)  # type: ignore[arg-type]
            out[name] = None
            continue
        scratch = Problems()
        token = _LOADING.set(chain)
        try:
            out[name] = load_criteria(path, scratch)
        finally:
            _LOADING.reset(token)
        if out[name] is None:
            problems.add(f"汇总台账 {name} 的下级细则 {r.scheme}（{path}）不存在或有错误，无法知道它的结果有哪些列；"
                         "请先用 assess validate 检查下级细则，或改正 scheme（相对于本细则文件所在的文件夹；"
                         "见 criteria/README.md 2.19）。本细则的其余部分在下级细则改正后再检查", **where)  # type: ignore[arg-type]
            problems.extend(scratch.errors)
    return out

"""Load a criteria file: YAML with lines → strict models → compiled scheme, with every problem at once.

Each problem is `FILE:LINE: key.path: 中文说明 (code)`. Loading never stops at the first problem: the
author fixes a whole file in one pass. Lints that are not errors (unused inputs, a `per` that can take
more than its item has) are warnings. Each construct of the language is compiled by its own module in
`rules.language.constructs` (see `rules.language.compiler`).
"""

from __future__ import annotations

import hashlib
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
    scheme = Compiler(model, smap, problems).compile()
    return None if len(problems.errors) > before else scheme

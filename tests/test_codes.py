"""Every problem code in the source is registered with a Chinese meaning (common/codes/<area>.py), and the
table in criteria/README.md is the one `assess codes` generates from the registry."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from click.testing import CliRunner

from assess import main
from common.codes import AREAS, CODES

ROOT = Path(__file__).parent.parent
SOURCES = ["assess.py", "cli", "common", "rules", "intake", "scoring", "results", "selfcheck", "reports", "web"]
CODE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# Functions that take a code positionally (name -> index of the code among the positional arguments):
# the criteria compiler's `err(path, message, code[, level])`, the YAML reader's `add(node, path, message, code)`
# and its `_TooMuch(message, node, code)`.
POSITIONAL = {"err": 2, "add": 3, "_TooMuch": 2}
BEGIN, END = "<!-- codes:begin -->", "<!-- codes:end -->"


def _files() -> list[Path]:
    out: list[Path] = []
    for s in SOURCES:
        p = ROOT / s
        out += [p] if p.is_file() else sorted(p.rglob("*.py")) if p.is_dir() else []
    return [f for f in out if "migrations" not in f.parts]


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def codes_in(path: Path, reads: bool = True) -> dict[str, int]:
    """Codes reported (and, with `reads`, compared against) in a source file -> the first line of each."""
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        candidates: list[str | None] = []
        if isinstance(node, ast.Call):
            candidates += [_literal(k.value) for k in node.keywords if k.arg == "code"]
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            index = POSITIONAL.get(name)
            if index is not None and len(node.args) > index:
                candidates.append(_literal(node.args[index]))
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2 and path.name == "yamlsource.py":
            candidates.append(_literal(node.elts[1]))  # (message, code) of a path problem
        elif reads and isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "code":
            candidates += [_literal(c) for c in node.comparators]  # `p.code == "..."`: read, so it must exist
        for c in candidates:
            if c and CODE.match(c):
                found.setdefault(c, node.lineno)
    return found


def test_every_code_in_the_source_is_registered() -> None:
    missing = []
    for f in _files():
        for code, line in codes_in(f).items():
            if code not in CODES:
                missing.append(f"{f.relative_to(ROOT)}:{line}: {code}")
    assert not missing, ("problem codes not registered in common/codes/<area>.py (add each with its Chinese "
                         "meaning to the table of the area that reports it):\n  " + "\n  ".join(sorted(missing)))


def test_codes_of_the_criteria_language_and_scoring_are_registered() -> None:
    from common.codes import criteria, scoring
    for area, table, folder in (("criteria", criteria.CODES, "rules/language"), ("scoring", scoring.CODES, "scoring")):
        for f in sorted((ROOT / folder).rglob("*.py")):
            reported = set(codes_in(f, reads=False))  # codes other areas report are only read here
            missing = reported - set(table) - set(CODES)
            assert not missing, f"{f.relative_to(ROOT)}: register in common/codes/{area}.py: {sorted(missing)}"


def test_the_scanner_finds_codes_passed_each_way() -> None:
    found = set()
    for f in (ROOT / "rules" / "language").rglob("*.py"):
        found |= set(codes_in(f))
    assert {"schema", "bad-id", "veto-effect", "yaml-limit", "bad-char", "bad-path", "too-large"} <= found


def test_every_meaning_is_chinese_and_every_code_well_formed() -> None:
    for area, table in AREAS.items():
        for code, meaning in table.items():
            assert CODE.match(code), f"{area}: {code!r} is not a code (lower-case words joined by -)"
            assert re.search(r"[\u4e00-\u9fff]", meaning), f"{area}: {code} has no Chinese meaning"


def test_the_guide_lists_the_registry_as_generated() -> None:
    guide = (ROOT / "criteria" / "README.md").read_text(encoding="utf-8")
    assert BEGIN in guide and END in guide, f"criteria/README.md lacks the markers {BEGIN} … {END}"
    section = guide.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n")
    generated = CliRunner().invoke(main, ["codes"]).output.strip("\n")
    assert section == generated, ("criteria/README.md's table of problem codes is not the registry's: run "
                                  "`assess codes` and paste its output between the markers")

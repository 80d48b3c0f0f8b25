"""Layer rules: the pipeline flows one way, and only the package rules.evaluation.durable touches durable-rules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
# Pipeline order, top first: each may import only the ones after it.
LAYERS = ["assess", "cli", "reports", "alerts", "selfcheck", "results", "scoring", "intake", "rules.evaluation",
          "rules.language", "common"]


def layer_of(module: str) -> int | None:
    for i, layer in enumerate(LAYERS):
        if module == layer or module.startswith(layer + "."):
            return i
    return None


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def modules() -> dict[str, Path]:
    out = {"assess": ROOT / "assess.py"}
    for pkg in {layer.split(".")[0] for layer in LAYERS[1:]}:
        for p in (ROOT / pkg).rglob("*.py"):
            if p == ROOT / "rules" / "__init__.py":  # the namespace of two layers, empty
                continue
            out[".".join(p.relative_to(ROOT).with_suffix("").parts)] = p
    return out


def test_only_one_module_imports_durable() -> None:
    users = sorted(m for m, p in modules().items() if any(i.split(".")[0] == "durable" for i in imports_of(p)))
    assert users and all(m.startswith("rules.evaluation.durable.") for m in users), users
    assert set(users) == {"rules.evaluation.durable.host", "rules.evaluation.durable.session"}


def test_layers_flow_one_way() -> None:
    bad = []
    for mod, path in modules().items():
        layer = layer_of(mod)
        assert layer is not None, f"{mod} is in no layer"
        for imp in imports_of(path):
            target = layer_of(imp)
            if target is not None and target < layer:
                bad.append(f"{mod} imports {imp}")
    assert not bad


def test_no_python_knows_a_scheme_name() -> None:
    """Criteria are data: no source file names an item, input or category of a bundled scheme."""
    from common.problems import Problems
    from rules.language.criteria import load_criteria

    names: set[str] = set()
    for crit in [*ROOT.glob("criteria/**/*.yaml"), ROOT / "tests/fixtures/spec.yaml"]:
        if crit.name.endswith(".cases.yaml"):
            continue
        s = load_criteria(crit, Problems())
        if s is None:
            continue
        names |= {i.id for i in s.items} | {c.id for c in s.categories} | set(s.inputs) | {d.id for d in s.derived}
    from rules.language.model import SchemeFile

    language = set(SchemeFile.model_fields)  # section names such as `penalties` are the language's own
    names = {n for n in names if len(n) > 3} - language  # short ids like A1 are too common to search for
    hits = []
    for mod, path in modules().items():
        text = path.read_text(encoding="utf-8")
        hits += [f"{mod}: {n}" for n in names if f'"{n}"' in text or f"'{n}'" in text]
    assert not hits


def test_import_linter_contracts() -> None:
    result = subprocess.run([sys.executable, "-m", "importlinter.cli", "--config", str(ROOT / "pyproject.toml")],
                            cwd=ROOT, capture_output=True, text=True)
    if "No module named" in result.stderr:
        result = subprocess.run(["lint-imports"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

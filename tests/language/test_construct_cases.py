"""Cases files that carry their own scheme (`criteria:`): run by `assess validate` and by pytest."""

from __future__ import annotations

from pathlib import Path

from common.problems import Problems
from scoring.cases import run_cases_file
from tests.helpers import cli

CONSTRUCTS = Path(__file__).parent.parent.parent / "rules" / "language" / "constructs"
VETOES = CONSTRUCTS / "vetoes.cases.yaml"


def test_every_construct_module_has_its_cases_beside_it() -> None:
    modules = {p.stem for p in CONSTRUCTS.glob("*.py")} - {"__init__", "base", "compiling"}   # shared, not constructs
    missing = sorted(m for m in modules if not (CONSTRUCTS / f"{m}.cases.yaml").exists())
    assert not missing, f"construct modules without a cases file beside them: {missing}"


def test_validate_runs_a_cases_file_with_its_own_scheme() -> None:
    result = cli("validate", str(VETOES))
    assert result.exit_code == 0, result.output
    assert "案例 " in result.output and "通过" in result.output


def test_a_wrong_expectation_fails_with_the_cases_line(tmp_path: Path) -> None:
    text = VETOES.read_text(encoding="utf-8")
    wrong = tmp_path / "x.cases.yaml"
    wrong.write_text(text.replace("expect: {total: 7, grade: 合格, vetoes: [V4]}",
                                  "expect: {total: 8, grade: 合格, vetoes: [V4]}"), encoding="utf-8")
    problems = Problems()
    results = run_cases_file(None, wrong, problems)
    assert sum(not r.ok for r in results) == 1
    assert any("总分应为8，实际为7" in p.render() and p.code == "case-failed" for p in problems.items)


def test_a_broken_inline_scheme_is_located_in_the_cases_file(tmp_path: Path) -> None:
    text = VETOES.read_text(encoding="utf-8")
    broken = tmp_path / "x.cases.yaml"
    broken.write_text(text.replace("effect: {downgrade: 1}", "effect: {downgrade: 0}"), encoding="utf-8")
    line = next(i for i, t in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1) if "downgrade: 0" in t)
    problems = Problems()
    assert run_cases_file(None, broken, problems) == []
    assert any(f"{broken}:{line}:" in p.render() and p.code == "veto-effect" for p in problems.errors), \
        [p.render() for p in problems.items]


def test_a_cases_file_with_no_scheme_says_so(tmp_path: Path) -> None:
    lonely = tmp_path / "lonely.cases.yaml"
    lonely.write_text("cases: []\n", encoding="utf-8")
    problems = Problems()
    run_cases_file(None, lonely, problems)
    assert any("没有同名的考核细则" in p.message and p.code == "cases-schema" for p in problems.errors)

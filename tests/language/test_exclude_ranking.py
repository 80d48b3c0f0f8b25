"""`exclude` has a documented choice: `exclude` keeps the unit in the ranking (not graded);
`{exclude: unranked}` takes it out of the ranking (“自评合格并提出考评申请的方可参加考评”)."""

from __future__ import annotations

from pathlib import Path

import yaml

from common.problems import Problems
from reports.tables import ranking_rows
from rules.language import expr as ex
from rules.language.constructs.vetoes import CVeto
from scoring.cases import run_cases_file
from scoring.pipeline import run
from tests.helpers import MINIMAL, cli
from tests.language.test_criteria_errors import problems_of, write

VETOES = Path(__file__).parent.parent.parent / "rules" / "language" / "constructs" / "vetoes.cases.yaml"


def _veto(arg: object) -> CVeto:
    return CVeto("V1", "未申请考评", ex.parse("missed > 0"), None, "exclude", arg, None, None)


def test_the_two_forms_are_said_and_written_apart() -> None:
    assert _veto(None).words("不合格") == "不予评定等次" and _veto(None).effect_text() == "exclude"
    assert _veto("unranked").words("不合格") == "不参加排名，不予评定等次"
    assert _veto("unranked").effect_text() == "exclude: unranked"


def test_a_wrong_exclude_form_is_located_and_points_to_the_guide(tmp_path: Path) -> None:
    text = MINIMAL + "vetoes:\n  - {id: V1, name: 未申请, when: missed > 0, effect: {exclude: 不排名}}\n"
    found = problems_of(write(tmp_path, text))
    assert any(":21:" in f and "exclude 的写法“不排名”无效" in f and "unranked" in f and "2.15" in f for f in found), found


def test_ranked_is_the_default_spelled_out(tmp_path: Path) -> None:
    text = MINIMAL + "vetoes:\n  - {id: V1, name: 未申请, when: missed > 0, effect: {exclude: ranked}}\n"
    assert problems_of(write(tmp_path, text)) == []


def test_the_unranked_cases_pass_and_the_table_says_not_ranked() -> None:
    problems = Problems()
    results = run_cases_file(None, VETOES, problems)
    unranked = [r for r in results if "unranked" in r.name]
    assert unranked and all(r.ok for r in unranked), [p.render() for p in problems.items]


def test_an_unranked_unit_is_listed_last_without_a_rank(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "entities.csv").write_text("id,name\nu1,甲\nu2,乙\nu3,丙\n", encoding="utf-8")
    (data / "values.csv").write_text("entity,missed,case\nu1,0,unranked\nu2,1,无\nu3,2,无\n", encoding="utf-8")
    scheme = tmp_path / "s.yaml"
    doc = yaml.safe_load(VETOES.read_text(encoding="utf-8"))["criteria"]
    scheme.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    res = run(scheme, data)
    assert res is not None
    assert [(u.entity, u.rank) for u in res.units] == [("u2", 1), ("u3", 2), ("u1", None)]
    _, rows = ranking_rows(res)
    assert rows[-1][0] == "不排名"
    out = cli("score", "-c", str(scheme), "-d", str(data))
    assert out.exit_code == 0, out.output

"""Scoring behaviour on the spec scheme: events explain every point, vetoes, JSON contract."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from common.problems import Problems
from results.document import to_json
from scoring.pipeline import Results, run
from tests.helpers import SPEC, SPEC_DATA, cli


@pytest.fixture(scope="module")
def results() -> Results:
    problems = Problems()
    r = run(SPEC, SPEC_DATA, problems)
    assert r is not None, [p.render() for p in problems.errors]
    return r


def test_totals_are_sums_of_events(results: Results) -> None:
    for u in results.units:
        assert u.start + sum((e.points for e in u.events), Decimal(0)) == u.total_exact, u.entity


def test_item_scores_are_start_plus_events(results: Results) -> None:
    for u in results.units:
        for item in results.scheme.items:
            score = u.items[item.id]
            if score is None:
                continue
            start = item.points if item.basis == "full" else Decimal(0)
            moved = sum((e.points for e in u.events if e.item == item.id), Decimal(0))
            assert start + moved == score
            assert 0 <= score <= item.points


def test_expected_ranking(results: Results) -> None:
    assert [(u.entity, str(u.total), u.grade) for u in results.units] == [
        ("c01", "103.00", "优秀"), ("c04", "96.50", "良好"), ("c02", "79.16", "合格"), ("c03", "65.40", "不合格")]


def test_events_carry_ledger_rows_and_findings(results: Results) -> None:
    c03 = results.unit("c03")
    assert c03 is not None
    b2 = [e for e in c03.events if e.item == "B2"]
    assert [e.evidence["隐患编号"] for e in b2] == ["H2", "H3"]
    assert all("hazards.csv·第" in e.evidence["出处"] for e in b2)
    c2 = [e for e in c03.events if e.item == "C2"]
    assert c2[0].scorer == "市应急管理局" and c2[0].evidence["依据"] == "督查记录第12号"
    assert "findings.csv·第3行" in c2[0].evidence["出处"]


def test_clause_on_events(results: Results) -> None:
    c03 = results.unit("c03")
    assert c03 is not None
    assert {e.clause for e in c03.events if e.item == "A1"} == {"一(一)1"}


def test_json_contract(results: Results) -> None:
    doc = json.loads(to_json(results))
    assert doc["scheme"] == "spec-2020"
    r = doc["results"][0]
    for key in ("entity", "name", "total", "grade", "rank", "base", "bonus", "penalty", "categories", "items",
                "values", "vetoes", "events"):
        assert key in r
    assert isinstance(r["total"], str) and r["total"] == "103.00"
    ev = doc["results"][3]["events"][0]
    assert set(ev) >= {"item", "rule", "points", "reason", "evidence", "clause"}
    assert "problems" in doc
    c02 = next(x for x in doc["results"] if x["entity"] == "c02")
    assert c02["items"]["D2"] is None
    assert c02["values"]["hazards_found"] == 2


def test_json_is_byte_identical_across_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same inputs give the same bytes; only the run record's time may differ, and it can be fixed."""
    at = "2021-01-15T09:30:00+08:00"
    a = cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json", "--at", at)
    b = cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json", "--at", at)
    assert a.exit_code == 0 and a.stdout == b.stdout
    assert json.loads(a.stdout)["run"]["time"] == at
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1610674200")        # the reproducible-builds convention
    c = cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json")
    d = cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json")
    assert c.stdout == d.stdout and json.loads(c.stdout)["run"]["time"] == "2021-01-15T01:30:00+00:00"
    # with the clock: everything but run.time is the same
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    e = json.loads(cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json").stdout)
    f = json.loads(a.stdout)
    assert e["run"].pop("time") != f["run"].pop("time")
    assert e == f


def test_json_carries_a_run_record() -> None:
    import hashlib
    from importlib.metadata import version

    doc = json.loads(cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json", "--at", "2021-01-15").stdout)
    run = doc["run"]
    assert run["scheme"] == "spec-2020" and run["time"] == "2021-01-15T00:00:00"
    assert run["criteria"] == {"file": str(SPEC), "sha256": hashlib.sha256(SPEC.read_bytes()).hexdigest()}
    files = run["data"]["files"]
    assert sorted(files) == sorted(str(p) for p in SPEC_DATA.glob("*.csv"))
    assert all(files[str(p)] == hashlib.sha256(p.read_bytes()).hexdigest() for p in SPEC_DATA.glob("*.csv"))
    assert run["tool"] == {"name": "assess", "version": version("assess")}
    assert cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json", "--at", "昨天").exit_code == 2


def test_cross_check_catches_a_wrong_match(monkeypatch: pytest.MonkeyPatch) -> None:
    """If durable-rules reports a match the evaluator does not make, the unit is not scored silently."""
    import rules.evaluation.match as m

    real = m.match

    def lying(rules, facts, refused=None):  # type: ignore[no-untyped-def]
        got = real(rules, facts, refused)
        extra = {(rules[0].name, f.fact_id) for f in facts}
        return got | extra

    monkeypatch.setattr(m, "match", lying)
    problems = Problems()
    r = run(SPEC, SPEC_DATA, problems)
    assert any(p.code == "cross-check" for p in problems.errors)
    assert "不一致" in problems.errors[0].message
    assert r is not None and len(r.units) < 4


def test_engine_failure_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import rules.evaluation.match as m
    from rules.evaluation.durable import DurableEngineError

    def broken(rules, facts, refused=None):  # type: ignore[no-untyped-def]
        raise DurableEngineError("规则引擎错误：测试")

    monkeypatch.setattr(m, "match", broken)
    problems = Problems()
    run(SPEC, SPEC_DATA, problems)
    assert any(p.code == "rule-engine" for p in problems.errors)


@pytest.mark.parametrize("effect,grade,total", [
    ("fail", "不合格", "100.00"),
    ("zero", "不合格", "0.00"),
    ("{deduct: 30}", "合格", "70.00"),
    ("{max_grade: 良好}", "良好", "100.00"),
    ("{downgrade: 2}", "合格", "100.00"),
    ("exclude", "不予评定", "100.00"),
    ("flag", "优秀", "100.00"),
    ("{flag: 预否决}", "优秀", "100.00"),
])
def test_every_veto_effect(tmp_path, effect: str, grade: str, total: str) -> None:  # type: ignore[no-untyped-def]
    from tests.helpers import MINIMAL

    text = MINIMAL.replace("""    - {name: 合格, min: 6}""", """    - {name: 优秀, min: 9}
    - {name: 良好, min: 8}
    - {name: 合格, min: 6}""").replace("total: 10", "total: 100").replace("points: 10", "points: 100")
    text = text.replace("inputs:\n", "inputs:\n  concealed: {label: 瞒报起数, type: int, min: 0}\n")
    text += f"""vetoes:
  - id: V1
    name: 瞒报
    when: concealed > 0
    effect: {effect}
"""
    text = text.replace("min: 9}", "min: 90}").replace("min: 8}", "min: 80}").replace("min: 6}", "min: 60}")
    crit = tmp_path / "s.yaml"
    crit.write_text(text, encoding="utf-8")
    data = tmp_path / "d"
    data.mkdir()
    (data / "entities.csv").write_text("id,name\nu1,甲\n", encoding="utf-8")
    (data / "values.csv").write_text("entity,missed,concealed\nu1,0,1\n", encoding="utf-8")
    result = cli("score", "-c", str(crit), "-d", str(data), "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    r = doc["results"][0]
    assert (r["grade"], r["total"]) == (grade, total)
    assert r["vetoes"][0]["id"] == "V1"

"""Rule-engine problems are located like every other problem (issue 17): a value the engine cannot hold leaves
only its unit out, named, with the criteria line; a condition beyond the engine's limits names its criteria line;
nothing raises. The scheme and data are written here; the huge values are put into the loaded data set directly,
so the test holds whatever intake accepts."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from common.problems import Problems
from scoring.pipeline import load, score_dataset

SCHEME = """\
scheme:
  id: engine-problems
  title: 规则引擎问题
  total: 20
  grades:
    - {name: 合格, min: 10}
    - {name: 不合格, min: 0}
inputs:
  a: {label: 甲项数, type: int, min: 0}
  big: {label: 较大事故, type: int, min: 0, default: 0}
categories:
  - id: A
    name: 甲类
    points: 20
    items:
      - id: A1
        name: 一
        points: 20
        rules:
          - {deduct: 1, per: a}
          - {when: "a > 3", deduct: 2}
vetoes:
  - {id: V1, name: 较大事故, when: big > 0, effect: fail}
"""

INTERNAL = re.compile(r"事实 ?\d|字段“[na]\d+”|规则“r\d+”|\bu\d+\b")


def _load(tmp_path: Path, scheme: str = SCHEME, units: int = 4) -> tuple[Any, Any, Path]:
    crit = tmp_path / "engine.yaml"
    crit.write_text(scheme, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    ids = [f"d{k}" for k in range(units)]
    (data / "entities.csv").write_text("id,name\n" + "".join(f"{u},{u}单位\n" for u in ids), encoding="utf-8")
    (data / "values.csv").write_text("entity,a,big\n" + "".join(f"{u},{k},0\n" for k, u in enumerate(ids)),
                                     encoding="utf-8")
    if "events:" in scheme:   # the ledger, header only: a missing ledger file is an error, not an empty ledger
        (data / "events.csv").write_text("entity,编号,类别\n", encoding="utf-8")
    problems = Problems()
    loaded = load(crit, data, problems)
    assert loaded is not None, [p.render() for p in problems.items]
    scheme_, dataset = loaded
    return scheme_, dataset, crit


HUGE = {"1e5000": Decimal("1e5000"), "300-digits": Decimal("9" * 300), "-1e1000000000": Decimal("-1e1000000000"),
        "Infinity": Decimal("Infinity"), "int-5000-digits": 10**5000, "2^60": 2**60, "2^53+1": Decimal(2**53 + 1)}


@pytest.mark.parametrize("value", list(HUGE.values()), ids=list(HUGE))
@pytest.mark.parametrize("name", ["big", "a"])
def test_value_the_engine_cannot_hold_leaves_only_its_unit_out(tmp_path: Path, value: Any, name: str) -> None:
    if name == "a" and value == Decimal("-1e1000000000"):
        pytest.skip("beyond the Decimal context: the evaluator's own arithmetic overflows first (not the engine's)")
    scheme, data, _ = _load(tmp_path)
    data.values["d1"][name] = value
    problems = Problems()
    results = score_dataset(scheme, data, problems)
    found = [p for p in problems.items if p.code == "rule-engine-unit"]
    assert len(found) == 1, [p.render() for p in problems.items]
    problem = found[0]
    assert problem.entity == "d1" and problem.level == "error"
    assert scheme.label(name) in problem.message and "不予计分" in problem.message
    assert problem.file is not None and problem.file.endswith("values.csv") and problem.row == 3   # d1's cell
    if name == "a":   # read by a rule: its criteria line is named too (vetoes carry no line yet)
        line = next(k for k, text in enumerate(SCHEME.splitlines(), 1) if '"a > 3"' in text)
        assert f"第{line}行" in problem.message
    assert not INTERNAL.search(problem.render()), problem.render()
    assert not problems.blocking, [p.render() for p in problems.blocking]   # the run goes on
    assert sorted(u.entity for u in results.units) == ["d0", "d2", "d3"]


def test_nothing_is_left_out_for_good_values(tmp_path: Path) -> None:
    scheme, data, _ = _load(tmp_path)
    problems = Problems()
    results = score_dataset(scheme, data, problems)
    assert not problems.errors and len(results.units) == 4


def _alternating(depth: int) -> str:
    return " and ".join(f"(a > {k} or a < -{k})" for k in range(depth))


def _nested(depth: int) -> str:
    text = "a > 0"
    for k in range(depth):
        text = f"(a > {k} {'or' if k % 2 else 'and'} {text})"
    return text


@pytest.mark.parametrize("condition,says", [
    (_alternating(20), "$and/$or"),   # 20 $or under one $and: more than the engine takes in one rule
    (_nested(40), "嵌套超过"),         # and/or nested 40 deep
], ids=["alternating", "nested"])
def test_condition_beyond_the_engine_limits_names_its_criteria_line(tmp_path: Path, condition: str, says: str) -> None:
    scheme_text = SCHEME.replace('{when: "a > 3", deduct: 2}', f'{{when: "{condition}", deduct: 2}}')
    scheme, data, _ = _load(tmp_path, scheme_text)
    problems = Problems()
    score_dataset(scheme, data, problems)
    found = [p for p in problems.items if p.code == "rule-engine"]
    assert len(found) == 1, [p.render() for p in problems.items]
    problem = found[0]
    line = next(k for k, text in enumerate(scheme_text.splitlines(), 1) if condition in text)
    assert (problem.file, problem.line) == (scheme.file, line)
    assert problem.message.startswith("规则 A1.rules[1]") and says in problem.message and "评估停止" in problem.message
    assert not INTERNAL.search(problem.render()), problem.render()


LEDGER_SCHEME = SCHEME.replace("""  big: {label: 较大事故, type: int, min: 0, default: 0}
""", """  big: {label: 较大事故, type: int, min: 0, default: 0}
  events:
    label: 事件台账
    type: table
    key: 编号
    columns:
      编号: {type: str}
      类别: {type: str}
""").replace("""          - {when: "a > 3", deduct: 2}
""", """          - {when: "a > 3", deduct: 2}
          - {for_each: events, when: "类别 == '重大'", deduct: 1}
""")


@pytest.mark.parametrize("text", ["重" * 30000, "重大\udc80"], ids=["90000-bytes", "lone-surrogate"])
def test_ledger_text_the_engine_cannot_hold_is_located_at_its_row(tmp_path: Path, text: str) -> None:
    scheme, data, _ = _load(tmp_path, LEDGER_SCHEME)
    frame = data.ledgers["events"].frame
    assert len(frame) == 0   # events.csv holds its header only: add three rows, the second one bad
    rows = [("d0", "E1", "重大"), ("d2", "E2", text), ("d3", "E3", "一般")]
    data.ledgers["events"].frame = pd.DataFrame({
        "entity": [r[0] for r in rows], "编号": [r[1] for r in rows], "类别": [r[2] for r in rows],
        "_row": [2, 3, 4], "_file": ["events.csv"] * 3, "_path": ["data/events.csv"] * 3, "_sheet": [None] * 3,
    })
    problems = Problems()
    results = score_dataset(scheme, data, problems)
    found = [p for p in problems.items if p.code == "rule-engine-unit"]
    assert len(found) == 1, [p.render() for p in problems.items]
    problem = found[0]
    assert (problem.entity, problem.file, problem.row, problem.column) == ("d2", "data/events.csv", 3, "类别")
    assert "“类别”" in problem.message and "规则 A1" in problem.message
    assert not INTERNAL.search(problem.render()), problem.render()
    assert sorted(u.entity for u in results.units) == ["d0", "d1", "d3"]
    assert not problems.blocking


def test_a_disagreement_names_the_criteria_line_and_the_unit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rules.evaluation.match as m

    real = m.match

    def lying(rules: Any, facts: Any, refused: Any = None) -> set[tuple[str, int]]:
        # durable-rules "matches" rule A1.rules[1] (a > 3) for every fact: only units with a <= 3 disagree
        wrong = next(r.name for r in rules if "'$gt'" in str(r.condition) and ": 3}" in str(r.condition))
        return real(rules, facts, refused) | {(wrong, f.fact_id) for f in facts}

    monkeypatch.setattr(m, "match", lying)
    scheme, data, _ = _load(tmp_path)
    problems = Problems()
    results = score_dataset(scheme, data, problems)
    found = [p for p in problems.items if p.code == "cross-check"]
    line = next(k for k, text in enumerate(SCHEME.splitlines(), 1) if '"a > 3"' in text)
    assert found and all((p.file, p.line) == (scheme.file, line) for p in found)
    assert {p.entity for p in found} == {"d0", "d1", "d2", "d3"}   # a <= 3 for all four
    assert not results.units and not INTERNAL.search(found[0].render())


def test_facts_the_engine_never_processed_leave_their_units_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rules.evaluation.durable import retry

    monkeypatch.setattr(retry, "MAX_RETRY_ROUNDS", -1)   # no round runs: no fact is ever processed
    scheme, data, _ = _load(tmp_path)
    problems = Problems()
    results = score_dataset(scheme, data, problems)
    found = [p for p in problems.items if p.code == "rule-engine-unit"]
    assert {p.entity for p in found} == {"d0", "d1", "d2", "d3"} and "多次重试" in found[0].message
    assert not results.units and not problems.blocking
    assert not INTERNAL.search(found[0].render()), found[0].render()


def test_a_text_column_tested_for_presence_and_compared_with_text_elsewhere(tmp_path: Path) -> None:
    """`类别 == null` sends only whether 类别 is there; that marker must be text when another condition
    compares 类别 with text, or the engine's guard refuses the unit (found writing the provincial scheme)."""
    scheme_text = LEDGER_SCHEME + """checks:
  - {for_each: events, when: "类别 == null or 编号 != null", level: warning, message: 类别为空}
"""
    scheme, data, _ = _load(tmp_path, scheme_text)
    rows = [("d0", "E1", "重大"), ("d2", "E2", None), ("d3", "E3", "一般")]
    data.ledgers["events"].frame = pd.DataFrame({
        "entity": [r[0] for r in rows], "编号": [r[1] for r in rows], "类别": [r[2] for r in rows],
        "_row": [2, 3, 4], "_file": ["events.csv"] * 3, "_path": ["data/events.csv"] * 3, "_sheet": [None] * 3,
    })
    problems = Problems()
    results = score_dataset(scheme, data, problems)
    assert not [p for p in problems.items if p.code.startswith("rule-engine")], [p.render() for p in problems.items]
    assert sorted(u.entity for u in results.units) == ["d0", "d1", "d2", "d3"]
    assert results.unit("d0").items["A1"] == 19   # 20, a = 0, one 重大 event: -1

"""Expressions in a whole run: hostile ones end in a located Chinese problem, a division by zero in a rule is
reported at its criteria line and unit, and a huge deduction still empties the item."""

from __future__ import annotations

import json
from decimal import MAX_PREC, Context, Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import MINIMAL, cli

HEADER = "id,name\nu1,甲县\nu2,乙县\n"


def doc(out: str) -> dict:  # type: ignore[type-arg]
    """The JSON document at the start of the output (the problem summary follows it)."""
    return json.JSONDecoder().raw_decode(out)[0]  # type: ignore[no-any-return]


def make(tmp_path: Path, scheme: str, values: str) -> tuple[str, str]:
    crit = tmp_path / "c.yaml"
    crit.write_text(scheme, encoding="utf-8")
    data = tmp_path / "d"
    data.mkdir()
    (data / "entities.csv").write_text(HEADER, encoding="utf-8")
    (data / "values.csv").write_text(values, encoding="utf-8")
    return str(crit), str(data)


def with_per(per: str) -> str:
    return MINIMAL.replace("        per: missed", f'        per: "{per}"')


@pytest.mark.parametrize("per", [
    "(" * 300 + "missed" + ")" * 300,
    "not " * 300 + "missed",
    "-" * 300 + "missed",
    " + ".join(["missed"] * 3000),
    " + ".join(["missed"] * 40_000),   # about 300 KB
    "round(missed, 1000)",
])
def test_hostile_expressions_are_located_problems(tmp_path: Path, per: str) -> None:
    crit, _ = make(tmp_path, with_per(per), "entity,missed\nu1,1\nu2,0\n")
    r = cli("validate", crit)
    assert r.exit_code != 0
    assert "c.yaml:" in r.output and ("嵌套过深" in r.output or "过长" in r.output or "round" in r.output)
    assert "Traceback" not in r.output and "RecursionError" not in r.output
    assert len(r.output) < 5000   # the text is not echoed whole


def test_deep_but_allowed_expression_scores(tmp_path: Path) -> None:
    """An expression just within the limits goes through every stage (durable-rules included)."""
    when = " and ".join(["missed >= 0"] * 45)
    scheme = MINIMAL.replace("        per: missed", f'        per: missed\n        when: "{when}"')
    crit, data = make(tmp_path, scheme, "entity,missed\nu1,1\nu2,0\n")
    r = cli("score", "-c", crit, "-d", data, "-f", "json")
    assert r.exit_code == 0, r.output
    units = {u["entity"]: u for u in doc(r.stdout)["results"]}
    assert units["u1"]["items"]["A1"] == "9"


def test_division_by_zero_in_a_rule_is_reported_at_its_line_and_unit(tmp_path: Path) -> None:
    scheme = MINIMAL.replace("  missed: {label: 未完成项数, type: int, min: 0}",
                             "  missed: {label: 未完成项数, type: int, min: 0}\n  tasks: {label: 任务数, type: int, min: 0}")
    scheme = scheme.replace("        per: missed", '        per: "missed / tasks * 10"')
    crit, data = make(tmp_path, scheme, "entity,missed,tasks\nu1,1,2\nu2,1,0\n")
    r = cli("score", "-c", crit, "-d", data, "-f", "json")
    assert r.exit_code == 0, r.output
    warned = [p for p in doc(r.stdout)["problems"] if p.get("code") == "div-zero-rule"]
    assert [(p["entity"], p["line"] > 0, "除数为零" in p["message"]) for p in warned] == [("u2", True, True)]


def test_a_guarded_division_is_not_reported(tmp_path: Path) -> None:
    scheme = MINIMAL.replace("  missed: {label: 未完成项数, type: int, min: 0}",
                             "  missed: {label: 未完成项数, type: int, min: 0}\n  tasks: {label: 任务数, type: int, min: 0}")
    scheme = scheme.replace("        per: missed", '        per: missed\n        when: "tasks > 0 and missed / tasks > 0.1"')
    crit, data = make(tmp_path, scheme, "entity,missed,tasks\nu1,1,2\nu2,1,0\n")
    r = cli("score", "-c", crit, "-d", data, "-f", "json")
    assert not [p for p in doc(r.stdout)["problems"] if p.get("code") == "div-zero-rule"]


@pytest.mark.parametrize("missed", ["10" + "0" * 27, "10" + "0" * 29, "123456789" * 5])
def test_a_huge_deduction_still_empties_the_item(tmp_path: Path, missed: str) -> None:
    crit, data = make(tmp_path, MINIMAL, f"entity,missed\nu1,{missed}\nu2,0\n")
    r = cli("score", "-c", crit, "-d", data, "-f", "json")
    if r.exit_code != 0:   # a count refused as out of range at load time is fine too (never full marks)
        assert "Traceback" not in r.output
        return
    units = {u["entity"]: u for u in doc(r.stdout)["results"]}
    assert units["u1"]["items"]["A1"] == "0"
    assert units["u2"]["items"]["A1"] == "10"


def test_division_by_zero_in_a_derived_where_is_reported_at_the_row(tmp_path: Path) -> None:
    from tests.helpers import SPEC, SPEC_DATA

    text = SPEC.read_text(encoding="utf-8").replace(
        "derived:\n", 'derived:\n  odd_rows: {count: hazards, where: "days(发现日期, 整改期限) / (days(发现日期, 整改期限) - 29) > 1"}\n', 1)
    crit = tmp_path / "spec.yaml"
    crit.write_text(text, encoding="utf-8")
    r = cli("score", "-c", str(crit), "-d", str(SPEC_DATA), "-f", "json")
    assert r.exit_code == 0, r.output
    warned = [p for p in doc(r.stdout)["problems"] if p.get("code") == "div-zero-rule"]
    assert warned and all("除数为零" in p["message"] and "hazards.csv·第" in p["message"] for p in warned)
    assert ("c01", True) in [(p["entity"], "hazards.csv·第2行" in p["message"]) for p in warned]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(missed=st.one_of(st.integers(0, 30), st.integers(10**18, 10**45)),
       amount=st.sampled_from(["1", "0.5", "3", "0.25"]))
def test_precision_never_caps_a_deduction(tmp_path_factory: pytest.TempPathFactory, missed: int,
                                          amount: str) -> None:
    """However big the figure, the item is exactly max(0, points − amount × figure), and its events add up."""
    tmp = tmp_path_factory.mktemp("p")
    crit, data = make(tmp, MINIMAL.replace("        deduct: 1", f"        deduct: {amount}"),
                      f"entity,missed\nu1,{missed}\nu2,0\n")
    r = cli("score", "-c", crit, "-d", data, "-f", "json")
    if r.exit_code != 0:   # a count refused as out of range at load time is fine too (never full marks)
        assert "Traceback" not in r.output
        return
    (u1,) = [u for u in doc(r.stdout)["results"] if u["entity"] == "u1"]
    with localcontext(Context(prec=MAX_PREC)):
        want = max(Decimal(0), 10 - Decimal(amount) * missed)
        moved = sum((Decimal(e["points"]) for e in u1["events"] if e["item"] == "A1"), Decimal(0))
    assert Decimal(u1["items"]["A1"]) == want
    assert 10 + moved == want

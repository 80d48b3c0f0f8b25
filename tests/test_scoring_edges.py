"""Edge cases found in review, each on a scheme written only here (nothing the code knows)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import cli

BASE = """\
scheme:
  id: edge
  title: 边界测试
  total: 20
  grades:
    - {name: 优秀, min: 18}
    - {name: 良好, min: 15}
    - {name: 合格, min: 10}
    - {name: 不合格, min: 0}
entity_fields:
  type: {label: 单位类型, values: [甲类, 乙类]}
inputs:
  a: {label: 甲项数, type: int, min: 0}
  b: {label: 乙项数, type: int, min: 0}
  big: {label: 较大事故, type: int, min: 0, default: 0}
  bad: {label: 拒不整改, type: int, min: 0, default: 0}
checks:
  - when: a <= 100
    message: 甲项数不能超过100
categories:
  - id: A
    name: 甲类
    points: 20
    items:
      - {id: A1, name: 一, points: 15, cap: 5, rules: [{deduct: 1, per: a}, {deduct: 2, per: b, cap: 3}]}
      - {id: A2, name: 二, points: 5, applies_when: "entity.type == '乙类'", assessed: {score: [0, 5]}}
vetoes:
  - {id: V2, name: 较大事故, when: big > 0, effect: {max_grade: 良好}}
  - {id: A0, name: 拒不整改, when: bad > 0, effect: {downgrade: 1}}
"""


def make(tmp_path: Path, values: str, findings: str = "", scheme: str = BASE) -> tuple[Path, Path]:
    crit = tmp_path / "edge.yaml"
    crit.write_text(scheme, encoding="utf-8")
    d = tmp_path / "data"
    d.mkdir(exist_ok=True)
    units = [line.split(",")[0] for line in values.strip().splitlines()[1:]]
    (d / "entities.csv").write_text("id,name,type\n" + "".join(f"{u},{u}单位,乙类\n" for u in units), encoding="utf-8")
    (d / "values.csv").write_text(values, encoding="utf-8")
    # always there, header only when empty: a scheme with items scored by others needs the scorers' records
    (d / "findings.csv").write_text("entity,考核项目,扣分,得分,事由,评分单位,依据\n" + findings, encoding="utf-8")
    return crit, d


def score_json(crit: Path, d: Path) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    r = cli("score", "-c", str(crit), "-d", str(d), "-f", "json")
    return r.exit_code, json.loads(r.stdout) if r.stdout.strip() else {}, r.output


def test_item_cap_counts_losses_after_rule_caps(tmp_path: Path) -> None:
    crit, d = make(tmp_path, "entity,a,b\nu1,4,3\n")
    code, doc, _ = score_json(crit, d)
    assert code == 0
    assert doc["results"][0]["items"]["A1"] == "10"  # loses 4 + min(6, 3) = 7, item cap 5


def test_grade_vetoes_apply_in_written_order(tmp_path: Path) -> None:
    # V2 (max 良好) is written before A0 (down one): 优秀 → 良好 → 合格, whatever the ids sort to
    crit, d = make(tmp_path, "entity,a,b,big,bad\nu1,0,0,1,1\n")
    code, doc, _ = score_json(crit, d)
    assert code == 0
    assert doc["results"][0]["grade"] == "合格"
    assert [v["id"] for v in doc["results"][0]["vetoes"]] == ["V2", "A0"]


def test_failed_error_check_leaves_only_that_unit_out(tmp_path: Path) -> None:
    crit, d = make(tmp_path, "entity,a,b\nu1,0,0\nu2,200,0\n")
    code, doc, out = score_json(crit, d)
    assert code == 1
    assert [r["entity"] for r in doc["results"]] == ["u1"]
    assert "[u2] 甲项数不能超过100" in out and "以下单位因数据错误未计分：u2" in out


def test_finding_on_not_applicable_item_is_reported(tmp_path: Path) -> None:
    crit, d = make(tmp_path, "entity,a,b\nu1,0,0\n", "u1,A2,,3,评定,市应急局,记录\n")
    (d / "entities.csv").write_text("id,name,type\nu1,甲,甲类\n", encoding="utf-8")
    code, doc, out = score_json(crit, d)
    assert code == 0
    assert doc["results"][0]["items"]["A2"] is None
    assert "此条考核扣分记录未计分" in out


def test_two_scores_for_one_assessed_item_is_an_error(tmp_path: Path) -> None:
    crit, d = make(tmp_path, "entity,a,b\nu1,0,0\n", "u1,A2,,3,评定,市住建局,记录\nu1,A2,,4,评定,市交通局,记录\n")
    code, _, out = score_json(crit, d)
    assert code == 1
    assert "评定得分每个单位只能有一条" in out and "findings.csv·第3行" in out


def test_input_names_must_be_expression_names(tmp_path: Path) -> None:
    crit, _ = make(tmp_path, "entity,a,b\nu1,0,0\n", scheme=BASE.replace("  big: {", "  big-one: {"))
    r = cli("validate", str(crit))
    assert r.exit_code == 1 and "输入名“big-one”只能包含字母" in r.output


def test_overlapping_closed_bands_warn(tmp_path: Path) -> None:
    scheme = BASE.replace("  a: {label: 甲项数, type: int, min: 0}", "  a: {label: 甲项数, type: int, min: 0}\n  r: {label: 比例, type: percent}")
    scheme = scheme.replace("{id: A2, name: 二, points: 5, applies_when: \"entity.type == '乙类'\", assessed: {score: [0, 5]}}",
                            "{id: A2, name: 二, points: 5, basis: zero, table: [{when: r >= 60%, score: 5}, "
                            "{when: r >= 40% and r <= 60%, score: 3}, {when: r >= 20% and r <= 40%, score: 1}, {score: 0}]}")
    crit, _ = make(tmp_path, "entity,a,b,r\nu1,0,0,50%\n", scheme=scheme)
    r = cli("validate", str(crit))
    assert "第2行 [40%, 60%] 与第3行 [20%, 40%] 在 [40%, 40%] 重叠" in r.output


def test_literal_outside_declared_values_warns(tmp_path: Path) -> None:
    scheme = BASE.replace("when: big > 0", "when: \"big > 0 and entity.type != '丙类'\"")
    crit, _ = make(tmp_path, "entity,a,b\nu1,0,0\n", scheme=scheme)
    r = cli("validate", str(crit))
    assert "“丙类”不是“entity.type”的可选值" in r.output


def test_veto_on_not_applicable_input_warns(tmp_path: Path) -> None:
    crit, d = make(tmp_path, "entity,a,b,big\nu1,0,0,不涉及\n")
    code, _, out = score_json(crit, d)
    assert code == 0 and "否决项 V2（较大事故）读取的“较大事故”填了“不涉及”" in out


def test_misspelt_ledger_file_or_header_is_an_error(tmp_path: Path) -> None:
    crit, d = make(tmp_path, "entity,a,bb\nu1,0,0\n")
    code, _, out = score_json(crit, d)
    assert code == 1 and "未知的列“bb”（是否指 b？）；请改正列名" in out


def test_self_scores_accept_a_full_width_colon(tmp_path: Path) -> None:
    crit, d = make(tmp_path, "entity,a,b,自评分：A1\nu1,1,0,15\n")
    code, doc, out = score_json(crit, d)
    assert code == 0 and "未知的列" not in out
    assert doc["results"][0]["self_scores"] == {"A1": "15"}

"""Quotas per class of unit (`quota: {by: 类别, 一类: 4, 二类: 2}`): wrong forms are located errors that point
to the guide; the scoring itself is in rules/language/constructs/grades_classes.cases.yaml."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from common.problems import Problems
from rules.language.criteria import load_criteria
from scoring.cases import run_cases_file

CASES = Path(__file__).parent.parent.parent / "rules" / "language" / "constructs" / "grades_classes.cases.yaml"

SCHEME = """\
scheme:
  id: cq
  title: 分类名额
  total: 10
  grades:
    - {name: 优秀, min: 9, quota: QUOTA}
    - {name: 合格, min: 0}
entity_fields:
  class: {label: 考核类别, values: [一类, 二类]}
inputs:
  missed: {label: 未完成项数, type: int, min: 0}
categories:
  - id: A
    name: 责任落实
    points: 10
    items:
      - {id: A1, name: 任务完成, points: 10, deduct: 1, per: missed}
"""


def problems_of(tmp_path: Path, quota: str) -> list[str]:
    p = tmp_path / "s.yaml"
    p.write_text(SCHEME.replace("QUOTA", quota), encoding="utf-8")
    problems = Problems()
    scheme = load_criteria(p, problems)
    assert (scheme is None) == bool(problems.errors)
    return [x.render() for x in problems.items]


def test_a_class_quota_compiles(tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text(SCHEME.replace("QUOTA", "{by: class, 一类: 4, 二类: 30%}"), encoding="utf-8")
    scheme = load_criteria(p, Problems())
    assert scheme is not None
    q = scheme.grades[0].quota
    assert q is not None and q.by == "class"
    assert q.classes["一类"].count == 4 and q.classes["二类"].share == Decimal("0.3")


def test_by_may_name_the_field_by_its_label(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "{by: 考核类别, 一类: 4}") == []
    assert problems_of(tmp_path, "{by: entity.class, 一类: 4}") == []


def test_an_unknown_class_value_is_a_located_error(tmp_path: Path) -> None:
    found = problems_of(tmp_path, "{by: class, 一类: 4, 三类: 2}")
    assert any(":6:" in f and "“三类”不是属性“考核类别”" in f and "2.2" in f and "(quota-class)" in f for f in found), found


def test_by_must_name_an_entity_field(tmp_path: Path) -> None:
    found = problems_of(tmp_path, "{by: 类别, 一类: 4}")
    assert any("by“类别”不是单位属性" in f and "class" in f for f in found), found
    found = problems_of(tmp_path, "{一类: 4, 四类: 1}")   # no field has both values: by cannot be inferred
    assert any("须写 by" in f for f in found), found


def test_by_may_be_left_out_when_one_field_lists_every_class(tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text(SCHEME.replace("QUOTA", "{一类: 4, 二类: 2}"), encoding="utf-8")
    scheme = load_criteria(p, Problems())
    assert scheme is not None and scheme.grades[0].quota is not None and scheme.grades[0].quota.by == "class"


def test_a_class_count_is_checked_like_a_quota(tmp_path: Path) -> None:
    found = problems_of(tmp_path, "{by: class, 一类: 0}")
    assert any("名额0无效" in f for f in found), found


def test_the_class_quota_cases_pass() -> None:
    problems = Problems()
    results = run_cases_file(None, CASES, problems)
    assert results and all(r.ok for r in results), [p.render() for p in problems.items]


def test_a_class_no_unit_has_is_warned_when_the_field_lists_no_values(tmp_path: Path) -> None:
    from scoring.pipeline import run

    p = tmp_path / "s.yaml"
    p.write_text(SCHEME.replace("QUOTA", "{by: class, 一 类: 1}").replace(", values: [一类, 二类]", ""),
                 encoding="utf-8")
    data = tmp_path / "d"
    data.mkdir()
    (data / "entities.csv").write_text("id,name,class\nu1,甲,一类\nu2,乙,一类\n", encoding="utf-8")
    (data / "values.csv").write_text("entity,missed\nu1,0\nu2,0\n", encoding="utf-8")
    problems = Problems()
    res = run(p, data, problems)
    assert res is not None
    found = [x.message for x in problems.items if x.code == "quota-class-unused"]
    assert len(found) == 1 and "“一 类”" in found[0] and "一类" in found[0], [x.render() for x in problems.items]
    assert [u.grade for u in res.units] == ["优秀", "优秀"]   # the misspelt class limits nobody

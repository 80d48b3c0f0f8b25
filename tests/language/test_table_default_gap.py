"""A decision table written in whole percents (“90%以上15分；70%-89% 9分；其他情况不得分”) leaves (89%, 90%) to
the default row: `validate` warns, naming the item and the absorbed band (table-default-gap)."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.problems import Problems
from rules.language.criteria import load_criteria

SCHEME = """\
scheme:
  id: gap
  title: 判定表的缝
  total: 15
  grades:
    - {name: 合格, min: 6}
    - {name: 不合格, min: 0}
inputs:
  rate: {label: 完成率, type: percent}
  n: {label: 次数, type: int, min: 0}
categories:
  - id: A
    name: 责任落实
    points: 15
    items:
      - id: A1
        name: 任务完成
        points: 15
        basis: zero
        table:
ROWS
"""


def warnings(tmp_path: Path, rows: list[str]) -> list[str]:
    p = tmp_path / "s.yaml"
    body = "\n".join(f"          - {r}" for r in rows)
    p.write_text(SCHEME.replace("ROWS", body), encoding="utf-8")
    problems = Problems()
    assert load_criteria(p, problems) is not None, [x.render() for x in problems.items]
    return [x.render() for x in problems.items if x.code == "table-default-gap"]


def test_a_gap_between_bands_that_only_the_default_row_covers_is_warned(tmp_path: Path) -> None:
    found = warnings(tmp_path, ["{when: rate >= 90%, score: 15}", "{when: rate >= 70% and rate <= 89%, score: 9}",
                                "{score: 0}"])
    assert len(found) == 1, found
    assert "A1（任务完成）的判定表" in found[0] and "(89%, 90%)" in found[0] and "第3行（其他情况）" in found[0]
    assert ":20:" in found[0] and "警告" in found[0]


def test_every_absorbed_band_is_named(tmp_path: Path) -> None:
    found = warnings(tmp_path, ["{when: rate >= 90%, score: 15}", "{when: rate >= 70% and rate <= 89%, score: 9}",
                                "{when: rate >= 50% and rate <= 69%, score: 5}", "{score: 0}"])
    assert len(found) == 2 and "(69%, 70%)" in found[0] + found[1], found


@pytest.mark.parametrize("rows", [
    # bands that meet: the default row only takes what lies below the lowest band (“其他情况”)
    ["{when: rate >= 90%, score: 15}", "{when: rate >= 70%, score: 9}", "{score: 0}"],
    ["{when: rate >= 90%, score: 15}", "{when: rate >= 70% and rate < 90%, score: 9}", "{score: 0}"],
    # whole numbers of an int input: nothing lies between 2 and 3
    ["{when: n >= 3, score: 0}", "{when: n >= 1 and n <= 2, score: 9}", "{score: 15}"],
    # no default row: the gap is the older warning (table-bands), not this one
    ["{when: rate >= 90%, score: 15}", "{when: rate >= 70% and rate <= 89%, score: 9}"],
])
def test_no_warning_when_no_band_is_absorbed(tmp_path: Path, rows: list[str]) -> None:
    assert warnings(tmp_path, rows) == []

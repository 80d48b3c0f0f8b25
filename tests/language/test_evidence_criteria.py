"""`evidence` on an item (rules/language/constructs/evidence.py): what it compiles to, and each mistake located
at its file and line with a Chinese message and its code."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from common.problems import Problems
from rules.language.criteria import load_criteria

SCHEME = """\
scheme:
  id: t
  title: 佐证材料
  total: 10
  grades:
    - {name: 合格, min: 6}
    - {name: 不合格, min: 0}
categories:
  - id: A
    name: 甲
    points: 10
    items:
      - id: A1
        name: 责任清单
        points: 4
        evidence: [安全生产责任清单, 会议纪要]
      - id: A2
        name: 影像资料
        points: 3
        evidence:
          - {name: 图片影像资料, deduct: 3}
          - {name: 简报, required: false}
      - {id: A3, name: 总结, points: 3, evidence: [{name: 总结文件, deduct: all}]}
"""


def _load(tmp_path: Path, text: str) -> tuple[object, list[str], list[str]]:
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    problems = Problems()
    scheme = load_criteria(p, problems)
    return scheme, [x.render() for x in problems.items], [str(x.code) for x in problems.items]


def test_evidence_compiles_to_each_items_attachments(tmp_path: Path) -> None:
    scheme, out, _ = _load(tmp_path, SCHEME)
    assert scheme is not None and out == []
    items = {i.id: i for i in scheme.items}  # type: ignore[attr-defined]
    assert [(e.name, e.required, e.deduct) for e in items["A1"].evidence] == [
        ("安全生产责任清单", True, None), ("会议纪要", True, None)]
    assert [(e.name, e.required, e.deduct) for e in items["A2"].evidence] == [
        ("图片影像资料", True, Decimal(3)), ("简报", False, None)]
    whole = items["A3"].evidence[0]
    assert whole.whole and whole.deduct == Decimal(3)


def test_each_mistake_is_located(tmp_path: Path) -> None:
    text = SCHEME.replace("          - {name: 简报, required: false}\n",
                          "          - {name: 简报, required: false, deduct: 1}\n"
                          "          - {name: 图片影像资料}\n"
                          "          - {name: 照片, deduct: 4}\n"
                          "          - {name: ' '}\n")
    text = text.replace("{id: A3, name: 总结, points: 3,",
                        "{id: A3, name: 总结, points: 3, assessed: {deduct: [0.5, 2]},")
    scheme, out, _codes = _load(tmp_path, text)
    assert scheme is None
    p = tmp_path / "s.yaml"
    expected = [
        (22, "“简报”是可选材料（required: false），缺少时不能扣分", "evidence-deduct"),
        (23, "本项已有名为“图片影像资料”的佐证材料", "evidence-name"),
        (24, "缺少“照片”的扣分（4）应大于0且不超过本项分值3", "evidence-deduct"),
        (25, "佐证材料的名称不能为空", "evidence-name"),
        (26, "评分单位打分（assessed）的项目由评分单位查看佐证材料后打分", "evidence-deduct"),
    ]
    for line, words, code in expected:
        assert any(o.startswith(f"{p}:{line}:") and words in o and f"({code})" in o for o in out), (line, out)
    assert len(out) == len(expected), out


def test_a_misspelt_key_says_what_was_meant(tmp_path: Path) -> None:
    _scheme, out, _ = _load(tmp_path, SCHEME.replace("{name: 简报, required: false}", "{name: 简报, requird: false}"))
    assert any("未知的键“requird”（是否指 required？）" in o and ":22:" in o for o in out), out

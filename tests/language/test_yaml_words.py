"""YAML syntax errors are told in Chinese with both places (where it broke, where the bracket/quote opened)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from common.problems import Problems
from rules.language.yamlsource import load_yaml_text
from rules.language.yamlwords import known

BROKEN = [  # text, line of the error, words the message must hold
    ("scheme:\n  id: x\n  title: [a, b\n  total: 100\n", 4, ["第3行的“[”没有配对的“]”", "第4行第8列"]),
    ("a: {x: 1\nb: 2\n", 2, ["第1行的“{”没有配对的“}”"]),
    ("scheme:\n  id: x\n title: y\n", 3, ["缩进对不齐", "第1行开始的同一层"]),
    ("scheme:\n\tid: x\n", 2, ["制表符（Tab）", "换成空格"]),
    ('a: "abc\n', 2, ["第1行开始的引号到文件末尾都没有结束"]),
    ("a: &x 1\nb: *y\n", 2, ["“*y”引用了没有定义的锚点", "加上引号"]),
    ("a: b: c\n", 1, ["这里不能出现“: ”", "加上引号"]),
    ("a:\n  b\n  c: 1\n", 3, ["这里不能出现“: ”"]),
    ("- a\nb: 1\n", 2, ["缩进对不齐"]),
    ("a: @x\n", 1, ["值不能以“@”开头", "加上引号"]),
    ("a: `x\n", 1, ["值不能以“`”开头"]),
    ("a: %x\n", 1, ["值不能以“%”开头"]),
    ('a: "C:\\qq"\n', 1, ["不是有效的转义", "单引号"]),
    ("a: 1\n---\nb: 2\n", 2, ["一个文件只能写一份细则"]),
    ("a: &\n", 1, ["“&”“*”在 YAML 里有特殊含义"]),
    ("a: |x\n", 1, ["“|”“>”在 YAML 里表示多行文字"]),
    ("a: [1, 2]]\n", 1, ["多了一个“]”"]),
    ('"a" b: 1\n', 1, ["一个值的后面又接了文字"]),
]


@pytest.mark.parametrize(("text", "line", "words"), BROKEN, ids=[repr(t[0])[:30] for t in BROKEN])
def test_broken_yaml_is_told_in_chinese_where_it_broke(text: str, line: int, words: list[str]) -> None:
    problems = Problems()
    data, _ = load_yaml_text(text, "细则.yaml", problems)
    assert data is None
    [p] = problems.items
    assert p.code == "yaml-syntax" and p.line == line
    for w in words:
        assert w in p.message, p.message
    # no English from the parser: the only Latin letters are the user's own text from the file
    assert "解析器原文" not in p.message
    assert not re.search(r"\b(expected|found|while|but|token|scalar|mapping)\b", p.message), p.message


def _pyyaml_problems() -> list[str]:
    """Every problem text PyYAML's scanner, parser and composer can raise, with sample values in its blanks."""
    src = Path(yaml.__file__).parent
    texts: list[str] = []
    for name in ("scanner.py", "parser.py", "composer.py"):
        code = (src / name).read_text()
        # MarkedYAMLError(context, context_mark, problem, problem_mark): the problem is the third argument
        for call in re.finditer(r"Error\((.*?)\)\s*$", code, re.S | re.M):
            strings = re.findall(r'"((?:[^"\\]|\\.)*)"', call.group(1))
            texts.extend(s for s in strings if s and s[0].islower() and not s.startswith("while "))
    samples = [t.replace("%r", "'x'").replace("%s", "x").replace("%d", "4").replace("\\'", "'") for t in texts]
    return sorted(set(samples))


def test_every_pyyaml_problem_has_chinese_words() -> None:
    problems = _pyyaml_problems()
    assert len(problems) > 30  # the reading of PyYAML's source still finds its messages
    missing = [p for p in problems if not known(p)]
    assert not missing, missing

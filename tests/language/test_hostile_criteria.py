"""Hostile and broken criteria files, generated here: each ends in a located Chinese problem, never a traceback
or a hang (issue 17, the criteria side)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from common.problems import Problems
from rules.language.criteria import load_criteria
from rules.language.yamlsource import MAX_BYTES
from tests.helpers import MINIMAL, cli


def _load(path: Path) -> list[str]:
    problems = Problems()
    started = time.monotonic()
    scheme = load_criteria(path, problems)
    assert time.monotonic() - started < 10, "loading must be fast, never hang"
    assert scheme is None, "a broken file must not load"
    out = [p.render() for p in problems.errors]
    assert out and all(str(path) in o for o in out), out
    return out


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("text,line,words,code", [
    (_bomb(), None, "别名炸弹", "yaml-limit"),
    ("a: &a [1, *a]\n", 1, "循环引用", "yaml-limit"),
    ("a: " + "[" * 10_000 + "]" * 10_000 + "\n", 1, "嵌套超过", "yaml-limit"),
    ("a: " + "[" * 500 + "]" * 500 + "\n", 1, "嵌套超过", "yaml-limit"),
    ("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)) + "  " * 200 + "x: 1\n", None, "嵌套超过",
     "yaml-limit"),
    ('scheme: {id: "\\ud800"}\n', 1, "单独的代理项", "bad-char"),
])
def test_yaml_limits_are_located_problems(tmp_path: Path, text: str, line: int | None, words: str,
                                          code: str) -> None:
    p = tmp_path / "scheme.yaml"
    p.write_text(text, encoding="utf-8")
    out = _load(p)
    assert any(words in o and f"({code})" in o and (line is None or f"{p}:{line}:" in o) for o in out), out


def test_a_file_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    p = tmp_path / "scheme.yaml"
    p.write_text(MINIMAL + "#" * (MAX_BYTES + 1) + "\n", encoding="utf-8")
    assert any("超过5 MB" in o and "(too-large)" in o for o in _load(p))


def _directory(tmp_path: Path) -> Path:
    (tmp_path / "dir.yaml").mkdir()
    return tmp_path / "dir.yaml"


def _fifo(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "fifo.yaml")
    return tmp_path / "fifo.yaml"


def _loop(tmp_path: Path) -> Path:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    return tmp_path / "a.yaml"


def _dangling(tmp_path: Path) -> Path:
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nothing.yaml")
    return tmp_path / "gone.yaml"


@pytest.mark.parametrize("make,words,code", [
    (_directory, "文件夹", "bad-path"),
    (_fifo, "不是普通文件", "bad-path"),
    (_loop, "符号链接循环", "bad-path"),
    (_dangling, "符号链接指向的文件不存在", "no-file"),
])
def test_path_problems_are_named(tmp_path: Path, make, words: str, code: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    assert any(words in o and f"({code})" in o for o in _load(path))
    result = cli("validate", str(path))
    assert result.exit_code == 1 and words in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    p = tmp_path / "scheme.yaml"
    p.write_text(MINIMAL, encoding="utf-8")
    p.chmod(0)
    assert any("权限" in o and "(unreadable)" in o for o in _load(p))


@pytest.mark.parametrize("change,line,words", [
    (("total: 10", "total: 1_00"), 4, "含分隔符"),
    (("total: 10", "total: １０"), 4, "含全角字符"),
    (("total: 10", "total: 1,000"), 4, "含分隔符"),
    (("deduct: 1", "deduct: 1e309"), 18, "超出合理范围"),
    (("deduct: 1", "deduct: 1.0e309"), 18, "超出合理范围"),
    (("type: int, min: 0}", "type: int, min: 1e309}"), 9, "超出合理范围"),
    (("type: int, min: 0}", "type: int, min: 1e-30}"), 9, "小数位数过多"),
    (("total: 10", "total: " + "9" * 400), 4, "超出合理范围"),
    (("total: 10", "total: Infinity"), 4, "应为数值"),
    (("total: 10", "total: NaN"), 4, "应为数值"),
    (("- id: A1", "- id: A 1"), 15, "不能含空格"),
    (("- id: A1", "- id: A.1"), 15, "英文句点"),
    (("- id: A1", "- id: ''"), 15, "编号不能为空"),
    (("  id: mini", "  id: mini 2020"), 2, "不能含空格"),
    (("total: 10", "total: !!python/object/apply:os.system ['echo hi']"), 4, "YAML 标签"),
    (("total: 10", "total: !!timestamp 2020-01-01"), 4, "应为数值"),
    (("per: missed", 'per: "missed / 0"'), 19, "常数0"),   # every unit would divide by zero: a writing mistake
])
def test_numbers_and_ids_are_exact_or_refused(tmp_path: Path, change: tuple[str, str], line: int,
                                              words: str) -> None:
    p = tmp_path / "scheme.yaml"
    p.write_text(MINIMAL.replace(*change, 1), encoding="utf-8")
    out = _load(p)
    assert any(f"{p}:{line}:" in o and words in o for o in out), out


def test_two_inputs_with_one_label_are_refused(tmp_path: Path) -> None:
    """Data columns are found by id or by label: a label given twice would make such a column ambiguous."""
    p = tmp_path / "scheme.yaml"
    p.write_text(MINIMAL.replace("  missed: {label: 未完成项数, type: int, min: 0}\n",
                                 "  missed: {label: 未完成项数, type: int, min: 0}\n"
                                 "  missed2: {label: 未完成项数, type: int, min: 0}\n"), encoding="utf-8")
    out = _load(p)
    assert any(f"{p}:10:" in o and "(duplicate-label)" in o and "missed" in o for o in out), out


def test_exact_numbers_still_load(tmp_path: Path) -> None:
    p = tmp_path / "scheme.yaml"
    p.write_text(MINIMAL.replace("total: 10", "total: '10'").replace("deduct: 1", "deduct: 1e0"), encoding="utf-8")
    problems = Problems()
    scheme = load_criteria(p, problems)
    assert scheme is not None, [x.render() for x in problems.errors]
    assert scheme.meta.total == 10 and scheme.items[0].rules[0].amount == 1


def test_a_file_refused_by_the_system_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "scheme.yaml"
    p.write_text(MINIMAL, encoding="utf-8")

    def refuse(*args: object, **kw: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)  # what a non-root user meets on a chmod 000 file
    assert any("没有读取该文件的权限" in o and "(unreadable)" in o for o in _load(p))

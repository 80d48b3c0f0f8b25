"""YAML with a line for every key, duplicate keys refused, and no surprising coercions.

PyYAML follows YAML 1.1, where `yes`/`no`/`on`/`off` are booleans and `1.10` is the float 1.1. Office
staff write `clause: 1.10` and `values: [是, 否]`; they mean text. Here only `true`/`false` are booleans,
numbers are exact `Decimal`s (or `int`s) kept with their written digits, and `2020-12-31` is a date.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from common.problems import Problems

PathKey = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?[0-9]+$")
_DEC = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class SourceMap:
    """Line numbers (1-based) of every value in a loaded document, by key path."""

    def __init__(self, file: str):
        self.file = file
        self.lines: dict[PathKey, int] = {}

    def line(self, path: PathKey) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), 1)


def format_path(path: PathKey) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _scalar(node: yaml.ScalarNode) -> Any:
    text = node.value
    if node.style not in (None, ""):  # quoted or block scalars are always text
        return text
    if node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
                        "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                        "tag:yaml.org,2002:timestamp") and node.tag.startswith("tag:yaml.org"):
        return text
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _DEC.match(text):
        return Decimal(text)
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _convert(node: yaml.Node, path: PathKey, smap: SourceMap, problems: Problems) -> Any:
    smap.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, (*path, i), smap, problems) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                problems.add("键必须是简单文本", file=smap.file, line=knode.start_mark.line + 1,
                             key=format_path(path), code="bad-key")
                continue
            key = knode.value
            if key == "<<":
                problems.add("不支持 YAML 合并键“<<”，请直接写出各项", file=smap.file,
                             line=knode.start_mark.line + 1, key=format_path(path), code="merge-key")
                continue
            if key in out:
                first = smap.lines.get((*path, key))
                problems.add(f"键“{key}”重复（第{first}行已出现），请删除或合并其中一个",
                             file=smap.file, line=knode.start_mark.line + 1,
                             key=format_path(path), code="duplicate-key")
                continue
            smap.lines[(*path, key)] = knode.start_mark.line + 1
            out[key] = _convert(vnode, (*path, key), smap, problems)
        return out
    return None


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree: parsed by libyaml when PyYAML has it (5x faster), else, and whenever libyaml
    refuses the text, by PyYAML's own parser, whose errors are the ones reported. Both build the same nodes
    (plain scalars have style None in one and '' in the other; `_scalar` treats both as plain)."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            yaml.reader.Reader(text)  # the pure-Python reader's character checks, which libyaml does not make
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def load_yaml_text(text: str, file: str, problems: Problems) -> tuple[Any, SourceMap]:
    smap = SourceMap(file)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        problems.add(f"YAML 格式错误：{exc.problem}（请检查缩进、冒号和引号）", file=file, line=line,
                     code="yaml-syntax")
        return None, smap
    except yaml.YAMLError as exc:  # pragma: no cover - other parser failures
        problems.add(f"YAML 格式错误：{exc}", file=file, code="yaml-syntax")
        return None, smap
    if node is None:
        problems.add("文件为空", file=file, line=1, code="empty-file")
        return None, smap
    return _convert(node, (), smap, problems), smap


def load_yaml_file(path: Path, problems: Problems, display: str | None = None) -> tuple[Any, SourceMap]:
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.add("文件不存在，请检查路径", file=name, code="no-file")
        return None, SourceMap(name)
    except UnicodeDecodeError:
        problems.add("文件不是 UTF-8 编码，请另存为 UTF-8", file=name, code="encoding")
        return None, SourceMap(name)
    return load_yaml_text(text, name, problems)

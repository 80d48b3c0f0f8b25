"""YAML with a line for every key, duplicate keys refused, and no surprising coercions.

PyYAML follows YAML 1.1, where `yes`/`no`/`on`/`off` are booleans and `1.10` is the float 1.1. Office
staff write `clause: 1.10` and `values: [是, 否]`; they mean text. Here only `true`/`false` are booleans,
numbers are exact `Decimal`s (or `int`s) kept with their written digits, and `2020-12-31` is a date.

A hostile or broken file never crashes or hangs the loader: the file's type is checked before it is opened
(a FIFO would block), its size is bounded, nesting is bounded, aliases are expanded at most
`MAX_VALUES` values in all (a "billion laughs" file is refused at once) and a recursive alias is refused.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from common.oserrors import os_error_words
from common.problems import Problems
from rules.language.yamlwords import yaml_error_words

PathKey = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?[0-9]+$")
_DEC = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NULL = {"", "~", "null", "Null", "NULL"}
MAX_BYTES = 5 * 1024 * 1024  # a criteria file is a few hundred lines; 5 MB is far beyond any real one
MAX_DEPTH = 64               # nesting of mappings and lists (a real scheme nests about 8 deep)
MAX_VALUES = 500_000         # values after expanding aliases (a real scheme has a few thousand)
_SURROGATE = re.compile("[\ud800-\udfff]")
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
        # beyond 40 digits it is no count anyone means; kept as text, the model refuses it with the value shown
        return int(text) if len(text) <= 40 else text
    if _DEC.match(text):
        return Decimal(text)
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


class _TooMuch(Exception):
    """The document nests deeper than MAX_DEPTH, expands to more than MAX_VALUES or refers to itself."""

    def __init__(self, message: str, node: yaml.Node, code: str):
        super().__init__(message)
        self.message, self.node, self.code = message, node, code


class _Converter:
    def __init__(self, smap: SourceMap, problems: Problems):
        self.smap, self.problems = smap, problems
        self.values = 0
        self.open: set[int] = set()  # collections being converted: an alias back to one of them is a cycle

    def convert(self, node: yaml.Node, path: PathKey) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise _TooMuch(f"展开别名（&/*）后超过{MAX_VALUES}个值，文件过大或是恶意构造的别名炸弹；请直接写出各项，"
                           "不要层层引用别名", node, "yaml-limit")
        if len(path) > MAX_DEPTH:
            raise _TooMuch(f"嵌套超过{MAX_DEPTH}层，请检查缩进和括号是否配对", node, "yaml-limit")
        self.smap.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            if _SURROGATE.search(node.value):
                self.add(node, path, "含有无效的 Unicode 字符（单独的代理项，如 \\ud800）；请删除该转义或写出完整字符",
                         "bad-char")
                return None
            return _scalar(node)
        if id(node) in self.open:
            raise _TooMuch("YAML 别名引用了包含它自身的内容（循环引用），请直接写出各项", node, "yaml-limit")
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.convert(child, (*path, i)) for i, child in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
        finally:
            self.open.discard(id(node))
        return None

    def add(self, node: yaml.Node, path: PathKey, message: str, code: str) -> None:
        self.problems.add(message, file=self.smap.file, line=node.start_mark.line + 1, key=format_path(path),
                          code=code)

    def mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                self.add(knode, path, "键必须是简单文本", "bad-key")
                continue
            key = knode.value
            if _SURROGATE.search(key):
                self.add(knode, path, "键含有无效的 Unicode 字符（单独的代理项，如 \\ud800）", "bad-char")
                continue
            if key == "<<":
                self.add(knode, path, "不支持 YAML 合并键“<<”，请直接写出各项", "merge-key")
                continue
            if key in out:
                first = self.smap.lines.get((*path, key))
                self.add(knode, path, f"键“{key}”重复（第{first}行已出现），请删除或合并其中一个", "duplicate-key")
                continue
            self.smap.lines[(*path, key)] = knode.start_mark.line + 1
            out[key] = self.convert(vnode, (*path, key))
        return out


def _convert(node: yaml.Node, path: PathKey, smap: SourceMap, problems: Problems) -> Any:
    """The document as Python values, or None with a located problem when it breaks a limit."""
    try:
        return _Converter(smap, problems).convert(node, path)
    except _TooMuch as exc:
        problems.add(exc.message, file=smap.file, line=exc.node.start_mark.line + 1, code=exc.code)
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops well before Python's recursion limit
        problems.add(f"嵌套超过{MAX_DEPTH}层，请检查缩进和括号是否配对", file=smap.file, code="yaml-limit")
    return _FAILED


_FAILED = object()  # the document broke a limit (reported); distinct from an empty document's None


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree: parsed by libyaml when PyYAML has it (5x faster), else, and whenever libyaml
    refuses the text, by PyYAML's own parser, whose errors are the ones reported. Both build the same nodes
    (plain scalars have style None in one and '' in the other; `_scalar` treats both as plain)."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            yaml.reader.Reader(text)  # the pure-Python reader's character checks, which libyaml does not make
            return yaml.compose(text, Loader=fast)
        except yaml.MarkedYAMLError as exc:
            if "nesting depth" in str(exc.problem):  # libyaml's own limit (1,000 levels); PyYAML has none
                raise _Nested(exc.problem_mark) from None
        except yaml.YAMLError:
            pass
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:  # PyYAML's composer recurses once per level
        raise _Nested(None) from None


class _Nested(Exception):
    def __init__(self, mark: Any):
        super().__init__("nesting")
        self.line = mark.line + 1 if mark is not None else None


def load_yaml_text(text: str, file: str, problems: Problems) -> tuple[Any, SourceMap]:
    smap = SourceMap(file)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        problems.add(yaml_error_words(exc), file=file, line=line, code="yaml-syntax")
        return None, smap
    except yaml.YAMLError as exc:  # pragma: no cover - other parser failures
        problems.add(f"YAML 格式错误：{exc}", file=file, code="yaml-syntax")
        return None, smap
    except _Nested as exc:
        problems.add(f"嵌套超过{MAX_DEPTH}层，请检查缩进和括号是否配对", file=file, line=exc.line, code="yaml-limit")
        return None, smap
    if node is None:
        problems.add("文件为空", file=file, line=1, code="empty-file")
        return None, smap
    data = _convert(node, (), smap, problems)
    return (None, smap) if data is _FAILED else (data, smap)


def read_text_file(path: Path, problems: Problems, name: str) -> str | None:
    """The text of a criteria or cases file, or None with a problem saying what is wrong with the path.

    The file's type is checked before it is opened: opening a FIFO for reading blocks until someone writes.
    """
    problem = _path_problem(path)
    if problem is None:
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as fh:
                raw = fh.read(MAX_BYTES + 1)
        except PermissionError:
            problem = ("没有读取该文件的权限，请检查文件权限", "unreadable")
        except OSError as exc:
            problem = (f"无法读取该文件（{os_error_words(exc)}）", "unreadable")
        else:
            if len(raw) > MAX_BYTES:
                problem = (f"文件超过{MAX_BYTES // 1024 // 1024} MB，不是考核细则（请检查是否选错了文件）", "too-large")
            else:
                try:
                    return raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    problem = ("文件不是 UTF-8 编码，请另存为 UTF-8", "encoding")
    message, code = problem
    problems.add(message, file=name, code=code)
    return None


def _path_problem(path: Path) -> tuple[str, str] | None:
    """What is wrong with a path that should name a readable regular file (None when nothing)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"符号链接指向的文件不存在（{os.readlink(path)}），请检查路径", "no-file"
        return "文件不存在，请检查路径", "no-file"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "符号链接循环（链接最终指回自身），请改为指向实际文件", "bad-path"
        if isinstance(exc, PermissionError):
            return "没有访问该路径的权限，请检查文件夹权限", "unreadable"
        return f"无法访问该路径（{os_error_words(exc)}）", "bad-path"
    if stat.S_ISDIR(st.st_mode):
        return "这是一个文件夹，不是文件；请给出考核细则 YAML 文件的路径", "bad-path"
    if not stat.S_ISREG(st.st_mode):
        return "这不是普通文件（是管道、设备或套接字），请给出考核细则 YAML 文件的路径", "bad-path"
    if st.st_size > MAX_BYTES:
        return f"文件超过{MAX_BYTES // 1024 // 1024} MB，不是考核细则（请检查是否选错了文件）", "too-large"
    return None


def load_yaml_file(path: Path, problems: Problems, display: str | None = None) -> tuple[Any, SourceMap]:
    name = display or str(path)
    text = read_text_file(path, problems, name)
    if text is None:
        return None, SourceMap(name)
    return load_yaml_text(text, name, problems)

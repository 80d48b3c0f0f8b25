"""Reading a results document back (for `compare` and `verify`): checked before it is trusted.

A results file may come from anywhere — a colleague's mail, a re-save in another editor, a hostile copy.
Before `json.loads` the size is bounded and the encoding checked; the parser's nesting and the length of
its numbers are bounded; then the parts compare and verify read are checked for their shape. Every
refusal is a `BadResult` saying, in Chinese, where (line and column, or the key path such as
`results[3].items.A1`) and what to do — never a traceback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from intake.resultsfile import MAX_BYTES, RepeatedKey, no_repeated_keys

MAX_DEPTH = 64                # results documents are 6 deep
MAX_DIGITS = 100              # a number in a result has a few digits; 5,000 would stall int()
SCORE = re.compile(r"[+-]?\d{1,100}(\.\d{1,100})?")
NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)
WRITTEN_BY = "请使用 assess score --format json 写出的原文件"


class BadResult(ValueError):
    """The published result cannot be read (the message is Chinese)."""


class _TooLong(ValueError):
    """A number the parser refuses (too many digits, or NaN/Infinity); `text` is it as written."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def _line_col(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"第{line}行第{col}列"


def _decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        try:
            data.decode("gb18030")
            guess = "，看来是 GBK/GB18030 编码（可能被其他软件另存过）"
        except UnicodeDecodeError:
            guess = ""
        raise BadResult(f"{name}：第{line}行有不是 UTF-8 编码的字节{guess}。assess 的结果文件都是 UTF-8 编码，"
                        f"{WRITTEN_BY}，或把它另存为 UTF-8。") from None
    return text.removeprefix("\ufeff")


def _too_deep_at(text: str) -> str:
    depth = 0
    for m in NESTING.finditer(text):
        c = m.group(0)
        if c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _line_col(text, m.start())
        elif c in "]}":
            depth -= 1
    return "某处"


def _max_depth(doc: Any) -> int:
    deepest = 0
    stack = [(doc, 1)]
    while stack:
        x, d = stack.pop()
        if isinstance(x, dict):
            x = list(x.values())
        elif not isinstance(x, list):
            continue
        deepest = max(deepest, d)
        if d > MAX_DEPTH:
            return d
        stack.extend((v, d + 1) for v in x if isinstance(v, (dict, list)))
    return deepest


def _int(s: str) -> int:
    if len(s.lstrip("-")) > MAX_DIGITS:
        raise _TooLong(s)
    return int(s)


def _float(s: str) -> float:
    if len(s) > MAX_DIGITS + 10:
        raise _TooLong(s)
    return float(s)


def _constant(s: str) -> Any:
    raise _TooLong(s)


def parse_result(text: str, name: str = "结果文件") -> dict[str, Any]:
    """The document in `text`, checked; raises BadResult."""
    if len(text) > MAX_BYTES:
        raise BadResult(f"{name}超过 {MAX_BYTES >> 20} MB，不像是一个结果文件。{WRITTEN_BY}。")
    try:
        doc = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant,
                         object_pairs_hook=no_repeated_keys)
    except json.JSONDecodeError as e:
        raise BadResult(f"{name}：不是有效的 JSON（第{e.lineno}行第{e.colno}列：{_json_reason(e.msg)}）。"
                        f"{WRITTEN_BY}。") from None
    except RepeatedKey as e:
        pos = text.rfind(json.dumps(e.key, ensure_ascii=False))
        where = _line_col(text, pos) + "，" if pos >= 0 else ""
        raise BadResult(f"{name}：{where}同一对象中键“{e.key[:80]}”出现两次，无法确定以哪个为准；本工具写出的结果文件不会这样，"
                        f"文件可能被手工改过。{WRITTEN_BY}。") from None
    except RecursionError:
        raise BadResult(f"{name}：{_too_deep_at(text)}起嵌套超过 {MAX_DEPTH} 层，不是结果文件的结构。"
                        f"{WRITTEN_BY}。") from None
    except _TooLong as e:
        pos = text.find(e.text)
        where = _line_col(text, pos) + "的" if pos >= 0 else ""
        if e.text in ("NaN", "Infinity", "-Infinity"):
            raise BadResult(f"{name}：{where}{e.text} 不是 JSON 允许的数。{WRITTEN_BY}。") from None
        raise BadResult(f"{name}：{where}数有 {len(e.text)} 位，超过 {MAX_DIGITS} 位，不是结果文件中的数。"
                        f"{WRITTEN_BY}。") from None
    if _max_depth(doc) > MAX_DEPTH:
        raise BadResult(f"{name}：{_too_deep_at(text)}起嵌套超过 {MAX_DEPTH} 层，不是结果文件的结构。{WRITTEN_BY}。")
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
        raise BadResult(f"{name}：不是结果文件（缺少 results）。{WRITTEN_BY}。")
    check_shape(doc, name)
    return doc


def _json_reason(msg: str) -> str:
    reasons = {"Expecting value": "此处应为一个值", "Expecting ',' delimiter": "缺少逗号",
               "Expecting ':' delimiter": "缺少冒号", "Extra data": "JSON 结束后还有多余内容",
               "Unterminated string starting at": "字符串没有结束的引号",
               "Expecting property name enclosed in double quotes": "键名应写在双引号中",
               "Invalid control character at": "字符串中有控制字符", "Invalid \\escape": "无效的转义符",
               "Unexpected UTF-8 BOM (decode using utf-8-sig)": "开头有 BOM"}
    return reasons.get(msg, "格式错误")


def read_result_file(path: Path, name: str | None = None) -> str:
    """The text of a results file: size bounded and UTF-8 checked; raises BadResult (OSError passes)."""
    label = name or str(path)
    if path.is_dir():
        raise BadResult(f"{label} 是一个文件夹，不是结果文件。")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise BadResult(f"{label}有 {size >> 20} MB，超过 {MAX_BYTES >> 20} MB，不像是一个结果文件。{WRITTEN_BY}。")
    with open(path, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    return _decode(data, label)


def _fail(name: str, where: str, what: str) -> BadResult:
    return BadResult(f"{name}：{where} {what}，不是 assess score --format json 写出的内容。{WRITTEN_BY}。")


def _want(ok: bool, name: str, where: str, what: str) -> None:
    if not ok:
        raise _fail(name, where, what)


def _score(v: Any) -> bool:
    return v is None or (isinstance(v, str) and SCORE.fullmatch(v) is not None)


def _dict_or_none(v: Any) -> bool:
    return v is None or isinstance(v, dict)


def check_shape(doc: dict[str, Any], name: str = "结果文件") -> None:
    """The parts compare and verify read have the types they are read as; raises BadResult at the first
    that does not (its key path names it)."""
    for i, r in enumerate(doc["results"]):
        at = f"results[{i}]"
        _want(isinstance(r, dict), name, at, "应为一个单位的结果（对象）")
        _want(isinstance(r.get("entity"), str), name, f"{at}.entity", "应为单位编号（文字）")
        _want(r.get("name") is None or isinstance(r.get("name"), str), name, f"{at}.name", "应为单位名称（文字）")
        for k in ("total", "base", "bonus", "penalty"):
            _want(_score(r.get(k)), name, f"{at}.{k}", "应为分数（如 \"87.50\"）")
        _want(r.get("rank") is None or (isinstance(r.get("rank"), int) and not isinstance(r.get("rank"), bool)),
              name, f"{at}.rank", "应为名次（整数）")
        _want(r.get("grade") is None or isinstance(r.get("grade"), str), name, f"{at}.grade", "应为等次（文字）")
        for k in ("items", "values"):
            _want(_dict_or_none(r.get(k)), name, f"{at}.{k}", "应为对象")
        for item, v in (r.get("items") or {}).items():
            _want(_score(v), name, f"{at}.items.{item}", "应为分数（如 \"8.5\"）或 null")
        for k in ("events", "vetoes"):
            _want(r.get(k) is None or isinstance(r.get(k), list), name, f"{at}.{k}", "应为列表")
        for j, e in enumerate(r.get("events") or []):
            where = f"{at}.events[{j}]"
            _want(isinstance(e, dict), name, where, "应为一个扣分事件（对象）")
            _want(e.get("item") is None or isinstance(e.get("item"), str), name, f"{where}.item", "应为项目编号")
            _want(_dict_or_none(e.get("evidence")), name, f"{where}.evidence", "应为对象")
        for j, v in enumerate(r.get("vetoes") or []):
            _want(isinstance(v, dict) and isinstance(v.get("id"), str), name, f"{at}.vetoes[{j}]",
                  "应为否决项（含 id）")
    run = doc.get("run")
    _want(_dict_or_none(run), name, "run", "应为运行记录（对象）")
    if isinstance(run, dict):
        for k in ("criteria", "data", "tool"):
            _want(_dict_or_none(run.get(k)), name, f"run.{k}", "应为对象")
        files = (run.get("data") or {}).get("files")
        _want(_dict_or_none(files) and all(isinstance(v, str) for v in (files or {}).values()), name,
              "run.data.files", "应为“文件 → sha256”的对象")
        for k, sub in (("criteria", "file"), ("data", "path")):
            v = (run.get(k) or {}).get(sub)
            _want(v is None or isinstance(v, str), name, f"run.{k}.{sub}", "应为路径（文字）")

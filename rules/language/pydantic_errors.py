"""Chinese wording of pydantic's validation errors on a criteria file, each located at its line and key.

An unknown key gets a "did you mean" from the keys of the model that owns it; a union reports once per place.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from common.problems import Problems, did_you_mean
from rules.language.yamlsource import PathKey, SourceMap, format_path

_TYPE_WORDS = {
    "string_type": "文本", "int_type": "整数", "bool_type": "是/否值（true 或 false）",
    "decimal_type": "数值", "date_type": "日期（YYYY-MM-DD）", "list_type": "列表", "dict_type": "键值映射",
    "model_type": "键值映射", "tuple_type": "列表", "float_type": "数值", "int_from_float": "整数",
    "decimal_parsing": "数值", "model_attributes_type": "键值映射",
}


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "键值映射"
    if isinstance(value, list):
        return "列表"
    if value is None:
        return "空值"
    return f"“{value}”"


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of `loc` (for "did you mean" on unknown keys)."""
    cls: Any = root
    for part in loc[:-1]:
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            if not isinstance(part, str) or part not in cls.model_fields:
                return None
            cls = cls.model_fields[part].annotation
        elif typing.get_origin(cls) is list and isinstance(part, int):
            cls = typing.get_args(cls)[0]
        elif typing.get_origin(cls) is dict and isinstance(part, str):
            cls = typing.get_args(cls)[1]
        else:
            return None
        while typing.get_origin(cls) in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(cls) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            cls = models[0] if models else (args[0] if args else None)
            if cls is None:
                return None
        if typing.get_origin(cls) is typing.Annotated:
            cls = typing.get_args(cls)[0]
    return cls if isinstance(cls, type) and issubclass(cls, BaseModel) else None


# Top-level keys whose form errors also say where the form is documented (the newer constructs).
SECTIONS = {"previous": "2.18", "rollup": "2.19", "periods": "2.20", "period_dates": "2.20", "composite": "2.20"}
# Keys within an item whose form errors say where the form is documented (found by a blind test: a wrong
# `missing:` of an assessed item gave no pointer).
ITEM_SECTIONS = {"assessed": "2.13", "table": "2.11", "rank": "2.12", "evidence": "2.21"}


def section_of(loc: tuple[Any, ...]) -> str | None:
    """The section of criteria/README.md documenting the construct at `loc`, when one is known."""
    if not loc:
        return None
    if loc[0] == "categories":
        return next((ITEM_SECTIONS[k] for k in loc if isinstance(k, str) and k in ITEM_SECTIONS), None)
    return SECTIONS.get(str(loc[0]))


def pydantic_problems(root: type[BaseModel], err: ValidationError, smap: SourceMap, problems: Problems) -> None:
    """Every validation error of `root` (the file's model) as a located Chinese problem (code `schema`)."""
    seen: set[tuple[Any, ...]] = set()
    for e in err.errors():
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
        kind = e["type"]
        # Unions report each alternative; one message per place is enough.
        if (loc, kind == "extra_forbidden") in seen:
            continue
        seen.add((loc, kind == "extra_forbidden"))
        path: PathKey = tuple(loc)
        line = smap.line(path)
        key = format_path(path)
        value = e.get("input")
        if kind == "missing":
            msg = f"缺少必填项“{loc[-1]}”，请补上"
            key = format_path(path[:-1])
        elif kind == "extra_forbidden":
            owner = _model_at(root, loc)
            known = list(owner.model_fields) if owner else []
            msg = f"未知的键“{loc[-1]}”{did_you_mean(str(loc[-1]), known)}；请检查拼写" + (
                f"，可用的键：{'、'.join(known)}" if known and not did_you_mean(str(loc[-1]), known) else "")
        elif kind == "literal_error":
            expected = str(e.get("ctx", {}).get("expected", "")).replace(" or ", ", ").replace("'", "")
            msg = f"取值{_show(value)}无效，应为 {'、'.join(x.strip() for x in expected.split(','))} 之一"
        elif kind in _TYPE_WORDS:
            msg = f"应为{_TYPE_WORDS[kind]}，实际为{_show(value)}"
            if kind == "bool_type" and isinstance(value, str):
                msg += "（是/否请写 true 或 false）"
        elif kind == "is_instance_of":   # a YAML tag made an object of another type (e.g. !!python/…)
            wanted = {"Decimal": "数值", "date": "日期（YYYY-MM-DD）"}.get(str(e.get("ctx", {}).get("class", "")), "普通的值")
            msg = f"应为{wanted}，实际为{_show(value)}（YAML 标签“!!…”不能用在考核细则中）"
        elif kind == "value_error":
            msg = str(e.get("ctx", {}).get("error", e["msg"]))
        else:
            # pydantic's own words are English: say where and what, and where the right form is documented
            msg = f"取值{_show(value)}不符合此处的要求，请对照 criteria/README.md 中此键的写法"
        if section_of(loc) and "criteria/README.md" not in msg:
            msg += f"（写法见 criteria/README.md {section_of(loc)}）"
        problems.add(msg, file=smap.file, line=line, key=key, code="schema")

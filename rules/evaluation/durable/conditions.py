"""Rules: validation, normalisation, anchoring and the engine's JSON for them (docs/durable-guard.md G4, G6, G7,
G11, L2-L5).

A normalised condition is a tuple:
  ("eq", field, value) | ("cmp", op, field, value) | ("ex", field) | ("nex", field)
  ("and", (node, ...)) | ("or", (node, ...))
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rules.evaluation.durable.api import CompiledRule, DurableEngineError, _err, _locate
from rules.evaluation.durable.encoding import (
    _ENCODE,
    _UNSAFE_ORDER_RULE_STRING,
    Value,
    _canonical_value,
    _check_field_name,
    _kind,
    _value_json,
)
from rules.evaluation.durable.limits import (
    _ACTION_CAP,
    _ANCHOR,
    _SEEN,
    MAX_DEPTH,
    MAX_EQ_ALTERNATIVES,
    MAX_LOGIC_NODES,
    MAX_RULES,
)

_OPERATORS = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<=", "$neq": "!="}
_ORDER_OPS = frozenset({"$gt", "$gte", "$lt", "$lte"})
_RULE_NAME = re.compile(r"[A-Za-z0-9_]+")

Node = tuple[Any, ...]


class _RuleParser:
    def __init__(self, rule_name: str) -> None:
        self.rule_name = rule_name

    def where(self) -> str:
        return f"规则“{self.rule_name}”"

    def fail(self, message: str) -> DurableEngineError:
        return _err(f"规则“{self.rule_name}”{message}")

    def parse(self, cond: object, depth: int = 0) -> Node:
        if depth > MAX_DEPTH:
            raise self.fail(f"的条件嵌套超过 {MAX_DEPTH} 层 $and/$or；请简化该规则。")
        if not isinstance(cond, dict) or not cond:
            raise self.fail(f"的条件 {cond!r} 不是非空的条件对象；请检查规则编译结果。")
        items = [self.parse_item(key, value, depth) for key, value in cond.items()]
        return items[0] if len(items) == 1 else ("and", tuple(items))

    def parse_item(self, key: object, value: object, depth: int) -> Node:
        if not isinstance(key, str):
            raise self.fail(f"的条件键 {key!r} 不是文本。")
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not value:
                raise self.fail(f"的 {key} 必须是非空列表，实际为 {value!r}。")
            return (key[1:], tuple(self.parse(item, depth + 1) for item in value))
        if key in _OPERATORS:
            return self.parse_operands(key, value, depth)
        if key in ("$ex", "$nex"):
            fields = self.operand_dict(key, value)
            nodes: list[Node] = []
            for name, flag in fields.items():
                field = _check_field_name(name, self.where)
                if type(flag) is not int or flag != 1:
                    raise self.fail(f"的 {key} 条件中字段“{field}”的值必须是 1，实际为 {flag!r}。")
                nodes.append((key[1:], field))
            return nodes[0] if len(nodes) == 1 else ("and", tuple(nodes))
        if key.startswith("$"):
            raise self.fail(
                f"使用了规则引擎不支持的运算符“{key}”；只允许字段等值和 $and、$or、$gt、$gte、$lt、$lte、"
                "$neq、$ex、$nex。请检查规则编译器。"
            )
        field = _check_field_name(key, self.where)
        return ("eq", field, self.value(value, field))

    def operand_dict(self, op: str, value: object) -> dict:
        if not isinstance(value, dict) or not value:
            raise self.fail(f"的 {op} 条件必须形如 {{字段: 值}}，实际为 {value!r}。")
        return value

    def parse_operands(self, op: str, value: object, depth: int) -> Node:
        nodes: list[Node] = []
        for name, operand in self.operand_dict(op, value).items():
            field = _check_field_name(name, self.where)
            if isinstance(operand, dict):
                raise self.fail(f"的 {op} 条件中字段“{field}”的比较值是表达式；只允许常量。")
            nodes.append(("cmp", op, field, self.value(operand, field)))
        return nodes[0] if len(nodes) == 1 else ("and", tuple(nodes))

    def value(self, value: object, field: str) -> Value:
        where = f"规则“{self.rule_name}”中字段“{field}”"
        try:
            return _canonical_value(value, lambda: where)
        except DurableEngineError as error:
            raise _locate(error, where, rule=self.rule_name, field=field) from None


def _flatten(node: Node) -> Node:
    """Merge nested $and/$and and $or/$or, unwrap one-element $and/$or (same meaning, fewer nodes)."""
    if node[0] not in ("and", "or"):
        return node
    children: list[Node] = []
    for child in node[1]:
        flat = _flatten(child)
        if flat[0] == node[0]:
            children.extend(flat[1])
        else:
            children.append(flat)
    return children[0] if len(children) == 1 else (node[0], tuple(children))


def _walk(node: Node) -> Iterable[Node]:
    yield node
    if node[0] in ("and", "or"):
        for child in node[1]:
            yield from _walk(child)


def _anchored(node: Node) -> Node:
    anchor: Node = ("ex", _ANCHOR)
    if node[0] == "and":
        return ("and", (anchor, *node[1]))
    return ("and", (anchor, node))


def _cond_json(node: Node) -> str:
    """The engine's JSON for a normalised condition (numbers written by ``_num_json``)."""
    tag = node[0]
    if tag == "eq":
        return "{" + f"{_ENCODE(node[1])}: {_value_json(node[2])}" + "}"
    if tag == "cmp":
        return "{" + f'"{node[1]}": ' + "{" + f"{_ENCODE(node[2])}: {_value_json(node[3])}" + "}}"
    if tag in ("ex", "nex"):
        return "{" + f'"${tag}": ' + "{" + f"{_ENCODE(node[1])}: 1" + "}}"
    return "{" + f'"${tag}": [' + ", ".join(_cond_json(child) for child in node[1]) + "]}"


@dataclass
class _Rule:
    name: str  # caller's name
    internal: str  # name inside the engine
    node: Node  # anchored, flattened condition
    json: str


def _prepare_rules(rules: Sequence[CompiledRule]) -> list[_Rule]:
    if not isinstance(rules, (list, tuple)):
        raise _err(f"规则列表类型错误（{type(rules).__name__}）；请传入 CompiledRule 列表。")
    if len(rules) > MAX_RULES:
        raise _err(
            f"一次评估含有 {len(rules)} 条规则，超过安全上限 {MAX_RULES}（规则过多时引擎会报错或卡死）；"
            "请拆分细则分批评估。"
        )
    seen_names: set[str] = set()
    prepared: list[_Rule] = []
    for index, rule in enumerate(rules):
        name = getattr(rule, "name", None)
        if not isinstance(name, str) or not _RULE_NAME.fullmatch(name):
            raise _err(f"第 {index + 1} 条规则的名称 {name!r} 无效；名称只能由字母、数字和下划线组成。")
        if name in seen_names:
            raise _err(f"规则名称“{name}”重复；同一次评估中规则名称必须唯一。")
        seen_names.add(name)
        parser = _RuleParser(name)
        try:
            node = _anchored(_flatten(parser.parse(getattr(rule, "condition", None))))
            _check_rule_shape(name, node)
        except DurableEngineError as error:
            raise _locate(error, f"规则“{name}”", rule=name) from None
        prepared.append(_Rule(name, f"u{index}", node, _cond_json(node)))
    return prepared


def _check_rule_shape(name: str, node: Node) -> None:
    logic = sum(1 for n in _walk(node) if n[0] in ("and", "or"))
    if logic > MAX_LOGIC_NODES:
        raise _err(
            f"规则“{name}”的条件含有 {logic} 个 $and/$or（含内部锚点），超过引擎上限 {MAX_LOGIC_NODES}；"
            "请拆分或简化该规则。"
        )
    for n in _walk(node):
        if n[0] != "or":
            continue
        per_field = Counter(child[1] for child in n[1] if child[0] == "eq")
        for field, count in per_field.items():
            if count > MAX_EQ_ALTERNATIVES:
                raise _err(
                    f"规则“{name}”的条件含有 {count} 个字段“{field}”的等值选项，超过引擎上限 "
                    f"{MAX_EQ_ALTERNATIVES}（引擎硬上限 512，达到即卡死）；请拆分该规则。"
                )


def _rule_field_kinds(rules: Sequence[_Rule]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """L4: the value kind each field is compared with, and the rules that order-compare strings."""
    kinds: dict[str, str] = {}
    origin: dict[str, str] = {}
    order_str: dict[str, list[str]] = {}
    for rule in rules:
        for n in _walk(rule.node):
            if n[0] == "eq":
                field, value, op = n[1], n[2], "="
            elif n[0] == "cmp":
                field, value, op = n[2], n[3], n[1]
            else:
                continue
            kind = _kind(value)
            if kinds.setdefault(field, kind) != kind:
                raise _err(
                    f"字段“{field}”在规则“{origin[field]}”中与{'文本' if kinds[field] == 'str' else '数值'}比较，"
                    f"在规则“{rule.name}”中与{'文本' if kind == 'str' else '数值'}比较；同一字段只能是一种类型。",
                    f"与{'文本' if kind == 'str' else '数值'}比较，而另一条件把同一个值与"
                    f"{'文本' if kinds[field] == 'str' else '数值'}比较；同一个值只能是一种类型。",
                    rule=rule.name, field=field,
                )
            origin.setdefault(field, rule.name)
            if kind == "str" and op in _ORDER_OPS:
                if _UNSAFE_ORDER_RULE_STRING.search(value):
                    raise _err(
                        f"规则“{rule.name}”对字段“{field}”做文本大小比较（{op}），但比较值 {value!r} 含有空格、"
                        "引号、感叹号、反斜杠或控制字符，引擎的比较结果会出错；请改用数值或等值条件。",
                        f"做文本大小比较（{op}），但比较值 {value!r} 含有空格、引号、感叹号、反斜杠或控制字符，"
                        "规则引擎的比较结果会出错；请改用数值或等值条件。",
                        rule=rule.name, field=field,
                    )
                order_str.setdefault(field, []).append(rule.name)
    return kinds, order_str


def _ruleset_json(group: Sequence[_Rule]) -> str:
    members = [f'"{_SEEN}": {{"all": [{{"m": {{"$ex": {{"{_ANCHOR}": 1}}}}}}], "cap": {_ACTION_CAP}}}']
    for rule in group:
        members.append(f'"{rule.internal}": {{"all": [{{"m": {rule.json}}}], "cap": {_ACTION_CAP}}}')
    return "{" + ", ".join(members) + "}"

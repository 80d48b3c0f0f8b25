"""Guarded adapter around durable-rules 2.0.28: the ONLY module of the project that imports ``durable``.

``match(rules, facts)`` asserts every fact in its session(s) (``Fact.session``) and returns every ``(rule name,
fact_id)`` pair that matched.  Anything the engine cannot do safely raises ``DurableEngineError``, whose
``str()`` is a Chinese message for users (what happened, what to do).  Rules are single-fact conditions
(no joins); matching a fact does not depend on the other facts.

The engine (a C extension behind a thin Python layer, unmaintained since 2020) has traps that lose or
invent matches silently; /work/shared/durable-rules-notes.md ("the notes") lists them.  Each trap is
guarded below and each guard has a test in tests/test_durable_guard.py.  [S] = read in the C source of
the 2.0.28 sdist, [X] = reproduced on this machine (new findings are marked NEW).

Isolation and lifetime
  G1  Notes "Use the JSON ruleset API": ``durable.lang`` keeps module-global rulesets and one global host;
      it is never used.  Each call builds its own ``_QuietHost`` (a ``durable.engine.Host`` subclass) and
      its own rulesets named ``assess_<uuid>_g<group>_<n>``: no two calls or tests share engine state.
  G2  Notes "Host lifetime": the stock Host starts two timer threads that never stop, and actions may run
      after the assert returns.  ``_QuietHost._run`` starts nothing; the call runs every pending action
      itself (``start_action_for_state`` after each assert, then ``start_action`` on the ruleset handle
      until none is left) before it reads any result.
  G3  Notes "Host lifetime" (~1.7 MB leaked per evaluation): in a ``finally`` block the call deletes the
      state of EVERY session it opened (``delete_state``; deleting a ruleset frees none of them), then the
      ruleset (``durable_rules_engine.delete_ruleset``).  [S] States are deleted only after the last
      ``start_action`` of their ruleset: deleting a state does not compact the engine's round-robin
      index, so a later ``start_action`` could read a freed state.  NEW [S][X]: a state in which no action
      ever started holds an uninitialised pointer that ``delete_state`` frees (segfault); only an engine
      error can leave such a state (every fact matches ``_seen``), and it is left undeleted.
  G4  NEW [X]: ``set_rulesets`` serialises with ``json.dumps``, whose float format ``1e-05`` the engine's
      JSON reader cannot parse: the ruleset fails with error 204 and, worse, a batch of facts containing
      such a number is dropped whole while ``assert_facts`` reports success.  (``set_rulesets`` also
      mutates its input.)  So this module writes all engine JSON itself (``_num_json`` always puts a
      ``.`` in the mantissa) and registers a ``durable.engine.Ruleset`` built from that text
      (``_JsonRuleset``); nothing the caller passed is handed to the library.
  G13 Notes "not thread-safe": calls to ``match`` are serialised by a lock.

Facts, anchor and accounting
  G5  Notes "Facts, events": facts (``assert_facts``/``assert_fact``), so every matching rule fires.
  G6  Notes "A rule whose only condition is $nex hangs": every rule is ANDed with the anchor
      ``{"$ex": {"_fid": 1}}`` (each fact carries ``_fid`` = fact_id); [S] without it, a ``$nex`` rule
      also matches the session's own state fact.
  G7  Notes "MessageNotHandledException": a catch-all rule ``_seen`` (only the anchor) makes every fact
      match something (the exception is still caught).  Every session is audited after its ruleset
      ran: each asserted fact must have been ``_seen`` EXACTLY once and no other fact_id may appear.  A
      session failing the audit is discarded and its facts are asserted again (G9).
  G8  Notes "Exceptions raised inside an action are swallowed": the action wrapper keeps the original
      exception; the drain checks the state the library hands back; each session's state is read back
      before it is deleted.  Any of the three raises.  [S] The library also silently abandons an action
      that ran longer than 10 s (its completion callback is never called and the session's other
      actions are not run): the drain notices the missing completion and raises.
  G9  Notes "False duplicates" (issue #376): the message index compares only a 32-bit hash, so a
      different fact can be refused as already observed (in a batch it is silently skipped).  Sessions
      hold at most ``MAX_FACTS_PER_SESSION`` facts (a unit is split into sub-sessions); a batch that
      raises MessageObservedException or fails the audit is redone one fact at a time in a fresh
      session, and a fact that collides again moves to yet another fresh session.  No match is kept
      from a discarded session, so nothing is lost or invented.
  G10 Notes "1024 sessions per ruleset": at most ``MAX_SESSIONS_PER_RULESET`` sessions and
      ``MAX_FACTS_PER_RULESET`` held facts (~9 KB RSS each) per ruleset; units are spread over as many
      rulesets as needed, one ruleset alive at a time.  Session ids are generated (``s<n>``, unique in the
      call): [S] a session is found by a 32-bit hash of its id alone (ids with equal hashes are skipped)
      and the id is pasted unescaped into the engine's state JSON, so unit names are never used as ids.
  G11 Notes "count: n ... drops the remainder": actions use ``cap`` instead (one action per rule and
      session carries all its matches, nothing dropped, far fewer Python round trips).  A rule may fire
      twice for one fact ([X] an ``$or`` with two true branches does); results are a set.
  G12 Notes "Python 3.12 DeprecationWarning": ignored locally (``warnings.catch_warnings``) so that
      warnings-as-errors cannot make every action fail.

Hard limits, refused with a message BEFORE the library is called
  L1  Notes "252 properties per fact": with ``sid`` and ``_fid`` added, at most ``MAX_FACT_FIELDS`` (251)
      caller fields; [X] 252 give error 302.
  L2  Notes "unknown operator: error code 202": only plain equality, ``$and $or $gt $gte $lt $lte $neq
      $ex $nex``; ``$ex``/``$nex`` take the value 1; comparison operands are constants.  NEW [S]: the
      engine reads only the FIRST key of a condition object and ignores the rest; here a dict with several
      keys means the AND of its items, sent as an explicit ``$and``.
  L3  Notes "no decimal type", "null is not absent": values are int, float or str only (no bool, None,
      Decimal...); ints within +-2**53; floats finite; integral floats are sent as ints ([S] int and
      double rule values would become distinct engine nodes); strings valid UTF-8.  Field names: non-empty,
      no ``$`` prefix, no quote/backslash/control character, not ``sid``/``id``/``_fid``.  NEW [S][X]: the
      engine identifies a property by a 32-bit FNV-1a hash of its name only, so a rule on one name matches
      a fact carrying another name with the same hash: names with equal hashes are refused.
  L4  Notes 'The string "3" satisfies $gte: 2': a field compared with numbers in one place and strings in
      another (rule or fact) is refused.  NEW [S]: strings are ordered by comparing the raw JSON bytes,
      which differs from Python's order when a rule string holds a character <= '"' or a backslash, or a
      fact string holds a quote, backslash or control character: such order comparisons are refused.
  L5  Notes "512 equality alternatives ... hangs", "Thousands of rules": at most ``MAX_EQ_ALTERNATIVES``
      equality alternatives on one field in one ``$or`` and ``MAX_RULES`` rules per call.  NEW [X]: at
      most ``MAX_LOGIC_NODES`` ``$and``/``$or`` per rule, anchor included (the 16th gives error 113).
  L6  Notes "More than 64 sibling conditions passing at once: error 303", "513 hangs".  [S][X] Each node
      of the engine's alpha network keeps its children in a 512-bucket open-addressing table (512 children
      make every lookup loop forever), its ``$nex``/``$or`` links in a list of 128 (NEW: 128 segfault) and
      its rule ends in a list of 256 (NEW: 256 identical rules segfault); matching pushes all true children
      of a node on a stack of 64 (error 303).  ``_AlphaModel`` rebuilds that network in Python with the
      engine's node-sharing rules and bounds the stack using the fields the facts actually carry (the
      bound was checked against the engine: 64 true siblings pass, 65 fail).  Rules are split into as
      many rule groups (rulesets; every fact is asserted in each) as needed to stay within these limits
      with a margin; a single rule that cannot fit is refused.

Not guarded (out of reach of this module): the C code itself (a crash or a hang in a path not listed
above would still take the process down); a false duplicate between a fact and the session's state
fact is caught by the audit like any other.

Throughput (this 2-core machine, CPython 3.11.7, durable-rules 2.0.28, one session per unit):
  3000 units x 40 facts (120 000 facts, 4-5 fields each), 60 rules, ~100 000 matches:
      3.5-4.0 s end to end on an idle machine = ~30 000-35 000 facts/s, about 1.2 ms per unit (5-6 s,
      ~20 000 facts/s, while other processes kept the machine busy); RSS flat over repeated calls.
  The engine allocates every session's state for every rule, so the cost per unit grows with the rule
  count: 150 rules 1.9 ms/unit, 300 rules 3.8 ms/unit, 500 rules 8.6 ms/unit (3000 units: ~26 s).
  Rules split into k groups (L6) cost about k times as much.
  rules.evaluation.match therefore sends facts by condition group, not by unit: one fact per distinct combination of
  the values a group of conditions reads (see its docstring), a few hundred facts in a handful of sessions
  even for 2,846 units and 10 million ledger rows (docs/performance.md).
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import durable_rules_engine
from durable import engine

__all__ = ["CompiledRule", "DurableEngineError", "Fact", "match"]

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------


class DurableEngineError(Exception):
    """Raised for anything the engine cannot do safely. ``str(e)`` is a Chinese message for users."""


@dataclass(frozen=True)
class CompiledRule:
    name: str  # unique within one call, e.g. "r17"; [A-Za-z0-9_] only
    condition: dict  # durable-rules JSON condition over fact fields


@dataclass(frozen=True)
class Fact:
    session: str  # a session key: facts with the same key share sessions (at most MAX_FACTS_PER_SESSION each)
    fact_id: int  # unique within one call
    fields: dict[str, int | float | str]  # no None / bool values


# --------------------------------------------------------------------------------------------------
# Limits (see the module docstring for where each number comes from)
# --------------------------------------------------------------------------------------------------

MAX_FACT_FIELDS = 251  # L1: 255 slots, full at 255: 254 = caller fields + sid + _fid + generated id
MAX_RULES = 500  # L5
MAX_EQ_ALTERNATIVES = 500  # L5/L6: engine table of 512 buckets, full at 512
MAX_LOGIC_NODES = 15  # L5: engine MAX_SEQUENCE_EXPRESSIONS 32, two entries per $and/$or
MAX_DEPTH = 32  # nesting depth of a condition: bounds the recursion before MAX_LOGIC_NODES is counted
MAX_SESSIONS_PER_RULESET = 1000  # G10: engine MAX_STATE_INDEX_LENGTH 1024
MAX_FACTS_PER_RULESET = 4096  # G10: memory bound (~9 KB RSS per held fact)
MAX_FACTS_PER_SESSION = 256  # G9: keeps the false-duplicate probability ~1e-5 per session
MAX_RETRY_ROUNDS = 4  # G9
MAX_INT = 2**53  # L3
MAX_STRING_BYTES = 65535  # L3
_SHORT = MAX_STRING_BYTES // 4  # a str of at most this many characters is within MAX_STRING_BYTES
MAX_NAME_LENGTH = 200  # L3

# L6: engine limits of one alpha node, and the budgets used here (with a margin)
ENGINE_STACK = 64  # events.c MAX_STACK_SIZE
STACK_BUDGET = 60
ENGINE_HASHED_CHILDREN = 511  # rules.h NEXT_BUCKET_LENGTH 512; one bucket must stay empty
HASHED_CHILDREN_BUDGET = 500
ENGINE_NEXT_LIST = 127  # rules.h NEXT_LIST_LENGTH 128, needs a terminating 0
NEXT_LIST_BUDGET = 120
ENGINE_BETA_LIST = 255  # rules.h BETA_LIST_LENGTH 256, needs a terminating 0
BETA_LIST_BUDGET = 250

_ENGINE_LOCK = threading.Lock()  # G13: the C extension is not thread-safe; one call at a time
_ACTION_CAP = 1000  # G11: at most this many matches per action (the engine's "cap" setting)
_ANCHOR = "_fid"
_SEEN = "_seen"
_PREFIX = "规则引擎错误："

_OPERATORS = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<=", "$neq": "!="}
_ORDER_OPS = frozenset({"$gt", "$gte", "$lt", "$lte"})
_RULE_NAME = re.compile(r"[A-Za-z0-9_]+")
_BAD_NAME_CHARS = re.compile(r'[\x00-\x1f"\\]')
_UNSAFE_ORDER_RULE_STRING = re.compile(r'[\x00-\x22\\]')
_UNSAFE_ORDER_FACT_STRING = re.compile(r'[\x00-\x1f"\\]')
_RESERVED_NAMES = frozenset({"sid", "id", _ANCHOR})
# engine-internal property names whose hash no caller field may share
_INTERNAL_NAMES = ("sid", "id", _ANCHOR, "$forward", "$s", "$i", "$m")

_ERROR_CODES = {
    202: "JSON 字符串无法解析",
    204: "JSON 对象无法解析",
    302: "事实字段过多",
    303: "同时成立的条件过多（内部栈溢出）",
    106: "同一节点下的条件过多",
    107: "同一节点下的 $nex/$or 过多",
    108: "结论相同的规则过多",
    113: "条件中的 $and/$or 过多",
}


def _err(message: str) -> DurableEngineError:
    return DurableEngineError(_PREFIX + message)


# --------------------------------------------------------------------------------------------------
# Hashes used by the engine (state.c fnv1Hash32 over a signed char)
# --------------------------------------------------------------------------------------------------


def _fnv1a32(text: str) -> int:
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        if byte >= 0x80:  # `char` is signed on x86-64: the byte is sign-extended before the xor
            byte |= 0xFFFFFF00
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


# --------------------------------------------------------------------------------------------------
# Values and JSON
# --------------------------------------------------------------------------------------------------

Value = int | float | str
_ENCODE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode  # immutable settings


def _num_json(value: int | float) -> str:
    """JSON text of a number that the engine's reader parses correctly (G4)."""
    if type(value) is int:
        return str(value)
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        return f"{mantissa}e{exponent}"
    return text if "." in text else text + ".0"


def _value_json(value: Value) -> str:
    if isinstance(value, str):
        return _ENCODE(value)
    return _num_json(value)


def _canonical_value(value: object, where: Callable[[], str]) -> Value:
    """L3: int/float/str only; returns the canonical value sent to the engine."""
    if isinstance(value, bool) or value is None:
        raise _err(f"{where()}的值 {value!r} 类型不受支持（不能是布尔值或空值）；请把布尔值转换为 0/1，并省略空值。")
    if isinstance(value, int):
        number = int(value)
        if abs(number) > MAX_INT:
            raise _err(f"{where()}的整数 {number} 超出规则引擎可精确比较的范围（±2^53）；请缩小数值。")
        return number
    if isinstance(value, float):
        real = float(value)
        if not math.isfinite(real):
            raise _err(f"{where()}的值 {real!r} 不是有限数；请先处理缺失或异常数据。")
        if real.is_integer() and abs(real) <= MAX_INT:
            return int(real)
        return real
    if isinstance(value, str):
        text = str(value)
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError:
            raise _err(f"{where()}的文本含有无效字符（孤立代理项）；请检查数据编码。") from None
        if size > MAX_STRING_BYTES:
            raise _err(f"{where()}的文本过长（{size} 字节，上限 {MAX_STRING_BYTES}）；请缩短。")
        return text
    raise _err(
        f"{where()}的值 {value!r} 类型为 {type(value).__name__}，规则引擎只接受整数、浮点数和文本；请先转换。"
    )


def _kind(value: Value) -> str:
    return "str" if type(value) is str else "num"


def _check_field_name(name: object, where: Callable[[], str]) -> str:
    """L3: a field name the engine reads back unchanged and cannot confuse with an operator."""
    if not isinstance(name, str) or not name:
        raise _err(f"{where()}的字段名 {name!r} 无效；字段名必须是非空文本。")
    text = str(name)
    if text.startswith("$"):
        raise _err(f"{where()}的字段名“{text}”以 $ 开头，会被当作运算符；请改名。")
    if text in _RESERVED_NAMES:
        raise _err(f"{where()}的字段名“{text}”是规则引擎的保留字；请改名。")
    if _BAD_NAME_CHARS.search(text) or len(text) > MAX_NAME_LENGTH:
        raise _err(f"{where()}的字段名 {text!r} 含有引号、反斜杠或控制字符，或过长；请改名。")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _err(f"{where()}的字段名含有无效字符；请检查编码。") from None
    return text


# --------------------------------------------------------------------------------------------------
# Conditions: validation and normalisation
# --------------------------------------------------------------------------------------------------

# A normalised condition is a tuple:
#   ("eq", field, value) | ("cmp", op, field, value) | ("ex", field) | ("nex", field)
#   ("and", (node, ...)) | ("or", (node, ...))
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
        return _canonical_value(value, lambda: f"规则“{self.rule_name}”中字段“{field}”")


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
        node = _anchored(_flatten(parser.parse(getattr(rule, "condition", None))))
        _check_rule_shape(name, node)
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
                    f"在规则“{rule.name}”中与{'文本' if kind == 'str' else '数值'}比较；同一字段只能是一种类型。"
                )
            origin.setdefault(field, rule.name)
            if kind == "str" and op in _ORDER_OPS:
                if _UNSAFE_ORDER_RULE_STRING.search(value):
                    raise _err(
                        f"规则“{rule.name}”对字段“{field}”做文本大小比较（{op}），但比较值 {value!r} 含有空格、"
                        "引号、感叹号、反斜杠或控制字符，引擎的比较结果会出错；请改用数值或等值条件。"
                    )
                order_str.setdefault(field, []).append(rule.name)
    return kinds, order_str


# --------------------------------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------------------------------


@dataclass
class _Fact:
    fact_id: int
    body: str  # JSON members after "sid": '"_fid": 1, "f": 2'


_MUST_NUM, _MUST_STR, _ORDERED = 1, 2, 4  # checks a fact value of a field needs (see _prepare_facts)


def _prepare_facts(
    facts: Sequence[Fact], kinds: dict[str, str], order_str: dict[str, list[str]], nex_fields: set[str]
) -> tuple[dict[str, list[_Fact]], frozenset[str], frozenset[str]]:
    """Validate facts and group them by unit (in order of first appearance).

    Also returns, for the stack bound of the alpha model, the fields present in some fact and the
    ``$nex`` fields absent from some fact."""
    if not isinstance(facts, (list, tuple)):
        raise _err(f"事实列表类型错误（{type(facts).__name__}）；请传入 Fact 列表。")
    units: dict[str, list[_Fact]] = {}
    ids: set[int] = set()
    spec: dict[str, int] = {}  # validated field name -> checks its values need (all fields present somewhere)
    absent: set[str] = set()
    encode = _ENCODE
    for index, fact in enumerate(facts):
        fact_id = getattr(fact, "fact_id", None)
        session = getattr(fact, "session", None)
        fields = getattr(fact, "fields", None)
        if type(fact_id) is not int or not -MAX_INT <= fact_id <= MAX_INT:
            if isinstance(fact_id, bool) or not isinstance(fact_id, int) or abs(fact_id) > MAX_INT:
                raise _err(f"第 {index + 1} 个事实的编号 {fact_id!r} 无效；事实编号必须是整数（±2^53 以内）。")
            fact_id = int(fact_id)
        if fact_id in ids:
            raise _err(f"事实编号 {fact_id} 重复；同一次评估中事实编号必须唯一。")
        ids.add(fact_id)
        if type(session) is not str or not session:
            if not isinstance(session, str) or not session:
                raise _err(f"事实 {fact_id} 的单位编号 {session!r} 无效；必须是非空文本。")
            session = str(session)
        if not isinstance(fields, dict):
            raise _err(f"事实 {fact_id} 的字段不是字典（{type(fields).__name__}）。")
        if len(fields) > MAX_FACT_FIELDS:
            raise _err(
                f"事实 {fact_id}（单位“{session}”）有 {len(fields)} 个字段，超过引擎上限 {MAX_FACT_FIELDS}；"
                "请拆分为多个事实。"
            )
        plain = True  # the json module writes `fields` exactly as the engine must receive it
        for name, value in fields.items():
            need = spec.get(name)
            if need is None:
                _check_field_name(name, lambda: f"事实 {fact_id}（单位“{session}”）中字段“{name}”")  # noqa: B023
                kind = kinds.get(name)
                need = spec[name] = (
                    (_MUST_NUM if kind == "num" else 0)
                    | (_MUST_STR if kind == "str" else 0)
                    | (_ORDERED if name in order_str else 0)
                )
            value_type = type(value)
            if value_type is str:
                if need & (_MUST_NUM | _ORDERED) or len(value) > _SHORT:
                    _check_fact_value(fact_id, session, name, value, kinds.get(name), order_str)
            elif value_type is int:
                if need & _MUST_STR or not -MAX_INT <= value <= MAX_INT:
                    _check_fact_value(fact_id, session, name, value, kinds.get(name), order_str)
            elif value_type is float and 1e-4 <= abs(value) < 1e16 and not value.is_integer():  # type: ignore[arg-type]
                if need & _MUST_STR:  # no exponent in its repr, not integral: json writes it correctly
                    _check_fact_value(fact_id, session, name, value, kinds.get(name), order_str)
            else:  # bool, None, other types, subclasses, integral or exponent floats: slow path
                _check_fact_value(fact_id, session, name, value, kinds.get(name), order_str)
                plain = False
        if plain:
            members = encode(fields)[1:-1]
        else:
            members = ", ".join(
                f"{encode(name)}: {_value_json(_canonical_value(value, str))}" for name, value in fields.items()
            )
        body = f'"{_ANCHOR}": {fact_id}, {members}' if members else f'"{_ANCHOR}": {fact_id}'
        if not body.isascii():
            try:
                body.encode("utf-8")
            except UnicodeEncodeError:
                raise _err(f"事实 {fact_id}（单位“{session}”）的文本含有无效字符（孤立代理项）；请检查数据编码。") from None
        for name in nex_fields:
            if name not in fields:
                absent.add(name)
        unit = units.get(session)
        if unit is None:
            unit = units[session] = []
        unit.append(_Fact(fact_id, body))
    return units, frozenset(spec) | {_ANCHOR}, frozenset(absent)


def _check_fact_value(
    fact_id: int, session: str, name: str, raw: object, want: str | None, order_str: dict[str, list[str]]
) -> None:
    """L3/L4 for one fact value; raises on anything unsafe."""

    def where() -> str:
        return f"事实 {fact_id}（单位“{session}”）中字段“{name}”"

    value = _canonical_value(raw, where)
    if want is not None and want != _kind(value):
        raise _err(
            f"{where()}的值 {value!r} 是{'文本' if want == 'num' else '数值'}，但规则把它与"
            f"{'数值' if want == 'num' else '文本'}比较；请先转换类型（引擎会按文本比较，结果不可靠）。"
        )
    if name in order_str and isinstance(value, str) and _UNSAFE_ORDER_FACT_STRING.search(value):
        raise _err(
            f"{where()}的文本含有引号、反斜杠或控制字符，而规则“{order_str[name][0]}”对它做大小比较，"
            "引擎的比较结果会出错；请清理数据。"
        )


def _check_hash_collisions(rules: Sequence[_Rule], field_names: Iterable[str]) -> None:
    """L3: the engine identifies properties by a 32-bit hash of their name only."""
    names = set(field_names)
    for rule in rules:
        for n in _walk(rule.node):
            if n[0] in ("eq", "ex", "nex"):
                names.add(n[1])
            elif n[0] == "cmp":
                names.add(n[2])
    by_hash: dict[int, str] = {_fnv1a32(name): name for name in _INTERNAL_NAMES}
    for name in sorted(names):
        if name in _INTERNAL_NAMES:
            continue
        h = _fnv1a32(name)
        other = by_hash.setdefault(h, name)
        if other != name:
            raise _err(
                f"字段名“{name}”与“{other}”在规则引擎内部的散列值相同，引擎会把两者当作同一字段；请给其中一个改名。"
            )


# --------------------------------------------------------------------------------------------------
# L6: a Python model of the engine's alpha network (rete.c createAlpha/findAlpha/linkAlpha,
# events.c handleAlpha)
# --------------------------------------------------------------------------------------------------


class _ANode:
    __slots__ = ("beta", "field", "hashed", "hashed_links", "is_eq", "nex_index", "nexts", "op")

    def __init__(self, field: str | None = None, op: str = "", is_eq: bool = False) -> None:
        self.field = field  # None for the root and for $or forward nodes
        self.op = op
        self.is_eq = is_eq
        self.hashed: dict[tuple[Any, ...], _ANode] = {}  # shareable children in the 512-bucket table
        self.hashed_links = 0
        self.nex_index: dict[str, _ANode] = {}  # shareable $nex children
        self.nexts: list[_ANode] = []  # the next list: $nex children and $or forward nodes
        self.beta = 0  # rule ends attached to this node


class _AlphaModel:
    """Mirror of the alpha network of one ruleset; answers "do these rules fit in one ruleset?"."""

    def __init__(self, present: frozenset[str], absent: frozenset[str]) -> None:
        self.root = _ANode()
        self.present = present  # fields present in at least one fact
        self.absent = absent  # $nex fields absent from at least one fact
        self.nodes: list[_ANode] = [self.root]

    def add(self, node: Node) -> None:
        end = self._add(node, self.root)
        end.beta += 1

    def _new(self, *args: Any) -> _ANode:
        child = _ANode(*args)
        self.nodes.append(child)
        return child

    def _add(self, node: Node, parent: _ANode) -> _ANode:
        tag = node[0]
        if tag == "and":
            current = parent
            for child in node[1]:
                current = self._add(child, current)
            return current
        if tag == "or":
            forward = self._new()  # never shared: createForwardAlpha
            for child in node[1]:
                self._add(child, parent).nexts.append(forward)
            return forward
        if tag == "nex":
            found = parent.nex_index.get(node[1])
            if found is None:
                found = parent.nex_index[node[1]] = self._new(node[1], "nex")
                parent.nexts.append(found)
            return found
        if tag == "eq":
            field, op, value = node[1], "eq", node[2]
        elif tag == "cmp":
            field, op, value = node[2], node[1], node[3]
        else:  # "ex": the engine parses the literal 1 as its value
            field, op, value = node[1], "ex", 1
        key = (field, op, type(value).__name__, value)
        found = parent.hashed.get(key)
        if found is None:
            found = parent.hashed[key] = self._new(field, op, op == "eq")
            parent.hashed_links += 1
        return found

    def violation(self) -> str | None:
        """The first engine limit this network exceeds (with margin), or None."""
        for n in self.nodes:
            if n.hashed_links > HASHED_CHILDREN_BUDGET:
                return f"同一条件节点下有 {n.hashed_links} 个分支（安全上限 {HASHED_CHILDREN_BUDGET}）"
            if len(n.nexts) > NEXT_LIST_BUDGET:
                return f"同一条件节点下有 {len(n.nexts)} 个 $nex/$or 分支（安全上限 {NEXT_LIST_BUDGET}）"
            if n.beta > BETA_LIST_BUDGET:
                return f"有 {n.beta} 条规则的条件完全相同（安全上限 {BETA_LIST_BUDGET}）"
        peak = self.stack_peak()
        if peak > STACK_BUDGET:
            return f"一个事实可能同时满足同一节点下的 {peak} 个条件（安全上限 {STACK_BUDGET}）"
        return None

    def _can_be_true(self, n: _ANode) -> bool:
        if n.field is None:
            return True  # forward node: always pushed
        if n.op == "nex":
            return n.field in self.absent
        return n.field in self.present

    def stack_peak(self) -> int:
        """Upper bound of the engine's match stack (handleAlpha) over the facts of this call.

        When a node is popped, all its true children are pushed, then processed one by one, so
        peak(n) = W(n) - 1 + max(1, max peak(child)) where W(n) counts the children that can be true
        at once: every live $nex/forward entry, every non-equality child and one equality child per
        field.  Verified against the engine: 64 true siblings pass, 65 give error 303.
        """
        memo: dict[int, int] = {}
        stack: list[tuple[_ANode, bool]] = [(self.root, False)]
        while stack:  # iterative post-order: conditions may be long chains
            n, expanded = stack.pop()
            if id(n) in memo:
                continue
            nexts = [c for c in n.nexts if self._can_be_true(c)]
            hashed = [c for c in n.hashed.values() if self._can_be_true(c)]
            children = nexts + hashed
            if not expanded:
                stack.append((n, True))
                stack.extend((c, False) for c in children if id(c) not in memo)
                continue
            eq_fields = {c.field for c in hashed if c.is_eq}
            width = len(nexts) + sum(1 for c in hashed if not c.is_eq) + len(eq_fields)
            deepest = max((memo[id(c)] for c in children), default=0)
            memo[id(n)] = width - 1 + max(1, deepest) if width else 0
        return memo[id(self.root)]


def _group_rules(rules: list[_Rule], present: frozenset[str], absent: frozenset[str]) -> list[list[_Rule]]:
    """L6: split the rules (in order) into groups that each fit in one ruleset; every group also holds
    the catch-all rule.  Feasibility is monotone in the set of rules, so a binary search finds the
    longest feasible prefix."""
    seen: Node = ("ex", _ANCHOR)

    def fits(group: Sequence[_Rule]) -> str | None:
        model = _AlphaModel(present, absent)
        model.add(seen)
        for rule in group:
            model.add(rule.node)
        return model.violation()

    if fits(rules) is None:
        return [rules]
    groups: list[list[_Rule]] = []
    start = 0
    while start < len(rules):
        problem = fits(rules[start : start + 1])
        if problem is not None:
            raise _err(f"规则“{rules[start].name}”超出规则引擎的能力：{problem}；请拆分或简化该规则。")
        low, high = start + 1, len(rules)  # rules[start:low] fits
        while low < high:
            middle = (low + high + 1) // 2
            if fits(rules[start:middle]) is None:
                low = middle
            else:
                high = middle - 1
        groups.append(rules[start:low])
        start = low
    log.info("rules split into %d groups to stay within the engine's limits", len(groups))
    return groups


# --------------------------------------------------------------------------------------------------
# Engine side: quiet host, JSON rulesets, sessions, drain, audit, cleanup
# --------------------------------------------------------------------------------------------------


class _QuietHost(engine.Host):
    """G2: a Host without timer threads; actions are looked up in the call's own table."""

    def __init__(self, actions: Callable[[str], Callable[[Any], None]]) -> None:
        self._make_action = actions
        super().__init__()

    def _run(self) -> None:  # the stock Host starts two never-ending timer threads here
        return None

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return self._make_action(action_name)

    def load_ruleset(self, ruleset_name: str) -> Any:
        raise _err(f"内部错误：规则集“{ruleset_name}”不存在。")

    def add_json_ruleset(self, name: str, definition: str, rule_names: Sequence[str]) -> _JsonRuleset:
        ruleset = _JsonRuleset(name, self, definition, rule_names)
        self._ruleset_directory[name] = ruleset
        self._ruleset_list.append(ruleset)
        return ruleset

    def remove_ruleset(self, ruleset: _JsonRuleset) -> None:
        self._ruleset_directory.pop(ruleset._name, None)
        if ruleset in self._ruleset_list:
            self._ruleset_list.remove(ruleset)


class _JsonRuleset(engine.Ruleset):
    """G4: a durable Ruleset created from JSON text written by this module (not by json.dumps)."""

    def __init__(self, name: str, host: _QuietHost, definition: str, rule_names: Sequence[str]) -> None:
        self._name = name
        self._host = host
        self._actions = {rule: engine.Promise(host.get_action(rule)) for rule in rule_names}
        self._definition = definition
        self._handle = durable_rules_engine.create_ruleset(name, definition)


def _ruleset_json(group: Sequence[_Rule]) -> str:
    members = [f'"{_SEEN}": {{"all": [{{"m": {{"$ex": {{"{_ANCHOR}": 1}}}}}}], "cap": {_ACTION_CAP}}}']
    for rule in group:
        members.append(f'"{rule.internal}": {{"all": [{{"m": {rule.json}}}], "cap": {_ACTION_CAP}}}')
    return "{" + ", ".join(members) + "}"


def _record_match(records: list[tuple[str, str, int]], sid: str, rule: str, fact_id: int) -> None:
    """The action body: store one match in the call's own list."""
    records.append((sid, rule, fact_id))


def _engine_error(action: str, error: BaseException) -> DurableEngineError:
    text = str(error)
    found = re.search(r"error code:? (\d+)", text)
    detail = _ERROR_CODES.get(int(found.group(1)), "") if found else ""
    return _err(f"{action}时规则引擎报错（{text}{'：' + detail if detail else ''}）；请把规则和数据交给开发人员排查。")


@dataclass
class _Session:
    sid: str
    facts: list[_Fact]  # facts asserted successfully in this session
    failed: bool = False  # the whole session must be redone
    deferred: list[_Fact] | None = None  # facts refused as duplicates (single mode)


class _Call:
    """Everything one call to ``match`` owns; ``close`` releases all of it."""

    def __init__(self, groups: list[list[_Rule]]) -> None:
        self.groups = groups
        self.call_id = uuid.uuid4().hex[:16]
        self.records: list[tuple[str, str, int]] = []
        self.action_errors: list[BaseException] = []
        self.host = _QuietHost(self._action_for)
        self.live: list[tuple[_JsonRuleset, list[str]]] = []
        self.ruleset_count = 0
        self.session_count = 0
        self.collisions = 0
        self.acted: set[str] = set()  # sessions in which an action was started (see _close)

    # ---- actions --------------------------------------------------------------------------------

    def _action_for(self, rule: str) -> Callable[[Any], None]:
        records = self.records
        errors = self.action_errors

        acted = self.acted

        def action(c: Any) -> None:
            try:
                sid = c.s._d["sid"]
                acted.add(sid)
                messages = c.m if isinstance(c.m, list) else [c.m]
                for message in messages:
                    _record_match(records, sid, rule, message._d[_ANCHOR])
            except BaseException as error:  # G8: keep it, the library will swallow it
                errors.append(error)
                raise

        return action

    def _raise_action_errors(self) -> None:
        if self.action_errors:
            first = self.action_errors[0]
            if isinstance(first, (KeyboardInterrupt, SystemExit)):
                raise first
            raise _err(f"规则动作执行出错（{type(first).__name__}: {first}）；结果不完整，已停止评估。") from first

    def _check_completion(self, done: list[tuple[Any, Any]], where: str) -> Any:
        if not done:
            raise _err(f"{where}：规则动作未完成（引擎会放弃执行超过 10 秒的动作）；结果不完整，已停止评估。")
        error, state = done[-1]
        self._raise_action_errors()
        if error:
            raise _err(f"{where}：规则动作执行出错（{error}）；结果不完整，已停止评估。")
        if isinstance(state, dict) and state.get("exception"):
            raise _err(f"{where}：规则动作执行出错（{state['exception']}）；结果不完整，已停止评估。")
        return state

    def _drain_state(self, ruleset: _JsonRuleset, state_offset: int) -> None:
        """G2: run every pending action of one session, synchronously."""
        for _ in range(1_000_000):
            done: list[tuple[Any, Any]] = []
            ruleset.do_actions(state_offset, lambda e, s, done=done: done.append((e, s)))
            state = self._check_completion(done, "执行规则动作")
            if state is None:  # no action was available
                return
        raise _err("规则动作无法执行完毕；已停止评估。")

    def _drain_all(self, ruleset: _JsonRuleset) -> None:
        """G2: run every pending action of the ruleset (only before any of its states is deleted)."""
        for _ in range(1_000_000):
            result = durable_rules_engine.start_action(ruleset._handle)
            if not result:
                return
            done: list[tuple[Any, Any]] = []
            ruleset._flush_actions(
                json.loads(result[0]), {"message": json.loads(result[1])}, result[2],
                lambda e, s, done=done: done.append((e, s)),
            )
            self._check_completion(done, "执行规则动作")
        raise _err("规则动作无法执行完毕；已停止评估。")

    # ---- rulesets and sessions ------------------------------------------------------------------

    def _open(self, group_index: int) -> tuple[_JsonRuleset, list[str], set[int]]:
        self.ruleset_count += 1
        name = f"assess_{self.call_id}_g{group_index}_{self.ruleset_count}"
        group = self.groups[group_index]
        try:
            ruleset = self.host.add_json_ruleset(
                name, _ruleset_json(group), [_SEEN, *(rule.internal for rule in group)]
            )
        except durable_rules_engine.error as error:
            raise _engine_error("创建规则集", error) from error
        sids: list[str] = []
        self.live.append((ruleset, sids))
        return ruleset, sids, set()

    def _new_sid(self, sids: list[str], hashes: set[int]) -> str:
        while True:  # G10: no two session ids of a ruleset may share a hash
            self.session_count += 1  # unique in the call: a retry never reuses a session id
            sid = f"s{self.session_count - 1}"
            sids.append(sid)
            h = _fnv1a32(sid)
            if h not in hashes:
                hashes.add(h)
                return sid

    def _close(self, ruleset: _JsonRuleset, sids: list[str]) -> None:
        """G3: delete every session state, then the ruleset (never raises)."""
        handle = ruleset._handle
        for sid in sids:
            if sid not in self.acted:
                # [S][X] a state in which no action was ever started has an uninitialised action
                # context that delete_state frees: a segfault.  Only an engine error leaves such a
                # state (every fact matches `_seen`); leaking it is the lesser evil.
                log.warning("session %s of %s left undeleted (no action ever ran in it)", sid, ruleset._name)
                continue
            try:
                durable_rules_engine.delete_state(handle, sid)
            except Exception:
                log.exception("could not delete session %s of %s", sid, ruleset._name)
        try:
            durable_rules_engine.delete_ruleset(handle)
        except Exception:
            log.exception("could not delete ruleset %s", ruleset._name)
        self.host.remove_ruleset(ruleset)
        self.live = [item for item in self.live if item[0] is not ruleset]

    def close(self) -> None:
        for ruleset, sids in list(self.live):
            self._close(ruleset, sids)

    def _assert(self, ruleset: _JsonRuleset, session: _Session, single: bool) -> None:
        handle = ruleset._handle
        if not single:
            head = '{"sid": "' + session.sid + '", '
            text = "[" + ", ".join(head + fact.body + "}" for fact in session.facts) + "]"
            try:
                offset = ruleset._handle_result(durable_rules_engine.assert_facts(handle, text), text)
            except (engine.MessageObservedException, engine.MessageNotHandledException):
                session.failed = True  # G9/G7: redo this session's facts one by one
                self.collisions += 1
                return
            except durable_rules_engine.error as error:
                raise _engine_error("提交事实", error) from error
            self._drain_state(ruleset, offset)
            return
        kept: list[_Fact] = []
        deferred: list[_Fact] = []
        for fact in session.facts:
            text = '{"sid": "' + session.sid + '", ' + fact.body + "}"
            try:
                offset = ruleset._handle_result(durable_rules_engine.assert_fact(handle, text), text)
            except engine.MessageObservedException:  # G9: collides with a fact of this session
                self.collisions += 1
                deferred.append(fact)
                continue
            except engine.MessageNotHandledException:
                deferred.append(fact)
                continue
            except durable_rules_engine.error as error:
                raise _engine_error("提交事实", error) from error
            kept.append(fact)
            self._drain_state(ruleset, offset)
        session.facts = kept
        session.deferred = deferred

    def _audit(self, ruleset: _JsonRuleset, sessions: list[_Session], start: int) -> tuple[set[tuple[str, int]],
                                                                                            list[_Fact]]:
        """G7/G8: keep the matches of the sessions whose facts were each seen exactly once."""
        by_sid: dict[str, list[tuple[str, int]]] = {}
        for sid, rule, fact_id in self.records[start:]:
            by_sid.setdefault(sid, []).append((rule, fact_id))
        del self.records[start:]
        matched: set[tuple[str, int]] = set()
        redo: list[_Fact] = []
        for session in sessions:
            try:
                state = json.loads(durable_rules_engine.get_state(ruleset._handle, session.sid))
            except Exception:
                state = {}
            if isinstance(state, dict) and state.get("exception"):
                raise _err(f"规则动作执行出错（{state['exception']}）；结果不完整，已停止评估。")
            redo.extend(session.deferred or ())
            found = by_sid.pop(session.sid, [])
            expected = {fact.fact_id for fact in session.facts}
            seen = Counter(fact_id for rule, fact_id in found if rule == _SEEN)
            intact = (
                not session.failed
                and seen == Counter(expected)
                and all(fact_id in expected for _, fact_id in found)
            )
            if intact:
                matched.update((rule, fact_id) for rule, fact_id in found if rule != _SEEN)
            else:
                log.warning(
                    "session %s: %d facts asserted, %d seen; asserting them again one by one",
                    session.sid, len(expected), sum(seen.values()),
                )
                redo.extend(session.facts)
        if by_sid:  # matches of a session nobody opened: the engine mixed sessions up
            raise _err("规则引擎返回了未知会话的结果；结果不可靠，已停止评估。")
        return matched, redo

    def run_group(self, group_index: int, units: dict[str, list[_Fact]]) -> set[tuple[str, int]]:
        matched: set[tuple[str, int]] = set()
        batches: list[list[_Fact]] = []
        for unit_facts in units.values():  # G9: sub-sessions of at most MAX_FACTS_PER_SESSION facts
            for k in range(0, len(unit_facts), MAX_FACTS_PER_SESSION):
                batches.append(unit_facts[k : k + MAX_FACTS_PER_SESSION])
        single = False
        for round_index in range(MAX_RETRY_ROUNDS + 1):
            if not batches:
                return matched
            redo: list[_Fact] = []
            position = 0
            while position < len(batches):
                ruleset, sids, hashes = self._open(group_index)
                sessions: list[_Session] = []
                held = 0
                start = len(self.records)
                while position < len(batches) and len(sids) < MAX_SESSIONS_PER_RULESET - 1:
                    batch = batches[position]
                    if sessions and held + len(batch) > MAX_FACTS_PER_RULESET:
                        break
                    session = _Session(self._new_sid(sids, hashes), list(batch))
                    sessions.append(session)
                    self._assert(ruleset, session, single)
                    held += len(batch)
                    position += 1
                self._drain_all(ruleset)
                self._raise_action_errors()
                found, failed = self._audit(ruleset, sessions, start)
                matched |= found
                redo.extend(failed)
                self._close(ruleset, sids)
            # G9: the facts of failed sessions, one by one, in fresh sessions (a fact that collides
            # again is deferred to the next round, hence to another fresh session)
            single = True
            batches = [redo[k : k + MAX_FACTS_PER_SESSION] for k in range(0, len(redo), MAX_FACTS_PER_SESSION)]
            if redo:
                log.warning("round %d: %d facts to assert again", round_index + 1, len(redo))
        if not batches:
            return matched
        lost = ", ".join(str(f.fact_id) for batch in batches for f in batch[:5])
        raise _err(f"多次重试后仍有事实未被规则引擎完整处理（事实编号 {lost} 等）；结果不可靠，已停止评估。")


def match(rules: list[CompiledRule], facts: list[Fact]) -> set[tuple[str, int]]:
    """Assert every fact in its session(s) and return every (rule name, fact_id) pair that
    matched. Raises DurableEngineError on any unsafe condition."""
    prepared = _prepare_rules(rules)
    kinds, order_str = _rule_field_kinds(prepared)
    nex_fields = {n[1] for rule in prepared for n in _walk(rule.node) if n[0] == "nex"}
    units, present, absent = _prepare_facts(facts, kinds, order_str, nex_fields)
    _check_hash_collisions(prepared, present)
    if not prepared or not units:
        return set()
    groups = _group_rules(prepared, present, absent)
    names = {rule.internal: rule.name for rule in prepared}
    found: set[tuple[str, int]] = set()
    with _ENGINE_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # G12
        call = _Call(groups)
        try:
            for group_index in range(len(groups)):
                found |= call.run_group(group_index, units)
        finally:
            call.close()
    return {(names[rule], fact_id) for rule, fact_id in found}

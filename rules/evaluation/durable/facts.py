"""Facts: validation, encoding to the engine's JSON, grouping by session key (docs/durable-guard.md L1, L3, L4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rules.evaluation.durable.api import _PREFIX, DurableEngineError, Fact, _err
from rules.evaluation.durable.conditions import _Rule, _walk
from rules.evaluation.durable.encoding import (
    _ENCODE,
    _UNSAFE_ORDER_FACT_STRING,
    _canonical_value,
    _check_field_name,
    _fnv1a32,
    _kind,
    _value_json,
)
from rules.evaluation.durable.limits import _ANCHOR, _INTERNAL_NAMES, _SHORT, MAX_FACT_FIELDS, MAX_INT


@dataclass
class _Fact:
    fact_id: int
    body: str  # JSON members after "sid": '"_fid": 1, "f": 2'


_MUST_NUM, _MUST_STR, _ORDERED = 1, 2, 4  # checks a fact value of a field needs (see _prepare_facts)


def _prepare_facts(
    facts: Sequence[Fact], kinds: dict[str, str], order_str: dict[str, list[str]], nex_fields: set[str],
    refused: dict[int, DurableEngineError] | None = None,
) -> tuple[dict[str, list[_Fact]], frozenset[str], frozenset[str]]:
    """Validate facts and group them by unit (in order of first appearance).

    A fact whose values the engine cannot hold raises, or, when ``refused`` is given, is left out and its error
    (naming the fact and the field) recorded there.  Also returns, for the stack bound of the alpha model, the
    fields present in some fact and the ``$nex`` fields absent from some fact."""
    if not isinstance(facts, (list, tuple)):
        raise _err(f"事实列表类型错误（{type(facts).__name__}）；请传入 Fact 列表。")
    units: dict[str, list[_Fact]] = {}
    ids: set[int] = set()
    spec: dict[str, int] = {}  # validated field name -> checks its values need (all fields present somewhere)
    absent: set[str] = set()
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
        try:
            body = _fact_body(fact_id, session, fields, kinds, order_str, spec)
        except DurableEngineError as error:
            if refused is None:
                raise
            error.fact_id = fact_id
            refused[fact_id] = error
            continue
        for name in nex_fields:
            if name not in fields:
                absent.add(name)
        unit = units.get(session)
        if unit is None:
            unit = units[session] = []
        unit.append(_Fact(fact_id, body))
    return units, frozenset(spec) | {_ANCHOR}, frozenset(absent)


def _fact_body(fact_id: int, session: str, fields: dict, kinds: dict[str, str], order_str: dict[str, list[str]],
               spec: dict[str, int]) -> str:
    """The JSON members of one fact after "sid" (L1, L3, L4); raises for a value the engine cannot hold, with
    the field named in the error (``field``, and ``reason`` without the fact's internal names)."""
    encode = _ENCODE
    if len(fields) > MAX_FACT_FIELDS:
        reason = f"有 {len(fields)} 个字段，超过引擎上限 {MAX_FACT_FIELDS}；请拆分为多个事实。"
        raise _err(f"事实 {fact_id}（单位“{session}”）{reason}", reason)
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
            reason = "的文本含有无效字符（孤立代理项）；请检查数据编码。"
            bad = next((n for n, v in fields.items() if isinstance(v, str) and not _is_utf8(v)), None)
            raise _err(f"事实 {fact_id}（单位“{session}”）{reason}", reason, field=bad) from None
    return body


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_fact_value(
    fact_id: int, session: str, name: str, raw: object, want: str | None, order_str: dict[str, list[str]]
) -> None:
    """L3/L4 for one fact value; raises on anything unsafe (naming the field)."""

    def where() -> str:
        return f"事实 {fact_id}（单位“{session}”）中字段“{name}”"

    try:
        _check_value_kind(where, name, raw, want, order_str)
    except DurableEngineError as error:
        error.field = name
        if error.reason == str(error).removeprefix(_PREFIX):  # no reason of its own: drop the internal names
            error.reason = str(error).removeprefix(_PREFIX + where())
        raise


def _check_value_kind(
    where: Callable[[], str], name: str, raw: object, want: str | None, order_str: dict[str, list[str]]
) -> None:
    value = _canonical_value(raw, where)
    if want is not None and want != _kind(value):
        raise _err(
            f"{where()}的值 {value!r} 是{'文本' if want == 'num' else '数值'}，但规则把它与"
            f"{'数值' if want == 'num' else '文本'}比较；请先转换类型（引擎会按文本比较，结果不可靠）。"
        )
    if name in order_str and isinstance(value, str) and _UNSAFE_ORDER_FACT_STRING.search(value):
        reason = "的文本含有引号、反斜杠或控制字符，而条件对它做大小比较，引擎的比较结果会出错；请清理数据。"
        raise _err(
            f"{where()}的文本含有引号、反斜杠或控制字符，而规则“{order_str[name][0]}”对它做大小比较，"
            "引擎的比较结果会出错；请清理数据。", reason
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

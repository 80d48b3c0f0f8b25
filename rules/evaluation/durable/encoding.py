"""Values, field names and JSON text as the engine reads them (docs/durable-guard.md G4, L3, L4).

The engine's JSON reader and its property hashes differ from Python's: numbers are written here (never by
``json.dumps``), values are reduced to int, float or str, and names are checked before anything is sent.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable

from rules.evaluation.durable.api import _err
from rules.evaluation.durable.limits import _RESERVED_NAMES, MAX_INT, MAX_NAME_LENGTH, MAX_STRING_BYTES

_BAD_NAME_CHARS = re.compile(r'[\x00-\x1f"\\]')
_UNSAFE_ORDER_RULE_STRING = re.compile(r'[\x00-\x22\\]')
_UNSAFE_ORDER_FACT_STRING = re.compile(r'[\x00-\x1f"\\]')


# Hashes used by the engine (state.c fnv1Hash32 over a signed char)

def _fnv1a32(text: str) -> int:
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        if byte >= 0x80:  # `char` is signed on x86-64: the byte is sign-extended before the xor
            byte |= 0xFFFFFF00
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


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
            raise _err(f"{where()}的整数 {_show_int(number)} 超出规则引擎可精确比较的范围（±2^53）；请缩小数值。")
        return number
    if isinstance(value, float):
        real = float(value)
        if not math.isfinite(real):
            if math.isnan(real):
                raise _err(f"{where()}的值不是数（NaN）；请先处理缺失或异常数据。")
            raise _err(f"{where()}的值{'很大' if real > 0 else '很小'}，超出规则引擎可比较的范围（不是有限数）；请核对数据。")
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


def _show_int(number: int) -> str:
    """An integer for a message: in full when short, else its order of magnitude (a number of thousands of
    digits cannot even be converted to text)."""
    if number.bit_length() <= 200:
        return str(number)
    return f"{'-' if number < 0 else ''}约 10^{int(number.bit_length() * math.log10(2))}"


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

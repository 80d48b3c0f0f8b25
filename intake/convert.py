"""Convert raw cells (text from CSV, or Excel's own values) to declared types, column at a time.

A whole column is converted in one pass and every bad cell is returned, so a workbook with twenty
mistakes is sent back once, not twenty times. Messages are Chinese and say what to write instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

NA_WORDS = {"不涉及"}
TRUE_WORDS = {"true", "是", "yes", "y", "1", "√", "✓", "有"}
FALSE_WORDS = {"false", "否", "no", "n", "0", "×", "✗", "无"}
_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
TYPE_WORDS = {"int": "整数", "number": "数值", "percent": "百分数", "bool": "是/否", "date": "日期", "str": "文本"}


class NA:
    """The 不涉及 marker (not applicable)."""

    def __repr__(self) -> str:
        return "不涉及"


NOT_APPLICABLE = NA()


@dataclass
class CellError:
    pos: int          # position in the column
    value: Any        # the raw cell
    message: str      # Chinese: what is wrong and what to do


def is_blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and v.strip() == ""


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


# Numbers are read exactly or refused, never guessed: "1,5" may be 1.5 (a decimal comma) or 15, so it is
# refused; "1,234" with correct three-digit groups is unambiguous and read as 1234. Underscores (which
# Python's Decimal would accept: "3_8" → 38), exponents and full-width commas are refused too.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")
_GROUPED_NUMBER = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?\Z")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")   # unambiguous: read as ASCII
# Counts and amounts beyond this are typing slips or attacks (Excel itself keeps 15 significant digits).
MAX_MAGNITUDE = Decimal(10) ** 15


class BadCell:
    """A workbook cell that holds no usable value although it looks filled: a cached error (#DIV/0!) or a
    formula saved without its result. The reader puts it in the grid; converting it fails with `message`."""

    __slots__ = ("message", "shown")

    def __init__(self, shown: str, message: str):
        self.shown = shown
        self.message = message

    def __str__(self) -> str:
        return self.shown

    def __repr__(self) -> str:
        return f"BadCell({self.shown!r})"


def _number_hint(text: str) -> str:
    """Why a text is not a number we read, and what to write instead ('' when nothing specific)."""
    if "，" in text:
        return "：数字中不能有全角逗号“，”，请删去（小数点用“.”）"
    if "," in text:
        return "：逗号含义不明（小数点还是千位分隔？），小数点请用“.”（如 1.5），千位分隔须三位一组（如 1,234）或不写"
    if "_" in text:
        return "：数字中不能有“_”，请删去"
    if re.fullmatch(r"[+-]?[0-9.]+[eE][+-]?[0-9]+", text):
        return "：请写成普通数字，不用科学计数法"
    return ""


def _decimal(v: Any) -> Decimal:
    if isinstance(v, bool):
        raise ValueError("")
    if isinstance(v, BadCell):
        raise ValueError(v.message)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("")
        d = Decimal(repr(v))  # Excel's 0.1 is the double nearest 0.1: keep its shortest repr
    elif isinstance(v, (int, Decimal)):
        d = Decimal(v)
    else:
        text = _text(v).translate(_FULL_WIDTH)
        if _PLAIN_NUMBER.match(text):
            d = Decimal(text)
        elif _GROUPED_NUMBER.match(text):
            d = Decimal(text.replace(",", ""))
        else:
            raise ValueError(_number_hint(text))
    if not d.is_finite():
        raise ValueError("")
    if abs(d) >= MAX_MAGNITUDE:
        raise ValueError(f"：数值过大（绝对值应小于 {MAX_MAGNITUDE:,.0f}），请核对")
    return d


SHOWN_CHARS = 40   # a cell's text shown in a message is cut here: a huge cell must not flood the output


def shown(v: Any, limit: int = SHOWN_CHARS) -> str:
    """A cell as shown in a message: its text, cut to `limit` characters (saying how long it was)."""
    text = _text(v)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共{len(text)}个字符）"


def _date_serial(v: Any) -> str:
    """A hint when a number looks like an Excel date serial typed into a cell not formatted as a date."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 1 <= v < 2958466 and float(v).is_integer():
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(v))
        return f"（{int(v)} 像是 Excel 的日期序号，即 {day.isoformat()}：请把单元格设为日期格式后重新填写，或写成 {day.isoformat()}）"
    return ""


def convert_one(v: Any, typ: str) -> Any:
    """Convert one non-blank cell; raises ValueError with a Chinese message."""
    if isinstance(v, BadCell):
        raise ValueError(v.message)
    if typ == "str":
        return _text(v)
    if typ == "int":
        try:
            d = _decimal(v)
        except (ValueError, InvalidOperation) as e:
            raise ValueError(f"应为整数，实际为“{shown(v)}”{e}") from None
        if d != d.to_integral_value():
            raise ValueError(f"应为整数，实际为“{shown(v)}”")
        return int(d)
    if typ == "number":
        try:
            return _decimal(v)
        except (ValueError, InvalidOperation) as e:
            raise ValueError(f"应为数值，实际为“{shown(v)}”{e}") from None
    if typ == "percent":
        text = _text(v)
        try:
            if text.endswith(("%", "％")):
                return _decimal(text[:-1]) / 100
            d = _decimal(v)
        except (ValueError, InvalidOperation) as e:
            raise ValueError(f"应为百分数（如 87% 或 0.87），实际为“{shown(v)}”{e}") from None
        if d > 1:
            raise ValueError(f"“{shown(v)}”含义不明：百分数请写成 {shown(v)}% 或 {d / 100}")
        return d
    if typ == "bool":
        if isinstance(v, bool):
            return v
        text = _text(v).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(f"应为是/否（是、否、true、false），实际为“{shown(v)}”")
    if typ == "date":
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        text = _text(v)
        m = _DATE_RE.match(text) or _DATE_RE.match(text.split(" ")[0])
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                pass
        raise ValueError(f"应为日期（如 2020-12-31），实际为“{shown(v)}”{_date_serial(v)}")
    raise ValueError(f"未知类型 {typ}")  # pragma: no cover


def convert_column(raw: list[Any] | np.ndarray, typ: str, *, optional: bool, default: Any = None,
                   lo: Decimal | None = None, hi: Decimal | None = None, allowed: list[str] | None = None,
                   allow_na: bool = False, required_message: str = "必填，不能为空",
                   ) -> tuple[np.ndarray, np.ndarray, list[CellError]]:
    """(values, na_mask, errors) for a raw column. Blank → default, or None if optional, else an error."""
    c = convert_cells(raw, typ, optional=optional, default=default, lo=lo, hi=hi, allowed=allowed, allow_na=allow_na,
                      required_message=required_message)
    return c.values, c.na, c.errors


@dataclass
class Converted:
    values: np.ndarray        # typed values (object array; None for a blank or a bad cell)
    na: np.ndarray            # where the cell says 不涉及
    errors: list[CellError]
    distinct: bool            # known to hold no two equal values (none None): a key column has no duplicates


def convert_cells(raw: list[Any] | np.ndarray, typ: str, *, optional: bool, default: Any = None,
                  lo: Decimal | None = None, hi: Decimal | None = None, allowed: list[str] | None = None,
                  allow_na: bool = False, required_message: str = "必填，不能为空", distinct_check: bool = False,
                  ) -> Converted:
    """`convert_column`, and whether the values are known to be distinct (always found out with
    `distinct_check`, e.g. for a key column; otherwise only when it costs nothing).

    Each distinct cell is converted once and its result shared by every cell equal to it (same type and
    value): a ledger column of a million rows holds a few hundred dates or categories. Equal cells give
    equal results, so sharing changes nothing but time and memory."""
    cells = raw if isinstance(raw, np.ndarray) and raw.dtype == object else _objects(raw)
    n = len(cells)
    default_value = None
    if default is not None:
        try:
            default_value = convert_one(default, typ)
        except ValueError:
            default_value = None
    allowed_set = set(allowed) if allowed else None
    bounded = typ in ("int", "number", "percent")

    def cell(v: Any) -> tuple[Any, bool, str | None]:
        """(value, 不涉及, error message) of one cell."""
        if is_blank(v):
            if default_value is not None:
                return default_value, False, None
            return None, False, None if optional else required_message
        if isinstance(v, str) and v.strip() in NA_WORDS:
            return None, allow_na, None if allow_na else "此处不能填“不涉及”"
        try:
            value = convert_one(v, typ)
        except ValueError as e:
            return None, False, str(e)
        if lo is not None and bounded and value < lo:
            return value, False, f"不能小于{_show(lo, typ)}，实际为{_show(value, typ)}"
        if hi is not None and bounded and value > hi:
            return value, False, f"不能大于{_show(hi, typ)}，实际为{_show(value, typ)}"
        if allowed_set is not None and value not in allowed_set:
            from common.problems import did_you_mean

            return value, False, (f"“{value}”不是允许的取值{did_you_mean(str(value), allowed or [])}；"
                                  f"可选：{'、'.join(allowed or [])}")
        return value, False, None

    distinct = False
    text = n > _FEW and pd.api.types.infer_dtype(cells, skipna=False) == "string"
    if text and typ == "str" and _mostly_distinct(cells):
        # ids: finding equal cells (a hash table of millions of strings) would cost more than converting them
        # one by one; what `cell` gives a plain text, inline, and `cell` itself for the others
        values = np.empty(n, dtype=object)
        values[:] = stripped = [v.strip() for v in cells]
        na = np.zeros(n, dtype=bool)
        errors: list[CellError] = []
        slow = [i for i, t in enumerate(stripped) if not t or t in NA_WORDS or (allowed_set is not None and t not in allowed_set)]
        for i in slow:
            value, na[i], message = cell(cells[i])
            values[i] = value
            if message is not None:
                errors.append(CellError(i, cells[i], message))
        if distinct_check and not slow:
            distinct = len(set(stripped)) == n
        return Converted(values, na, errors, distinct)
    if n <= _FEW:  # a workbook's few rows: finding equal cells would cost more than it saves
        codes = np.arange(n)
        results = [cell(v) for v in cells]
    elif text:
        # text cells (every CSV cell): distinct values found in C, each converted once
        codes, uniques = pd.factorize(cells)
        if typ == "str":  # the common case, unique ids among them: what `cell` gives a plain text, inline
            results = [(t, False, None) if t and t not in NA_WORDS and (allowed_set is None or t in allowed_set)
                       else cell(v) for v, t in zip(uniques, [v.strip() for v in uniques], strict=True)]
            # distinct cells, each its own value (nothing stripped): distinct values
            distinct = len(uniques) == n and all(r[0] is v for v, r in zip(uniques, results, strict=True))
        else:
            results = [cell(v) for v in uniques]
    else:
        # mixed cells (workbooks: numbers, dates, text, blanks): keyed by type and value, so that 1, 1.0
        # and True (equal in Python) stay apart; floats by repr (0.0 and -0.0 are equal)
        index: dict[Any, int] = {}
        results = []
        codes = np.empty(n, dtype=np.intp)
        for i, v in enumerate(cells):
            kind = type(v)
            key: Any = (kind, repr(v)) if kind is float or kind is Decimal else (kind, v)
            try:
                k = index.get(key)
            except TypeError:  # an unhashable cell: converted on its own
                k = None
                key = None
            if k is None:
                k = len(results)
                results.append(cell(v))
                if key is not None:
                    index[key] = k
            codes[i] = k
    values = np.empty(len(results), dtype=object)
    values[:] = [r[0] for r in results]
    out = values[codes]
    na = np.array([r[1] for r in results], dtype=bool)[codes]
    failed = np.array([r[2] is not None for r in results], dtype=bool)
    errors = [CellError(int(i), cells[i], str(results[codes[i]][2])) for i in np.flatnonzero(failed[codes])]
    return Converted(out, na, errors, distinct)


_FEW = 16


def _mostly_distinct(cells: np.ndarray, sample: int = 20_000) -> bool:
    """Whether most of a column's first cells differ (an id column)."""
    head = cells[:sample]
    return len(head) >= 1000 and len(pd.unique(head)) > len(head) // 2


def _objects(raw: Any) -> np.ndarray:
    return np.fromiter(raw, dtype=object, count=len(raw))


def _show(v: Any, typ: str) -> str:
    if typ == "percent" and isinstance(v, Decimal):
        return f"{(v * 100).normalize():f}%"
    return f"{v.normalize():f}" if isinstance(v, Decimal) else str(v)

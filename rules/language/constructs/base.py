"""基本取值：数值、文本、表达式、编号在考核细则中怎样写。

- **数值**（分值、扣分、上下限……）写阿拉伯数字：`2`、`0.5`、`-1`，比例可写 `30%`。只认半角数字；
  `1_00`、`1,000`、全角数字“１００”和 `1e309` 这类写法一律报错，不会被猜成某个数——细则里的每个数都应
  与纸面上的一字不差。数值的绝对值须小于 10¹²，小数不超过 12 位。
- **文本**（名称、条款号、说明）照写即可；`clause: 1.10` 读作文本“1.10”，不会变成 1.1。
- **表达式**（`when`、`per`、`expr`……）见第二部分 2.17。
- **编号**（分类、考核项目、否决项、加分项、扣分项的 `id`）不能为空，不能含空格或英文句点“.”
  （句点用来分隔编号与规则序号，如 `A1.rules[0]`）。
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

MAX_MAGNITUDE = Decimal(10) ** 12   # no score, count or bound in a scheme comes near a trillion
MAX_PLACES = 12                     # digits after the point
_NUMBER = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?", re.ASCII)
_FULL_WIDTH = re.compile("[０-９．－＋％]")
_BAD_ID = re.compile(r"[\s.]")


def exact_number(value: Any) -> Decimal:
    """A number as written, exactly, or ValueError with the Chinese reason (pydantic reports it located)."""
    if isinstance(value, bool):
        raise ValueError("应为数值，实际为是/否值")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        number = _parse_text(value)
    else:
        return value  # the model's strict type check reports it ("应为数值，实际为列表")
    return in_range(number, value)


def _parse_text(value: str) -> Decimal:
    text = value.strip()
    if _FULL_WIDTH.search(text):
        raise ValueError(f"数值“{value}”含全角字符，请用半角数字和符号（如 100、0.5、30%）")
    if "_" in text or "," in text or "，" in text:
        raise ValueError(f"数值“{value}”含分隔符（_ 或 ,），请直接写出数字，如 1000")
    share = text.endswith("%")
    digits = text[:-1].strip() if share else text
    if not _NUMBER.fullmatch(digits):
        raise ValueError(f"应为数值，实际为“{value}”")
    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise ValueError(f"应为数值，实际为“{value}”") from None
    return number / 100 if share else number


def in_range(number: Decimal, written: Any) -> Decimal:
    if not number.is_finite() or abs(number) >= MAX_MAGNITUDE:
        raise ValueError(f"数值“{written}”超出合理范围（绝对值应小于 1000000000000）")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES and number != number.to_integral_value():
        raise ValueError(f"数值“{written}”小数位数过多（最多 {MAX_PLACES} 位）")
    return number


def _to_text(v: Any) -> Any:
    # `clause: 1.10` or `name: 2020` are text to the author; keep the digits as written.
    if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
        return str(v)
    return v


Num = Annotated[Decimal, BeforeValidator(exact_number)]
Text = Annotated[str, BeforeValidator(_to_text)]
def _to_expr(v: Any) -> Any:
    # `when: false` (a veto decided only in the periods, criteria/README.md 2.20) is the constant, not an error
    if isinstance(v, bool):
        return "true" if v else "false"
    return _to_text(v)


Expr = Annotated[str, BeforeValidator(_to_expr)]  # parsed later, with the file and line for errors


class Strict(BaseModel):
    """No silent coercion: `yes` is not a boolean, a number is not a list, an unknown key is an error (with
    "did you mean"), because a misspelt key silently ignored is a scoring rule silently ignored."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def id_problem(ident: str) -> str | None:
    """Why an id of a category, item, veto, bonus or penalty cannot be used (None when it can)."""
    if not ident.strip():
        return "编号不能为空"
    if _BAD_ID.search(ident):
        return f"编号“{ident}”不能含空格或英文句点“.”（句点用来分隔编号与规则序号）"
    return None

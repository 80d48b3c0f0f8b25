"""Typed values as an Excel cell holds them: numbers as numbers, dates as dates, 是/否, 不涉及; a number a
float cannot carry exactly is written as text, so that a workbook round trip loses nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from common import numbers
from intake.convert import NA
from intake.layout import NA_WORD


def _fits(float_value: float, d: Decimal) -> bool:
    return Decimal(repr(float_value)) == d


def excel_value(v: Any, typ: str) -> Any:
    """A typed value as an Excel cell holds it; text when Excel's double cannot hold it exactly."""
    if v is None:
        return None
    if isinstance(v, NA):
        return NA_WORD
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int):
        return v if abs(v) < 10**15 else str(v)
    if isinstance(v, Decimal):
        f = float(v)
        if _fits(f, v):
            return f
        return numbers.percent(v) if typ == "percent" else f"{v:f}"
    if isinstance(v, dt.datetime):
        return v.date()
    return v

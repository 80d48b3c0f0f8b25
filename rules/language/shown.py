"""A value as evidence shows it, knowing nothing of a scheme: 是/否, whole numbers without decimals, long ratios
marked as rounded, dates as written. `rules.language.text.show_value` adds what the scheme knows (percents);
constructs use this one, so that they need not import the text module, which knows the compiled Scheme."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np

from common import numbers


def show_plain(v: Any) -> Any:
    """A value for evidence: JSON-friendly and as the user wrote it (no percent: that needs the scheme)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, (bool, np.bool_)):
        return "是" if v else "否"
    if isinstance(v, Decimal):
        return numbers.readable(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return v

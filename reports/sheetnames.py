"""Sheet names Excel accepts, made from names a user typed (unit names): at most 31 characters, none of
[]:*?/\\ or an apostrophe at either end, not 'History' (Excel reserves it), unique in the workbook
regardless of case. A name is only a tab label, never a formula; the cells that show it use set_cell."""

from __future__ import annotations

import re

from common.formulas import xml_text

SHEET_CHARS = 31
_BAD = re.compile(r"[\[\]:*?/\\\s]+")
RESERVED = {"history"}


def sheet_name(text: str, used: set[str], fallback: str = "Sheet") -> str:
    """A safe, unused sheet name for `text`; adds it (lower-cased) to `used`."""
    base = _BAD.sub(" ", xml_text(text).replace("\ufffd", " ")).strip().strip("'").strip()
    base = base[:SHEET_CHARS].strip().strip("'") or fallback
    name, n = base, 1
    while name.lower() in used or name.lower() in RESERVED:
        n += 1
        tail = f"({n})"
        name = base[:SHEET_CHARS - len(tail)].rstrip().rstrip("'") + tail
    used.add(name.lower())
    return name

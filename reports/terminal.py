"""Text for a terminal that fits its width: tables whose long cells wrap, too-wide tables folded into column
groups (the key columns repeated), and long lines folded with a hanging indent.

Widths are display widths (wcwidth: a CJK character takes two columns). The width is $COLUMNS when set, else the
terminal's when the output is a terminal; written to a file or a pipe, nothing is folded, so that each line stays
whole for search tools and the files are the same whatever window they were made in. Only a command of the CLI
fits (within `fitted_to_terminal`): the same tables in a web page (`assess serve`, even started from a terminal)
are never folded to the server's window.
tabulate draws the tables (it was already used); `rich` would also fit tables, but would be a second table
library for the same job and its box characters are not all in GBK.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import tabulate as tab
from wcwidth import wcswidth

tab.WIDE_CHARS_MODE = True  # CJK characters are two columns wide in a terminal
GAP = 2  # tabulate's "simple" format puts two spaces between columns
MIN_WRAP = 8  # a wrapped column keeps at least this many columns (four Chinese characters)


_FIT_TO: ContextVar[int | None] = ContextVar("fit_to", default=None)  # None: no limit


@contextmanager
def fitted_to_terminal() -> Iterator[None]:
    """Within: tables and lines are fitted to the terminal's width (the CLI runs each command in it)."""
    token = _FIT_TO.set(terminal_width())
    try:
        yield
    finally:
        _FIT_TO.reset(token)


def terminal_width() -> int | None:
    """The columns to fit, or None (no limit) when the output is not a terminal and $COLUMNS is not set."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    return shutil.get_terminal_size().columns if tty else None


def text_width(text: str) -> int:
    w = wcswidth(text)
    return w if w >= 0 else len(text) * 2


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` display columns (at least one character a line); newlines kept."""
    out: list[str] = []
    for para in text.split("\n"):
        line, used = "", 0
        for ch in para:
            cw = max(text_width(ch), 0)
            if line and used + cw > width:
                out.append(line.rstrip())
                line, used = "", 0
                if ch == " ":
                    continue
            line += ch
            used += cw
        out.append(line)
    return out


def fold_lines(text: str, width: int | None = None) -> str:
    """Every line longer than the width folded, the rest indented under its start (a hanging indent)."""
    width = _FIT_TO.get() if width is None else width
    if width is None:
        return text
    out = []
    for line in text.split("\n"):
        if text_width(line) <= width:
            out.append(line)
            continue
        indent = " " * min(len(line) - len(line.lstrip(" ")) + 2, width // 3)
        first, *rest = wrap(line, width)
        out.append(first)
        out += [indent + x for x in wrap("".join(rest), width - len(indent))] if rest else []
    return "\n".join(out)


def _natural(
    headers: Sequence[str], rows: Sequence[Sequence[str]], caps: Sequence[int | None], with_header: bool = True
) -> list[int]:
    widths = []
    for i, h in enumerate(headers):
        cells = [h, *(r[i] for r in rows)] if with_header else [r[i] for r in rows] or [""]
        w = max(text_width(line) for c in cells for line in str(c).split("\n"))
        cap = caps[i] if i < len(caps) else None
        widths.append(min(w, cap) if cap else w)
    return widths


def _shrink(widths: list[int], limit: int, body: list[int] | None = None) -> list[int] | None:
    """Narrow the widest columns until the table fits `limit`; None when it cannot. Headers wrap first: no column
    is made narrower than its widest cell (`body`) while narrowing headers is enough."""
    if body is not None:
        first = _shrink_to(widths, limit, [min(w, max(b, MIN_WRAP)) for w, b in zip(widths, body, strict=True)])
        if first is not None:
            return first
    return _shrink_to(widths, limit, [min(w, MIN_WRAP) for w in widths])


def _shrink_to(widths: list[int], limit: int, floors: list[int]) -> list[int] | None:
    widths = list(widths)
    if sum(floors) + GAP * (len(widths) - 1) > limit:
        return None
    while sum(widths) + GAP * (len(widths) - 1) > limit:
        i = max(range(len(widths)), key=lambda k: (widths[k] - floors[k], widths[k]))
        widths[i] -= 1
    return widths


def _draw(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: list[int]) -> str:
    cells = [["\n".join(wrap(str(c), w)) for c, w in zip(r, widths, strict=True)] for r in rows]
    heads = ["\n".join(wrap(h, w)) for h, w in zip(headers, widths, strict=True)]
    wrapped = any("\n" in c for r in cells for c in r)
    body: list[Any] = []
    for k, r in enumerate(cells):
        if wrapped and k:
            body.append(tab.SEPARATING_LINE)  # rows of several lines apart, so a reader sees where one ends
        body.append(r)
    padding, tab.MIN_PADDING = tab.MIN_PADDING, 0  # else every header is padded by 2 beyond the widths fitted here
    try:
        return tab.tabulate(body, headers=heads, tablefmt="simple", disable_numparse=True)
    finally:
        tab.MIN_PADDING = padding


def fit_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    keys: int = 1,
    caps: Sequence[int | None] = (),
    width: int | None = None,
) -> str:
    """A table (no trailing newline) that fits the width: long cells wrap; when even wrapped columns are too many,
    the columns after the first `keys` are shown in groups, the key columns repeated in each; when not even that
    fits, each row is a block of “列名：值” lines. `caps` limit columns to a width whatever the terminal."""
    headers = [str(h) for h in headers]
    rows = [[str(c) for c in r] for r in rows]
    natural = _natural(headers, rows, caps)
    body = _natural(headers, rows, caps, with_header=False)
    limit = _FIT_TO.get() if width is None else width
    if limit is None:
        return _draw(headers, rows, natural)
    fitted = _shrink(natural, limit, body)
    if fitted is not None:
        return _draw(headers, rows, fitted)
    keys = min(keys, len(headers) - 1)
    groups: list[list[int]] = []
    for i in range(keys, len(headers)):
        trial = [*range(keys), *(groups[-1][keys:] if groups else []), i]
        if groups and _shrink([natural[k] for k in trial], limit) is not None:
            groups[-1] = trial
        elif _shrink([natural[k] for k in [*range(keys), i]], limit) is not None:
            groups.append([*range(keys), i])
        else:
            return _records(headers, rows, limit)
    parts = []
    for g in groups:
        sub_widths = _shrink([natural[k] for k in g], limit, [body[k] for k in g])
        assert sub_widths is not None
        parts.append(_draw([headers[k] for k in g], [[r[k] for k in g] for r in rows], sub_widths))
    return "\n\n".join(parts)


def _records(headers: Sequence[str], rows: Sequence[Sequence[str]], limit: int) -> str:
    blocks = []
    for r in rows:
        lines = [fold_lines(f"{h}：{c}", limit) for h, c in zip(headers, r, strict=True) if c != ""]
        blocks.append("\n".join(lines))
    return ("\n" + "-" * min(limit, 20) + "\n").join(blocks)

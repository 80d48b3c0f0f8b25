"""Checks that would only echo a ledger already reported as unreadable.

When a ledger file cannot be read (wrong field count, unknown encoding, unreadable file) intake reports it
once and the partial data set holds no rows for it. The scheme's `checks` still run on the rest, so that one
run lists every problem; but a check that compares, say, a count from that ledger with a value typed
elsewhere would then fail for every unit — thirteen errors that are all the one unreadable file. Those
are left out: the file's own problem says what to fix, and the checks run again once it reads.
"""

from __future__ import annotations

from common.problems import Problem
from intake import Raw
from rules.language.scheme import Scheme


def unread_ledgers(raw: Raw) -> set[str]:
    """Ledgers found as a whole file (or sheet) for every unit but not read: reported by the reader."""
    return {t for t, unit in raw.found if unit is None and not raw.of("ledger", t)}


def tables_behind(scheme: Scheme, name: str) -> set[str]:
    """The ledgers a scalar name is computed from, through derived values that read derived values."""
    derived = {d.id: d for d in scheme.derived}
    out: set[str] = set()
    todo, seen = [name], set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        if n in scheme.tables:
            out.add(n)
        d = derived.get(n)
        if d is not None:
            if d.table:
                out.add(d.table)
            todo.extend(d.deps)
    return out


def echoes(scheme: Scheme, unread: set[str], found: list[Problem]) -> list[Problem]:
    """The check problems in `found` raised by a check that reads one of the unread ledgers."""
    if not unread:
        return []
    lines = {c.line for c in scheme.checks
             if c.for_each in unread or any(tables_behind(scheme, r) & unread for r in c.reads)}
    return [p for p in found if p.code == "check" and p.file == scheme.file and p.line in lines]

"""Ranking: equal keys share a rank and the next rank skips (1, 2, 2, 4), as the contract says."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cmp_to_key
from typing import Any


def _cmp(a: Any, b: Any, descending: bool) -> int:
    # Nulls sort last whatever the direction: a unit without the figure is not ahead of anyone.
    if a is None or b is None:
        return (a is None) - (b is None)
    if a == b:
        return 0
    less = a < b
    return (1 if less else -1) if descending else (-1 if less else 1)


def _key_cmp(ka: Sequence[Any], kb: Sequence[Any], orders: Sequence[bool]) -> int:
    for a, b, desc in zip(ka, kb, orders, strict=True):
        c = _cmp(a, b, desc)
        if c:
            return c
    return 0


def ranks_by_keys(keys: dict[str, Sequence[Any]], descending: Sequence[bool]) -> dict[str, int]:
    """Competition ranks of units by a tuple of keys; units with equal tuples share a rank."""
    def order(a: str, b: str) -> int:
        return _key_cmp(keys[a], keys[b], descending) or ((a > b) - (a < b))

    units = sorted(keys, key=cmp_to_key(order))
    out: dict[str, int] = {}
    for pos, u in enumerate(units):
        if pos and _key_cmp(keys[units[pos - 1]], keys[u], descending) == 0:
            out[u] = out[units[pos - 1]]
        else:
            out[u] = pos + 1
    return out


def competition_ranks(values: dict[str, Any], descending: bool = True) -> dict[str, int]:
    return ranks_by_keys({u: (v,) for u, v in values.items()}, [descending])

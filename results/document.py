"""The JSON results document (the contract in criteria-language.md: keys may be added, never renamed).

Deterministic: same inputs give byte-identical output (no clock, no dict-order accidents), so a
published result can be re-scored and compared byte for byte.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from common import numbers
from common.jsontext import dumps_indented
from rules.language.text import show_value
from scoring.pipeline import Results
from scoring.selfscore import self_score_diff
from scoring.totals import UnitResult


def _value(v: Any) -> Any:
    if isinstance(v, bool) or v is None or isinstance(v, int):
        return v
    if isinstance(v, Decimal):
        return numbers.plain(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return show_value(v)


def unit_dict(r: UnitResult, places: int) -> dict[str, Any]:
    return {
        "entity": r.entity,
        "name": r.name,
        "fields": r.fields,
        "total": numbers.fixed(r.total, places),
        "grade": r.grade,
        "grade_by_score": r.grade_by_score,
        "grade_notes": r.grade_notes,
        "rank": r.rank,
        "base": numbers.fixed(r.base, places),
        "bonus": numbers.fixed(r.bonus, places),
        "penalty": numbers.fixed(r.penalty, places),
        "total_exact": numbers.plain(r.total_exact),
        "categories": {k: numbers.plain(v) for k, v in r.categories.items()},
        "items": {k: numbers.plain(v) for k, v in r.items.items()},
        "not_applicable": r.not_applicable,
        "values": {k: _value(v) for k, v in r.values.items()},
        "vetoes": r.vetoes,
        "events": [{"entity": e.entity, **e.as_dict()} for e in r.events],
        "self_scores": {k: numbers.plain(v) for k, v in r.self_scores.items()},
    }


def to_document(results: Results) -> dict[str, Any]:
    s = results.scheme
    doc = {
        "scheme": s.meta.id,
        "title": s.meta.title,
        "decimals": s.meta.decimals,
        "results": [{**unit_dict(r, s.meta.decimals), "self_score_diff": self_score_diff(s, r)} for r in results.units],
        "problems": [p.as_dict() for p in results.problems.items],
        "inputs": dict(sorted(results.inputs.items())),
    }
    if s.period_id is not None and s.periods is not None:   # a period's results (criteria/README.md 2.20)
        p = s.periods.get(s.period_id)
        assert p is not None
        doc["period"] = {"id": p.id, "name": p.name, "start": p.start.isoformat(), "end": p.end.isoformat()}
    if results.run is not None:
        doc["run"] = results.run   # the run record (results.runrecord): inputs' sha256, tool version, time
    return doc


def to_json(results: Results) -> str:
    return dumps_indented(to_document(results), default=_value)

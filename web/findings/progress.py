"""Who has reported what: for each assessed item and unit of a round, the records entered and the reports of
“nothing to record”. A pair with neither is not yet reported, and the scheme's rule for no record applies."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from web.findings.items import AssessedItem
from web.findings.models import Assignment, Finding, NoFinding
from web.rounds.models import Round


@dataclass
class Cell:
    records: list[Finding] = field(default_factory=list)
    nil: NoFinding | None = None

    @property
    def reported(self) -> bool:
        return bool(self.records) or self.nil is not None

    def figure(self, item: AssessedItem) -> Decimal | None:
        """The records' sum in the item's column (a score: the last record, as scoring takes it)."""
        values = [r.deduct if item.mode == "deduct" else r.score for r in self.records]
        values = [v for v in values if v is not None]
        if not values:
            return None
        return values[-1] if item.single else sum(values, Decimal(0))


def cells(rnd: Round) -> dict[tuple[str, str], Cell]:
    """(item, entity) -> what has been reported."""
    out: dict[tuple[str, str], Cell] = defaultdict(Cell)
    for f in Finding.objects.filter(round=rnd).order_by("id"):
        out[(f.item_id, f.entity_id)].records.append(f)
    for n in NoFinding.objects.filter(round=rnd):
        out[(n.item_id, n.entity_id)].nil = n
    return out


def owners(rnd: Round) -> dict[str, Any]:
    """item -> the scorer account assigned to it."""
    return {a.item_id: a.scorer for a in Assignment.objects.filter(round=rnd).select_related("scorer__profile")}


def owned_items(rnd: Round, user: Any, items: list[AssessedItem]) -> list[AssessedItem]:
    mine = set(Assignment.objects.filter(round=rnd, scorer=user).values_list("item_id", flat=True))
    return [i for i in items if i.id in mine]

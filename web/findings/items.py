"""The items a scorer assesses (`assessed:` in the scheme), with what the scheme says a record must hold and
what it does when a unit has none — read from the round's scheme, never named in code."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from common.problems import Problems
from rules.language.criteria import load_criteria

MODE_FIGURE = {"deduct": "扣分", "award": "得分", "score": "得分"}
MODE_NAME = {"deduct": "扣分", "award": "加分", "score": "评定得分"}


@dataclass(frozen=True)
class AssessedItem:
    id: str
    name: str
    mode: str            # deduct | award | score (rules/language/constructs/assessed.py)
    lo: Decimal
    hi: Decimal
    points: Decimal
    clause: str
    start: Decimal       # the item's starting score (basis full: its points; zero: 0)

    @property
    def figure(self) -> str:
        """The findings column a record of this item fills (扣分 or 得分)."""
        return MODE_FIGURE[self.mode]

    @property
    def mode_name(self) -> str:
        return MODE_NAME[self.mode]

    @property
    def range_text(self) -> str:
        return f"{_fmt(self.lo)}—{_fmt(self.hi)} 分"

    @property
    def missing_rule(self) -> str:
        """What scoring does for a unit without a record of this item (criteria/README.md 2.13)."""
        if self.mode == "deduct":
            return f"不扣分（本项按 {_fmt(self.start)} 分计）"
        if self.mode == "award":
            return "不加分（本项得 0 分）"
        return f"按起算分计（本项得 {_fmt(self.start)} 分）"

    @property
    def single(self) -> bool:
        """A score is one figure per unit; deductions and awards may be several records."""
        return self.mode == "score"


def _fmt(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text


def assessed(scheme_path: Path) -> list[AssessedItem]:
    scheme = load_criteria(scheme_path, Problems())
    if scheme is None:
        return []
    out = []
    for i in scheme.items:
        if i.assessed is None:
            continue
        start = i.points if i.basis == "full" else Decimal(0)
        out.append(AssessedItem(i.id, i.name, i.assessed.mode, i.assessed.lo, i.assessed.hi, i.points,
                                i.clause or "", start))
    return out


def by_id(scheme_path: Path) -> dict[str, AssessedItem]:
    return {i.id: i for i in assessed(scheme_path)}

"""The unit's figures a condition compares, for a reason a user can check without opening the data:
“隐患整改率低于90%（隐患整改率约85.71%）：扣1分”. Numbers and dates only: yes/no and text say themselves in the
condition. Shown as `rules.language.text.figure_as` shows a figure in a sentence (exact, or 约)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from rules.evaluation.frame import Frame
from rules.language import expr as ex
from rules.language.scheme import Scheme
from rules.language.text import figure_as, unit_of


class Figures:
    def __init__(self, scheme: Scheme, frame: Frame):
        self.s = scheme
        self.frame = frame
        self.names: dict[int, list[str]] = {}                 # id of a condition -> the names it compares
        self.how: dict[str, tuple[str, bool, str]] = {}        # name -> (label, is a percent, unit)

    def of(self, nodes: list[ex.Node | None], i: int) -> str:
        """The figures of unit `i` the conditions read, in the order written: 隐患整改率约85.71%、立案查处起数8起."""
        shown: list[str] = []
        for node in nodes:
            if node is None:
                continue
            names = self.names.get(id(node))
            if names is None:
                names = self.names[id(node)] = list(dict.fromkeys(
                    n.name for n in ex.walk(node) if isinstance(n, ex.Name) and n.name in self.frame.cols))
            for name in names:
                v = self.frame.cols[name][i]
                na = self.frame.na.get(name)
                if (na is not None and na[i]) or not isinstance(v, (Decimal, int, np.integer, dt.date)) \
                        or isinstance(v, (bool, np.bool_)):
                    continue
                how = self.how.get(name)
                if how is None:
                    how = self.how[name] = (self.s.label(name), self.s.is_percent(name), unit_of(self.s, name))
                label, percent, unit = how
                text = f"{label}{figure_as(v, self.s.meta.decimals, percent, unit)}"
                if text not in shown:
                    shown.append(text)
        return "、".join(shown)

"""Problems: every complaint about criteria, data or arguments, collected, never raised one by one.

A problem says where (file:line, or file·row·column), what is wrong and what to do, in Chinese.
Collecting them lets a user fix everything in one pass instead of one error per run.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["error", "warning"]
UNIT_LEVEL_CODES = frozenset({"check", "cross-check", "rule-engine-unit", "assessed-missing-error"})


@dataclass(frozen=True)
class Problem:
    message: str
    level: Level = "error"
    file: str | None = None
    line: int | None = None
    key: str | None = None          # key path inside a criteria file, e.g. categories[1].items
    entity: str | None = None
    sheet: str | None = None        # sheet of a workbook (Excel intake)
    row: int | None = None          # 1-based row as the user sees it in the file (header is row 1)
    column: str | None = None
    value: Any = None
    code: str = ""                  # a stable short code, e.g. "undefined-name"

    def where(self) -> str:
        if self.file and self.line is not None:
            return f"{self.file}:{self.line}"
        parts = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        return "·".join(parts)

    def render(self) -> str:
        head = self.where()
        text = f"{head}: " if head else ""
        if self.key:
            text += f"{self.key}: "
        if self.entity and (not self.file or self.line is not None):
            # a data row already says where; a criteria line (a failed check) needs the unit
            text += f"[{self.entity}] "
        prefix = "" if self.level == "error" else "警告："
        text += prefix + self.message
        if self.code:
            text += f" ({self.code})"
        return text

    def as_dict(self) -> dict[str, Any]:
        d = {
            "level": self.level, "message": self.message, "file": self.file, "line": self.line,
            "key": self.key, "entity": self.entity, "sheet": self.sheet, "row": self.row,
            "column": self.column, "value": None if self.value is None else str(self.value),
            "code": self.code,
        }
        return {k: v for k, v in d.items() if v is not None and v != ""}


@dataclass
class Problems:
    """An accumulator passed down the pipeline."""

    items: list[Problem] = field(default_factory=list)

    def add(self, message: str, **kw: Any) -> None:
        self.items.append(Problem(message, **kw))

    def extend(self, other: Problems | list[Problem]) -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == "error"]

    @property
    def blocking(self) -> list[Problem]:
        """Errors that stop a run. A unit's failed `checks` entry or engine disagreement only keeps
        that unit out of the results (the contract: “error: the entity is not scored”)."""
        return [p for p in self.errors if p.code not in UNIT_LEVEL_CODES]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level == "warning"]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


SHOWN_OF_A_KIND = 200   # problems of one code in one file shown one by one; the rest are counted


def capped(items: list[Problem], limit: int = SHOWN_OF_A_KIND) -> tuple[list[Problem], list[str]]:
    """The problems to show one by one, and a line for each kind cut short: a workbook with a million bad
    cells is one mistake repeated (a column pasted wrong), and a million lines would hide everything else."""
    counts: dict[tuple[str, str, str], int] = {}
    kept: list[Problem] = []
    for p in items:
        key = (p.level, p.code, p.file or "")
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= limit:
            kept.append(p)
    notes = [f"{'错误' if level == 'error' else '警告'}：{file + '：' if file else ''}另有 {n - limit} 个同类问题（{code}）"
             f"未逐条列出，共 {n} 个；多为同一处错误的重复，请先改正上面列出的，再重新检查"
             for (level, code, file), n in counts.items() if n > limit]
    return kept, notes


def did_you_mean(name: str, choices: list[str] | set[str]) -> str:
    """A Chinese '(是否指 x？)' suffix when a close match exists, else ''."""
    if len(name) > 200:   # no name is that long: a huge cell, not a slip (and difflib would take minutes)
        return ""
    found = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.6)
    if not found:
        lowered = {c.lower(): c for c in choices}
        if name.lower() in lowered:
            found = [lowered[name.lower()]]
    return f"（是否指 {found[0]}？）" if found else ""

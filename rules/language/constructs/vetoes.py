"""否决 `vetoes`：在分数算完以后施加的一票否决、取消评优、降档、扣分和标记。

每个否决项有 `id`、`name`、`when`（条件）和 `effect`（效果），可选 `for_each`（台账里有一行满足条件就否决，
说明里附上这一行）、`clause`、`reason`。效果共七种（下表 `EFFECTS`，每种一个中文说法，报表、通报、自查都用它）：

| 效果 | 写法 | 说法 |
| --- | --- | --- |
| fail | `fail` | 等次定为（最低等次） |
| zero | `zero` | 总分计0分 |
| exclude | `exclude` 或 `{exclude: unranked}` | 不予评定等次（仍参加排名）；写 `unranked` 时不参加排名，不予评定等次 |
| deduct | `{deduct: 30}` | 扣30分 |
| max_grade | `{max_grade: 良好}` | 等次不高于良好 |
| downgrade | `{downgrade: 1}` | 等次降1档 |
| flag | `flag` 或 `{flag: 预否决}` | 预否决（只做标记；不写文字时为“标记”） |

`exclude` 不写参数（或写 `{exclude: ranked}`）时，单位仍在排名中占一个名次，只是不评等次、不占名额；写
`{exclude: unranked}` 时单位退出排名（名次为空，其他单位的名次不把它算在内），也不评等次、不占名额。只是“不得评为
优秀”的，用 `{max_grade: 良好}`。`max_grade` 的等次名必须是 `scheme.grades` 里有的；`downgrade` 的级数是不小于1的整数；`deduct` 的分数为正数。
改分数的（`deduct`、`zero`）先算，改等次的按细则中书写的先后逐个施加。各效果在评分中怎样起作用，见
scoring/vetoes.py；详见 criteria/README.md 2.15。

读取本单位考核结果的否决（criteria/README.md 2.15.1）：`when` 里可以写 `total`（否决前的总分）、`rank`（名次）、
`grade`（等次）和 `units`（参加排名的单位数），如“考核未达80分的，实行一票否决”写 `when: total < 80`。
先后顺序固定为三个阶段（`CVeto.stage`）：
0. 不读结果的否决：和以前一样，在计分时判定；
1. 读 `total`（不读 `rank`、`grade`）的否决：看到的是**否决前**的总分；它们改总分的效果随后计入，再排名；
2. 读 `rank`、`units`（不读 `grade`）的否决：看到的是阶段0、1的否决计入后的名次；它们可以扣分，扣分后重新排名，
   但不据新名次重新判定；
3. 读 `grade` 的否决：看到的是总分定下来、阶段0—2否决施加以后（名额调整以前）的等次；它们只能改等次或做标记：
   改总分（`deduct`、`zero`）会改变它读的等次，构成循环，`validate` 时报错。
`for_each` 的否决不能读结果（结果是单位的，不是台账行的）。
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from common.problems import did_you_mean
from rules.language import expr as ex
from rules.language.constructs.base import Expr, Strict, Text, in_range

# Names a veto's `when` may read about the unit's own result (when the scheme declares no input of that name).
RESULT_NAMES = {"total": "number", "rank": "number", "grade": "str", "units": "number"}
RESULT_LABELS = {"total": "否决前总分", "rank": "名次", "grade": "等次", "units": "参加排名的单位数"}
TOTAL_EFFECTS = ("deduct", "zero")   # effects that change the total (and so the rank and the grade)

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.yamlsource import PathKey


class Veto(Strict):
    id: Text
    name: Text
    when: Expr
    for_each: Text | None = None
    effect: Text | dict[str, Any]
    clause: Text | None = None
    reason: Text | None = None


def _points(d: Decimal) -> str:
    return "0" if d == 0 else f"{d.normalize():f}"


@dataclass(frozen=True)
class Effect:
    """One veto effect of the language: how it is written and how it is said."""

    name: str
    argument: str                       # "" (none), "points", "grade", "steps", "text" (optional) or "ranking"
    words: Callable[[Any, str], str]    # (argument, lowest grade) -> the office's words
    written: str                        # how the argument is written, for the "should be one of" message


EFFECTS: dict[str, Effect] = {e.name: e for e in (
    Effect("fail", "", lambda arg, lowest: f"等次定为{lowest}", "fail"),
    Effect("zero", "", lambda arg, lowest: "总分计0分", "zero"),
    Effect("exclude", "ranking",
           lambda arg, lowest: "不参加排名，不予评定等次" if arg == "unranked" else "不予评定等次", "{exclude: unranked}"),
    Effect("deduct", "points", lambda arg, lowest: f"扣{_points(arg)}分", "{deduct: 分数}"),
    Effect("max_grade", "grade", lambda arg, lowest: f"等次不高于{arg}", "{max_grade: 等次}"),
    Effect("downgrade", "steps", lambda arg, lowest: f"等次降{arg}档", "{downgrade: 级数}"),
    Effect("flag", "text", lambda arg, lowest: str(arg) if arg else "标记", "{flag: 文本}"),
)}


@dataclass
class CVeto:
    id: str
    name: str
    when: ex.Node
    for_each: str | None
    effect: str          # a key of EFFECTS
    arg: Any             # points for deduct, grade name for max_grade, steps for downgrade, text for flag
    clause: str | None
    reason: str | None
    reads: set[str] = field(default_factory=set)
    results: set[str] = field(default_factory=set)   # the result names its `when` reads (RESULT_NAMES)

    @property
    def stage(self) -> int:
        """0: decided with the data; 1: reads the total before vetoes; 2: reads the rank (before its own
        stage's deductions); 3: reads the grade (and cannot change the total)."""
        if "grade" in self.results:
            return 3
        if self.results & {"rank", "units"}:
            return 2
        return 1 if self.results else 0

    def effect_text(self) -> str:
        """The effect as written in criteria (results documents keep this form)."""
        if EFFECTS[self.effect].argument == "" or not self.arg:
            return self.effect
        return f"{self.effect}: {self.arg}"

    def words(self, lowest_grade: str) -> str:
        """What the veto does, in the office's words (the one wording every report uses)."""
        return EFFECTS[self.effect].words(self.arg, lowest_grade)


OPTIONAL = ("", "text", "ranking")   # effects that may be written bare
RANKING = ("ranked", "unranked")    # exclude: stays in the ranking (the default) or leaves it


def _choices() -> str:
    bare = [e.name for e in EFFECTS.values() if e.argument in OPTIONAL]
    written = [e.written for e in EFFECTS.values() if e.argument]
    return f"{'、'.join(bare)}，或 {'、'.join(written)}"


def compile_vetoes(c: Compiler, grade_names: list[str]) -> list[CVeto]:
    out = []
    for i, v in enumerate(c.m.vetoes):
        path: PathKey = ("vetoes", i)
        table = c.table_ref((*path, "for_each"), v.for_each)
        results = {n: t for n, t in RESULT_NAMES.items() if n not in c.scalar_types and n not in c.derived_ids}
        node, reads = c.parse((*path, "when"), v.when, table=table, want="bool", extra=results)
        effect, arg = _effect(c, (*path, "effect"), v.effect, grade_names)
        on_result = reads & set(results)
        if node is not None and effect and _result_form(c, path, v, on_result, effect):
            out.append(CVeto(v.id, v.name, node, table, effect, arg, v.clause, v.reason, reads - on_result,
                             on_result))
    return out


def _result_form(c: Compiler, path: PathKey, v: Veto, on_result: set[str], effect: str) -> bool:
    """A veto reading the unit's result: no for_each, and no effect on the total when it reads the rank or grade."""
    said = "、".join(f"{n}（{RESULT_LABELS[n]}）" for n in sorted(on_result))
    if on_result and v.for_each is not None:
        c.err((*path, "when"), f"否决项 {v.id} 写了 for_each，条件中不能读取本单位的考核结果 {said}："
              "结果是单位的，不是台账行的；请拆成两个否决项，或去掉 for_each（见 criteria/README.md 2.15.1）",
              "veto-result-read")
        return False
    if "grade" in on_result and effect in TOTAL_EFFECTS:
        c.err((*path, "effect"), f"否决项 {v.id} 的条件读取 grade（等次），效果 {effect} 却会改变总分，从而改变"
              "它读取的等次，构成循环；读等次的否决只能改等次或做标记（fail、exclude、max_grade、downgrade、"
              "flag）。按分数扣分请改为读否决前的总分 total（见 criteria/README.md 2.15.1）", "veto-cycle")
        return False
    return True


def _effect(c: Compiler, path: PathKey, raw: Any, grades: list[str]) -> tuple[str, Any]:
    if isinstance(raw, str):
        if raw in EFFECTS and EFFECTS[raw].argument in OPTIONAL:
            return raw, None
        c.err(path, f"否决效果“{raw}”无效{did_you_mean(raw, sorted(EFFECTS))}，应为 {_choices()}", "veto-effect")
        return "", None
    if len(raw) != 1:
        c.err(path, f"否决效果只能写一种，应为 {_choices()}", "veto-effect")
        return "", None
    (kind, arg), = raw.items()
    wants = EFFECTS[kind].argument if kind in EFFECTS else None
    if wants == "points" and isinstance(arg, (int, Decimal)) and not isinstance(arg, bool) and arg > 0:
        try:
            return kind, in_range(Decimal(arg), arg)
        except ValueError as exc:
            c.err(path, str(exc), "veto-effect")
            return "", None
    if wants == "steps" and isinstance(arg, int) and not isinstance(arg, bool) and 1 <= arg < 1000:
        return kind, arg
    if wants == "grade":
        if arg in grades:
            return kind, arg
        c.err(path, f"等次“{arg}”未在 scheme.grades 中定义{did_you_mean(str(arg), grades)}", "veto-grade")
        return "", None
    if wants == "text":
        return kind, str(arg)
    if wants == "ranking":
        if arg in RANKING:
            return kind, None if arg == "ranked" else arg
        c.err(path, f"exclude 的写法“{arg}”无效：exclude（或 {{exclude: ranked}}）仍参加排名、不评等次；"
              f"{{exclude: unranked}} 不参加排名、不评等次；只是不得评优秀的写 {{max_grade: 等次}}。"
              f"见 criteria/README.md 2.15", "veto-effect")
        return "", None
    c.err(path, f"否决效果“{kind}: {arg}”无效，应为 {_choices()}", "veto-effect")
    return "", None

"""方案设置 `scheme`：满分、小数位、等次与名额、同分排序。

- `grades` 从高到低排列，`min` 是该等次的下限，**含本数**（90.00 分是优秀，89.99 分不是）；最低一档的
  `min` 必须是 0，且不能设名额（无处可降）。
- `quota` 名额：写人数（`quota: 6`）或比例（`quota: 30%`）。比例按参评单位数计算后向下取整（“不超过”），
  超出名额的单位按名次从后往前降一个等次；并列跨越名额线时不擅自决定，而是提醒考核组研究。
- 分类名额：`quota: {by: 类别, 一类: 4, 二类: 2}`，`by` 是 `entity_fields` 里的一个属性，其余每个键是该属性的
  一个值，写该类的人数或比例（比例按该类参评单位数计算后向下取整）。每类各自按名次比较、各自处理并列；
  没有写出的类别不限名额。属性声明了 `values` 时，写了不在其中的值是错误；只有一个属性的 `values` 包含全部所写
  类别时，`by` 可以省略。
- `ranking.tiebreak`：总分相同时依次比较的项目，每项写“名称 asc”或“名称 desc”（省略时为 desc）。
- `decimals` 总分保留几位小数（0–6），只在最后四舍五入一次；`period` 为考核时段，开始不能晚于结束。

详见 criteria/README.md 2.2 和第三部分。
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from common.problems import did_you_mean
from rules.language import expr as ex
from rules.language.constructs.base import Expr, Num, Strict, Text, exact_number, id_problem

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.yamlsource import PathKey


class Period(Strict):
    start: dt.date
    end: dt.date


class Grade(Strict):
    name: Text
    min: Num
    quota: Any = None  # a count (3) or a share (30%); interpreted by `quota` below


class Ranking(Strict):
    tiebreak: list[Expr] = []  # noqa: RUF012 - pydantic copies defaults


class SchemeMeta(Strict):
    id: Text
    title: Text
    applies_to: Text = "any"
    year: int | None = None
    period: Period | None = None
    total: Num = Decimal(100)
    decimals: int = 2
    normalise: bool = False
    bonus_cap: Num | None = None
    grades: list[Grade]
    ranking: Ranking = Ranking()
    description: Text | None = None


@dataclass
class Quota:
    count: int | None = None      # at most this many units
    share: Decimal | None = None  # at most this share of the graded units, rounded down
    text: str = ""
    by: str | None = None         # an entity field: one quota per value of it (`classes`), counted apart
    classes: dict[str, Quota] = field(default_factory=dict)


@dataclass
class GradeDef:
    name: str
    min: Decimal
    quota: Quota | None


def compile_meta(c: Compiler) -> None:
    meta = c.m.scheme
    if meta.period and meta.period.start > meta.period.end:
        c.err(("scheme", "period"), "考核时段的开始日期晚于结束日期", "period")
    if not 0 <= meta.decimals <= 6:
        c.err(("scheme", "decimals"), f"decimals（{meta.decimals}）应在 0 到 6 之间", "decimals")
    problem = id_problem(meta.id)
    if problem:
        c.err(("scheme", "id"), f"方案{problem}", "bad-id")


def compile_grades(c: Compiler) -> list[GradeDef]:
    out: list[GradeDef] = []
    prev: Decimal | None = None
    for i, g in enumerate(c.m.scheme.grades):
        path: PathKey = ("scheme", "grades", i)
        if prev is not None and g.min >= prev:
            c.err((*path, "min"), f"等次须从高到低排列：“{g.name}”的下限{g.min}不低于上一等次的{prev}",
                  "grades-order")
        prev = g.min
        quota = None
        if g.quota is not None:
            quota = _quota(c, (*path, "quota"), g.quota)
        out.append(GradeDef(g.name, g.min, quota))
    names = [g.name for g in out]
    for n in {x for x in names if names.count(x) > 1}:
        c.err(("scheme", "grades"), f"等次名称“{n}”重复", "duplicate-id")
    if not out:
        c.err(("scheme", "grades"), "至少需要一个等次", "grades-empty")
    elif out[-1].min > 0:
        c.err(("scheme", "grades", len(out) - 1, "min"),
              f"最低等次“{out[-1].name}”的下限应为 0，否则低于 {out[-1].min} 分的单位没有等次", "grades-floor")
    if out and out[-1].quota is not None:
        c.err(("scheme", "grades", len(out) - 1, "quota"), "最低等次不能设置名额（无处可降）", "quota-lowest")
    return out


QUOTA_SECTION = "见 criteria/README.md 2.2 分类名额"


def _class_quota(c: Compiler, path: PathKey, raw: dict[Any, Any]) -> Quota | None:
    """`{by: 类别, 一类: 4, 二类: 30%}`: one quota per value of an entity field."""
    fields = c.m.entity_fields
    by = raw.get("by")
    if by is None:
        # `{一类: 4, 二类: 2}`: the one field whose declared values hold every key is meant
        named = {str(k).strip() for k in raw}
        owners = [k for k, f in fields.items() if f.values is not None and named <= set(f.values)]
        by = owners[0] if len(owners) == 1 else None
    if not isinstance(by, str) or not by.strip():
        c.err(path, f"分类名额须写 by（按哪个单位属性分类），如 {{by: 类别, 一类: 4, 二类: 2}}；{QUOTA_SECTION}",
              "quota-class")
        return None
    by = by.strip().removeprefix("entity.")
    by = next((k for k, f in fields.items() if by not in fields and f.label == by), by)   # its label will do
    if by not in fields:
        known = "、".join(fields) or "（尚未定义任何属性，请先在 entity_fields 里定义，见 2.3）"
        c.err((*path, "by"), f"分类名额的 by“{by}”不是单位属性，单位属性有：{known}；{QUOTA_SECTION}", "quota-class")
        return None
    allowed = fields[by].values
    classes: dict[str, Quota] = {}
    keys = [k for k in raw if k != "by"]
    for key in keys:
        value = raw[key]
        name = str(key).strip()
        if allowed is not None and name not in allowed:
            c.err((*path, key), f"分类名额里的“{name}”不是属性“{fields[by].label}”（{by}）的可选值"
                  f"{did_you_mean(name, list(allowed))}，可选值有：{'、'.join(allowed)}；{QUOTA_SECTION}", "quota-class")
            continue
        one = _quota(c, (*path, key), value)
        if one is not None:
            classes[name] = one
    if not keys:
        c.err(path, f"分类名额至少写一类的名额，如 {{by: {by}, 一类: 4}}；{QUOTA_SECTION}", "quota-class")
    if not classes:
        return None
    text = "，".join(f"{k}{q.text}" for k, q in classes.items())
    return Quota(text=f"按{fields[by].label}：{text}", by=by, classes=classes)


def _quota(c: Compiler, path: PathKey, raw: Any) -> Quota | None:
    if isinstance(raw, dict):
        return _class_quota(c, path, raw)
    if isinstance(raw, bool):
        c.err(path, "名额应为人数（如 3）或比例（如 30%）", "quota")
        return None
    if isinstance(raw, int):
        if not 1 <= raw < 10**9:
            c.err(path, f"名额{raw}无效，应为不小于1的整数或比例", "quota")
            return None
        return Quota(count=raw, text=str(raw))
    if isinstance(raw, str) and raw.strip().endswith("%"):
        try:
            share = exact_number(raw)
        except ValueError:
            share = Decimal(-1)
        if not 0 < share <= 1:
            c.err(path, f"名额比例“{raw}”无效，应在 0% 与 100% 之间", "quota")
            return None
        return Quota(share=share, text=raw.strip())
    if isinstance(raw, Decimal) and 0 < raw < 1:
        return Quota(share=raw, text=f"{raw * 100:f}%")
    c.err(path, f"名额“{raw}”无效：人数写整数（如 3），比例写百分数（如 30%），分类名额写 {{by: 类别, 一类: 4, 二类: 2}}",
          "quota")
    return None


def compile_tiebreak(c: Compiler) -> list[tuple[ex.Node, str]]:
    out = []
    for i, t in enumerate(c.m.scheme.ranking.tiebreak):
        path: PathKey = ("scheme", "ranking", "tiebreak", i)
        text, order = t.strip(), "desc"
        parts = text.rsplit(None, 1)
        if len(parts) == 2 and parts[1] in ("asc", "desc"):
            text, order = parts
        node, _ = c.parse(path, text)
        if node is not None:
            out.append((node, order))
    return out

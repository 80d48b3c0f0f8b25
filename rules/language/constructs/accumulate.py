"""年中预警的累计口径 `accumulate`：哪些数在一年中逐月累计，预警（assess warn）时按进度折算到年底。

写法（criteria/README.md 2.22 和 docs/预警.md）：

```yaml
accumulate:
  values: [deaths, fire_deaths]            # 填报项目或派生值（数值）：年中填的是年初至今的累计数
  ledgers: {accident_records: 发生日期}      # 台账及其日期列：行是年内逐条发生的，对它计数、求和的派生值都是累计数
```

- 写了 `period_dates`（2.20）的台账也按累计计，不必重复写；
- 评分不读这一节：同一份数据评分的结果与不写时完全相同；
- `assess warn` 把这些数（及由它们算出的派生值）按“已过天数 / 考核时段总天数”折算到 `scheme.period` 的年底，
  在折算后的数上判断否决和扣分条件；`ledgers` 中的台账，日期晚于预警日期的行是错误（预警日期写错了，或数据有误）。
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from common.problems import did_you_mean
from rules.language.constructs.base import Strict, Text
from rules.language.constructs.inputs import not_a_date_column

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.yamlsource import PathKey

SECTION = "见 criteria/README.md 2.22"
NUMBERS = ("int", "number")


class Accumulate(Strict):
    values: list[Text] = []  # noqa: RUF012 - pydantic copies defaults
    ledgers: dict[Text, Text] = {}  # noqa: RUF012 - pydantic copies defaults


@dataclass(frozen=True)
class CAccumulate:
    values: tuple[str, ...] = ()                          # inputs and derived values accumulated over the year
    ledgers: dict[str, str] = field(default_factory=dict)  # ledger -> its date column (period_dates' included)


def compile_accumulate(c: Compiler) -> CAccumulate | None:
    """The accumulated values and dated ledgers, checked against the inputs, derived values and ledgers."""
    m: Accumulate | None = c.m.accumulate
    dated: dict[str, str] = {}
    for table, column in c.m.period_dates.items():   # checked by periods; a wrong one is reported there
        if c.columns(table).get(column) == "date":
            dated[table] = column
    if m is None:
        return CAccumulate((), dated) if dated else None
    values: list[str] = []
    for k, name in enumerate(m.values):
        path: PathKey = ("accumulate", "values", k)
        if name in c.m.inputs:
            kind = c.m.inputs[name].type
        else:
            kind = c.derived_types.get(name)
            kind = "percent" if kind == "number" and c.m.derived[name].unit == "%" else kind
        if kind is None:
            known = [*c.m.inputs, *c.m.derived]
            c.err(path, f"“{name}”不是填报项目或派生值{did_you_mean(name, known)}（{SECTION}）", "accumulate")
        elif kind not in NUMBERS:
            c.err(path, f"“{name}”不是数值（是{kind}），不能按进度折算；比率（百分数）不累计，不必写（{SECTION}）",
                  "accumulate")
        else:
            values.append(name)
    for table, column in m.ledgers.items():
        path = ("accumulate", "ledgers", table)
        if c.table_ref(path, table) is None:
            continue
        what = not_a_date_column(c.columns(table), column)
        if what is not None:
            c.err(path, f"台账 {table} 的“{column}”{what}：累计的台账按日期列判断行发生在哪一天（{SECTION}）", "accumulate")
            continue
        dated[table] = column
    return CAccumulate(tuple(values), dated)

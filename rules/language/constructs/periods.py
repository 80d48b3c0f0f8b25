"""分期考核 `periods`、`period_dates` 和合成 `composite`：同一细则按季度（月度）分期评分、公布分期排名，
全年总分由各期结果与年终考核按权重合成，某一期触发的否决带到全年。

写法（criteria/README.md 2.20）：

```yaml
periods:                                     # 各期：编号 → 名称、起止日期；编号就是 assess score --period 的写法
  Q1: {name: 第一季度, start: 2020-01-01, end: 2020-03-31, results: 结果/一季度.json}
  Q2: {name: 第二季度, start: 2020-04-01, end: 2020-06-30, results: 结果/二季度.json}
period_dates:                                # 可选：台账按哪一列的日期分到各期
  accidents: 发生日期
composite:                                   # 可选：全年总分 = 平时 × 40% + 年终 × 60%
  periods: 40%                               # 平时考核（各期总分）的权重
  periods_by: average                        # average：各期平均；sum：各期之和
  year_end: 60%                              # 年终考核（本细则各项、加分、扣分）的权重
  carry_vetoes: [V1]                         # 季度考核中触发 V1 的，全年同样否决（效果按本细则的 V1）
```

- `assess score --period Q1`：按第一季度评分。`period.start`、`period.end` 成为该期的起止日期；写了
  `period_dates` 的台账只取日期落在该期的行；合成和带入的否决不施加；结果文件记下期别（`period`）。
- 不写 `--period`：全年（或年终）评分。声明了 `results` 的各期结果按单位编号读入，表达式中可用
  `Q1.total`、`Q1.rank`、`Q1.grade`、`Q1.units`、`Q1.vetoed`、`Q1.vetoes`（同往期结果，2.18）；
  写了 `composite` 时按权重合成总分，每一部分都是一条计分事件。
- `last_period.rank` 等是上一期的结果（按第三季度评分时是第二季度，全年评分时是最后一期；第一季度为空）。按某一期
  评分时，表达式读了各期结果的，读取该期开始以前已结束的各期结果。
- 写了 `period_dates` 的台账，日期为空、在考核时段之外的行都报错并指出行号；在考核时段之内却不属于任何一期的行，
  全年评分时计入，按期评分时不计入并警告。
读取各期结果文件、按单位对应的是 intake/periods.py；合成总分、带入否决的是 scoring/periods.py。
案例文件中每个单位可直接写 `periods: {Q1: {total: 90, rank: 2, vetoes: [V1]}}`，案例写 `period: Q1` 时按该期评分。
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from common import numbers
from common.problems import did_you_mean
from rules.language.constructs.base import Num, Strict, Text
from rules.language.constructs.grades import Period
from rules.language.constructs.inputs import BAD_NAME, NAME, not_a_date_column
from rules.language.constructs.previous import FIGURE_LABELS, FIGURES

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.constructs.vetoes import CVeto

SECTION = "见 criteria/README.md 2.20"


class PeriodDef(Strict):
    name: Text
    start: dt.date
    end: dt.date
    results: Text | None = None     # the period's results document (assess score --period … --format json)
    scheme: Text | None = None      # the scheme that document must come from (scheme.id)


class Composite(Strict):
    periods: Num
    periods_by: Literal["average", "sum"] = "average"
    year_end: Num
    carry_vetoes: list[Text] = []  # noqa: RUF012 - pydantic copies defaults
    label: Text | None = None


@dataclass(frozen=True)
class CPeriod:
    id: str
    name: str
    start: dt.date
    end: dt.date
    results: str | None
    scheme: str | None
    line: int | None

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class CComposite:
    periods: Decimal          # weight of the period results (0.4 for 40%)
    periods_by: str           # average | sum
    year_end: Decimal         # weight of this scheme's own (year-end) score
    carry: tuple[str, ...]    # veto ids carried from any period to the year
    label: str


LAST = "last_period"   # the period before the one scored (in a year run: the last period)


@dataclass
class CPeriods:
    periods: list[CPeriod]       # in date order
    dates: dict[str, str] = field(default_factory=dict)   # ledger -> its date column
    composite: CComposite | None = None
    year: Period | None = None   # the scheme's own period (scheme.period), kept when it is scored for one period
    last: bool = False           # `last_period.*` is offered (no input, derived value… has that name)
    read_by_expressions: bool = False   # some expression reads a period's results (then a period run reads them)

    def get(self, pid: str) -> CPeriod | None:
        return next((p for p in self.periods if p.id == pid), None)

    def read(self) -> list[CPeriod]:
        """The periods whose results a year run reads."""
        return [p for p in self.periods if p.results is not None]

    def before(self, pid: str) -> list[CPeriod]:
        """The periods (with results) over before period `pid` begins: what a run for `pid` can read."""
        this = self.get(pid)
        return [p for p in self.read() if this is not None and p.end < this.start]

    def last_of(self, pid: str | None) -> CPeriod | None:
        """The period `last_period` stands for: the one just before `pid`, or the last one in a year run."""
        if pid is None:
            return self.periods[-1] if self.periods else None
        this = self.get(pid)
        earlier = [p for p in self.periods if this is not None and p.end < this.start]
        return earlier[-1] if earlier else None

    def names(self) -> dict[str, str]:
        """Every name the period results offer to expressions (Q1.total…, last_period.rank…), with its type."""
        names = {f"{p.id}.{k}": t for p in self.read() for k, t in FIGURES.items()}
        return {**names, **({f"{LAST}.{k}": t for k, t in FIGURES.items()} if self.last else {})}

    def label(self, name: str, pid: str | None = None) -> str | None:
        """How users know a period figure: 第二季度考核结果·名次; `last_period` names the period it is when scoring
        `pid` (None: the year): 上一期（第二季度）考核结果·名次."""
        head, _, figure = name.partition(".")
        if figure not in FIGURE_LABELS:
            return None
        if head == LAST and self.last:
            prev = self.last_of(pid)
            which = f"（{prev.name}）" if prev is not None else ""
            return f"上一期{which}考核结果·{FIGURE_LABELS[figure]}"
        p = self.get(head)
        return f"{p.name}考核结果·{FIGURE_LABELS[figure]}" if p is not None else None

    def of_day(self, day: dt.date) -> CPeriod | None:
        return next((p for p in self.periods if p.holds(day)), None)


def declare_periods(c: Compiler) -> CPeriods | None:
    """The periods and the names their results offer (before any expression is parsed)."""
    if not c.m.periods:
        if c.m.period_dates or c.m.composite is not None:
            key = "period_dates" if c.m.period_dates else "composite"
            c.err((key,), f"写了 {key}，却没有声明各期 periods（{SECTION}）", "periods-form")
        return None
    out: list[CPeriod] = []
    taken = {*c.m.inputs, *c.m.derived, *c.m.previous, "entity", "period", "findings"}
    reserved = {*taken, LAST}
    year = c.m.scheme.period
    for pid, p in c.m.periods.items():
        path = ("periods", pid)
        if not NAME.match(pid) or pid.startswith("_"):
            c.err(path, f"期别编号“{pid}”{BAD_NAME}（--period 和表达式中要用这个编号，{SECTION}）", "bad-id")
            continue
        if pid in reserved:
            c.err(path, f"期别编号“{pid}”与输入、派生值、往期结果或内置名称重名，请换一个（{SECTION}）", "periods-form")
            continue
        if p.start > p.end:
            c.err(path, f"期别 {pid}（{p.name}）的开始日期 {p.start} 晚于结束日期 {p.end}（{SECTION}）",
                  "periods-form")
            continue
        if year is not None and (p.start < year.start or p.end > year.end):
            c.err(path, f"期别 {pid}（{p.name}，{p.start} 至 {p.end}）不在考核时段 scheme.period（{year.start} 至 "
                  f"{year.end}）之内（{SECTION}）", "periods-form")
        clash = next((q for q in out if q.start <= p.end and p.start <= q.end), None)
        if clash is not None:
            c.err(path, f"期别 {pid}（{p.name}）与 {clash.id}（{clash.name}）的日期重叠：一条台账记录只能属于一期（{SECTION}）",
                  "periods-form")
        out.append(CPeriod(pid, p.name, p.start, p.end, p.results, p.scheme, c.smap.line(path)))
    periods = CPeriods(sorted(out, key=lambda p: p.start), year=year, last=LAST not in taken)
    c.scalar_types.update(periods.names())
    return periods


def compile_periods(c: Compiler, periods: CPeriods | None, vetoes: list[CVeto]) -> CPeriods | None:
    """The ledgers' date columns and the composite, checked against the ledgers and the vetoes."""
    if periods is None:
        return None
    used = {n for n in periods.names() if n in c.used}
    periods.read_by_expressions = bool(used)
    lacking = [p.id for p in periods.periods[:-1] if p.results is None]
    if any(n.startswith(f"{LAST}.") for n in used) and lacking:
        c.err(("periods",), f"表达式读取上一期的结果 {LAST}，{'、'.join(lacking)} 却没有写 results（该期结果文件），"
              f"后一期评分时读不到它（{SECTION}）", "periods-form")
    for table, column in c.m.period_dates.items():
        path = ("period_dates", table)
        if c.table_ref(path, table) is None:
            continue
        what = not_a_date_column(c.columns(table), column)
        if what is not None:
            c.err(path, f"台账 {table} 的“{column}”{what}：分期要按日期列分（{SECTION}）", "period-column")
            continue
        periods.dates[table] = column
    m = c.m.composite
    if m is not None:
        periods.composite = _composite(c, periods, m, vetoes)
    return periods


def _composite(c: Compiler, periods: CPeriods, m: Composite, vetoes: list[CVeto]) -> CComposite | None:
    ok = True
    for key in ("periods", "year_end"):
        w = getattr(m, key)
        if w < 0 or w > 1:
            c.err(("composite", key), f"权重 {key} 应在 0 到 100% 之间，实际为 {numbers.percent(Decimal(w))}（如平时40%写 periods: 40%，{SECTION}）",
                  "composite")
            ok = False
    missing = [p.id for p in periods.periods if p.results is None]
    if missing and m.periods > 0:
        c.err(("composite",), f"合成全年总分要读各期的结果，{'、'.join(missing)} 没有写 results（该期结果文件，"
              f"用 assess score --period 该期 --format json 写出；{SECTION}）", "composite")
        ok = False
    ids = {v.id: v for v in vetoes}
    for i, vid in enumerate(m.carry_vetoes):
        v = ids.get(vid)
        if v is None:
            c.err(("composite", "carry_vetoes", i), f"“{vid}”不是本细则的否决项{did_you_mean(vid, list(ids))}："
                  f"带到全年的否决按本细则中同一编号的否决项施加（{SECTION}）", "composite")
            ok = False
        elif v.results:
            c.err(("composite", "carry_vetoes", i), f"否决项 {vid} 读取本单位的考核结果（{'、'.join(sorted(v.results))}），"
                  f"不能带到全年：全年结果另行判定它（{SECTION}）", "composite")
            ok = False
    if not ok:
        return None
    label = m.label or "平时考核与年终考核相结合"
    return CComposite(m.periods, m.periods_by, m.year_end, tuple(m.carry_vetoes), label)


def for_period(scheme: Any, pid: str) -> tuple[Any, str | None]:
    """The scheme scored for one of its periods: its `period` is that period's, its title names it, and it
    reads no period results (they are the year's). Returns (scheme, None) or (None, why not) in Chinese."""
    periods: CPeriods | None = scheme.periods
    if periods is None:
        return None, f"细则 {scheme.meta.id} 没有声明分期 periods，不能按期评分（{SECTION}）"
    p = periods.get(pid)
    if p is None:
        declared = [q.id for q in periods.periods]
        return None, (f"细则 {scheme.meta.id} 中没有期别“{pid}”{did_you_mean(pid, declared)}；"
                      f"已声明的期别：{'、'.join(f'{q.id}（{q.name}）' for q in periods.periods)}")
    meta = scheme.meta.model_copy(update={"period": Period(start=p.start, end=p.end),
                                          "title": f"{scheme.meta.title}（{p.name}）"})
    return replace(scheme, meta=meta, period_id=pid), None

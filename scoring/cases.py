"""Cases files: `<scheme>.cases.yaml` beside `<scheme>.yaml`, written by scheme authors.

Each case gives units' values (as they would be filled in), and the item scores, totals, grades,
reasons, vetoes and problems the author expects. The same cases run in `assess validate` and in
pytest, so a scheme's own examples are its tests.

A cases file may instead carry its own small scheme under the key `criteria:` (the construct cases beside
each module of rules/language/constructs do): then it stands alone, like one of sqlfluff's per-rule YAML files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from common.problems import Problem, Problems, did_you_mean
from intake.assemble import assemble
from intake.dataset import Origin
from intake.raw import Raw, RawTable
from intake.rollup import LowerUnit, lower_unit
from rules.language.constructs.periods import for_period
from rules.language.criteria import compile_criteria
from rules.language.scheme import Scheme
from rules.language.yamlsource import SourceMap, format_path, load_yaml_file
from scoring.events import fmt
from scoring.periods import case_periods
from scoring.pipeline import score_dataset

CASE_KEYS = {"name", "entity", "values", "tables", "findings", "expect", "units", "id", "note", "previous",
             "periods", "period", "rollup"}
EXPECT_KEYS = {"items", "categories", "total", "grade", "rank", "reasons", "vetoes", "problems", "base",
               "bonus", "penalty", "not_applicable", "grade_by_score"}


@dataclass
class CaseResult:
    name: str
    line: int | None
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def cases_path(criteria: Path) -> Path:
    name = criteria.name
    stem = name[:-5] if name.endswith(".yaml") else name[:-4] if name.endswith(".yml") else name
    return criteria.with_name(f"{stem}.cases.yaml")


def _merge(base: dict[str, Any] | None, over: dict[str, Any] | None) -> dict[str, Any]:
    out = dict(base or {})
    out.update(over or {})
    return out


def _cell(v: Any) -> Any:
    if isinstance(v, Decimal):
        return f"{v}"
    if isinstance(v, bool):
        return "是" if v else "否"
    return v


def _build_raw(scheme: Scheme, units: list[dict[str, Any]], file: str) -> Raw:
    raw = Raw()
    ent_rows = [{"id": u["id"], "name": u.get("name", u["id"]), **{k: _cell(v) for k, v in u["entity"].items()}}
                for u in units]
    raw.tables.append(RawTable("entities", "", pd.DataFrame(ent_rows), Origin(file, "entity"),
                               list(range(2, 2 + len(ent_rows)))))
    val_rows = [{"entity": u["id"], **{k: _cell(v) for k, v in u["values"].items()}} for u in units]
    raw.tables.append(RawTable("values", "", pd.DataFrame(val_rows), Origin(file, "values"),
                               list(range(2, 2 + len(val_rows)))))
    for t in scheme.tables:
        rows = [{"entity": u["id"], **{k: _cell(v) for k, v in row.items()}}
                for u in units for row in (u["tables"].get(t) or [])]
        if rows:
            raw.tables.append(RawTable("ledger", t, pd.DataFrame(rows), Origin(file, f"tables.{t}"),
                                       list(range(2, 2 + len(rows)))))
    frows = [{"entity": u["id"], **{k: _cell(v) for k, v in row.items()}} for u in units for row in u["findings"]]
    if frows:
        raw.tables.append(RawTable("findings", "findings", pd.DataFrame(frows), Origin(file, "findings"),
                                   list(range(2, 2 + len(frows)))))
    return raw


def _merge_previous(*layers: Any) -> dict[str, Any]:
    """Earlier figures merged figure by figure (defaults, then the case, then the unit); `last_year: null`
    leaves the unit out of that earlier result."""
    out: dict[str, Any] = {}
    for layer in layers:
        for name, figures in (layer or {}).items():
            out[name] = None if figures is None else {**(out.get(name) or {}), **figures}
    return out


def _previous(scheme: Scheme, units: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]] | None:
    """Earlier results as a case writes them (`previous: {last_year: {rank: 3, grade: 良好}}` per unit); a unit
    that gives none of a declared earlier result is missing from it (as from a results file)."""
    if not scheme.previous:
        return None
    out: dict[str, dict[str, dict[str, Any]]] = {p.name: {} for p in scheme.previous}
    for u in units:
        for name, figures in (u["previous"] or {}).items():
            if name not in out or not isinstance(figures, dict):
                continue
            got = {k: (Decimal(str(v)) if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) else v)
                   for k, v in figures.items()}
            got.setdefault("vetoes", Decimal(0))
            got.setdefault("vetoed", got["vetoes"] > 0)
            out[name][u["id"]] = {k: got.get(k) for k in ("total", "rank", "grade", "units", "vetoed", "vetoes")}
    return out


def _rollups(scheme: Scheme, units: list[dict[str, Any]], file: str, problems: Problems
             ) -> dict[str, list[LowerUnit] | None] | None:
    """Lower results as a case writes them: each unit lists its lower units under `rollup: {counties: [...]}`,
    each like a result of a results document (`{id: c1, name: 北山县, total: 85, grade: 合格, vetoes: [V1],
    items: {A1: 3}, values: {deaths: 2}}`); values left out are blank."""
    if not scheme.rollups:
        return None
    out: dict[str, list[LowerUnit] | None] = {r.name: [] for r in scheme.rollups}
    for u in units:
        for r in scheme.rollups:
            for k, rec in enumerate((u["rollup"] or {}).get(r.name) or []):
                rec = dict(rec) if isinstance(rec, dict) else {}
                if r.by is not None:   # the case lists them under their unit: that is what `by` says
                    rec["fields"] = {r.by: u["id"], **(rec.get("fields") or {})}
                got = lower_unit(rec, r, file, k + 1, complete=False)
                if isinstance(got, str):
                    problems.add(f"案例中单位 {u['id']} 的 rollup.{r.name}[{k}] {got}", file=file, code="rollup-source")
                    continue
                got.higher, got.file, got.path = u["id"], f"{file}·rollup.{r.name}", file
                out[r.name].append(got)  # type: ignore[union-attr]
    return out


def _num_eq(expected: Any, actual: Decimal | None, places: int | None = None) -> bool:
    """Exact, except where the actual value cannot be written out (26/3 = 8.666…): then the author's
    figure is compared at the precision they wrote it. `places` rounds the actual value first (a total
    is compared as reported)."""
    if expected is None or actual is None:
        return expected is None and actual is None
    try:
        want = Decimal(str(expected))
    except ArithmeticError:
        return False
    if places is not None:
        actual = actual.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if want == actual:
        return True
    exponent = actual.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -12:  # a recurring fraction, carried to 28 digits
        wrote = max(0, -want.as_tuple().exponent)  # type: ignore[operator]
        return actual.quantize(Decimal(1).scaleb(-wrote), rounding=ROUND_HALF_UP) == want
    return False


def run_case(scheme: Scheme, case: dict[str, Any], defaults: dict[str, Any], file: str) -> list[str]:
    """Failures of one case (empty when it passes), in Chinese."""
    specs = case.get("units") or [case]
    shared = case if case.get("units") else {}  # with `units:`, the case's own keys apply to each unit
    units = []
    for k, spec in enumerate(specs):
        uid = str(spec.get("id", f"u{k + 1}"))
        units.append({
            "id": uid, "name": spec.get("name", uid),
            "entity": _merge(_merge(defaults.get("entity"), shared.get("entity")), spec.get("entity")),
            "values": _merge(_merge(defaults.get("values"), shared.get("values")), spec.get("values")),
            "tables": _merge(_merge(defaults.get("tables"), shared.get("tables")), spec.get("tables")),
            "findings": spec.get("findings") or shared.get("findings") or defaults.get("findings") or [],
            "previous": _merge_previous(defaults.get("previous"), shared.get("previous"), spec.get("previous")),
            "periods": _merge_previous(defaults.get("periods"), shared.get("periods"), spec.get("periods")),
            "rollup": _merge(_merge(defaults.get("rollup"), shared.get("rollup")), spec.get("rollup")),
            "expect": _merge(shared.get("expect"), spec.get("expect")),
        })
    problems = Problems()
    if case.get("period") is not None:   # scored for one of the scheme's periods (2.20)
        scheme, why = for_period(scheme, str(case["period"]))
        if scheme is None:
            return [f"案例的 period 有误：{why}"]
    raw = _build_raw(scheme, units, file)
    raw.previous = _previous(scheme, units)
    raw.periods = case_periods(scheme, units)
    raw.rollups = _rollups(scheme, units, file, problems)
    data = assemble(scheme, raw, problems)
    failures: list[str] = []
    expected_problems = [str(x) for u in units for x in (u["expect"].get("problems") or [])]
    if data is None:
        errors = [p.render() for p in problems.errors]
        unexpected = [e for e in errors if not any(x in e for x in expected_problems)]
        if unexpected or not expected_problems:
            return ["案例数据有误：" + "；".join(errors)]
        return []
    for p in problems.items:
        if p.code == "unknown-column":
            failures.append(f"案例数据中的“{p.column}”不是细则中的输入或台账列{_hint(p.message)}")
    results = score_dataset(scheme, data, problems)
    rendered = [p.render() for p in problems.items]
    for u in units:
        exp = u["expect"]
        r = results.unit(u["id"])
        who = f"单位{u['id']}：" if len(units) > 1 else ""
        for want in exp.get("problems") or []:
            if not any(str(want) in p for p in rendered):
                failures.append(f"{who}应报告问题“{want}”，实际问题：{rendered or '无'}")
        if r is None:
            if set(exp) - {"problems"}:
                failures.append(f"{who}未被计分：{'；'.join(rendered)}")
            continue
        for item, want in (exp.get("items") or {}).items():
            if item not in r.items:
                failures.append(f"{who}项目“{item}”不存在")
            elif not _num_eq(want, r.items[item]):
                got = "不适用(null)" if r.items[item] is None else fmt(r.items[item])
                failures.append(f"{who}项目{item}应得{want}分，实际{got}分" + _why(r, item))
        for cat, want in (exp.get("categories") or {}).items():
            if not _num_eq(want, r.categories.get(cat)):
                failures.append(f"{who}分类{cat}应得{want}分，实际{fmt(r.categories.get(cat))}分")
        places = scheme.meta.decimals
        for key, actual in (("total", r.total), ("base", r.base), ("bonus", r.bonus), ("penalty", r.penalty)):
            if key in exp and not _num_eq(exp[key], actual, places):  # as reported, like the total
                label = {"total": "总分", "base": "基础分", "bonus": "加分", "penalty": "扣分项"}[key]
                exact = f"（精确值{fmt(r.total_exact)}）" if key == "total" else ""
                failures.append(f"{who}{label}应为{exp[key]}，实际为{fmt(actual)}{exact}")
        if "grade" in exp and exp["grade"] != r.grade:
            failures.append(f"{who}等次应为{exp['grade']}，实际为{r.grade}（{'；'.join(r.grade_notes) or '按分数'}）")
        if "grade_by_score" in exp and exp["grade_by_score"] != r.grade_by_score:
            failures.append(f"{who}按分数的等次应为{exp['grade_by_score']}，实际为{r.grade_by_score}")
        if "rank" in exp and exp["rank"] != r.rank:
            failures.append(f"{who}名次应为{exp['rank']}，实际为{r.rank}")
        for item, wants in (exp.get("reasons") or {}).items():
            texts = [e.reason for e in r.events if e.item == item or (item and e.rule.startswith(f"{item}"))]
            for want in wants if isinstance(wants, list) else [wants]:
                if not any(str(want) in t for t in texts):
                    failures.append(f"{who}项目{item}的扣分说明中应含“{want}”，实际：{texts or '无'}")
        if "vetoes" in exp:
            vetoes = sorted(v["id"] for v in r.vetoes)
            if sorted(map(str, exp["vetoes"] or [])) != vetoes:
                failures.append(f"{who}否决项应为{exp['vetoes']}，实际为{vetoes}")
        if "not_applicable" in exp:
            na = sorted(r.not_applicable)
            if sorted(map(str, exp["not_applicable"] or [])) != na:
                failures.append(f"{who}不适用项目应为{exp['not_applicable']}，实际为{na}")
    return failures


def _hint(message: str) -> str:
    start = message.find("（是否指")
    return message[start:message.find("）", start) + 1] if start >= 0 else ""


def _why(r: Any, item: str) -> str:
    evs = [f"{fmt(e.points)}：{e.reason}" for e in r.events if e.item == item]
    na = r.not_applicable.get(item)
    if na:
        return f"（{na}）"
    return f"（事件：{'；'.join(evs)}）" if evs else "（无扣分事件）"


INLINE = "criteria"  # the key of a scheme written inside a cases file


def inline_scheme(data: Any, smap: SourceMap, problems: Problems) -> Scheme | None:
    """The scheme written under `criteria:` in a cases file, compiled with its problems located in that file."""
    inner = SourceMap(smap.file)
    inner.lines = {p[1:]: line for p, line in smap.lines.items() if p[:1] == (INLINE,)}
    return compile_criteria(data, inner, problems)


def has_inline_scheme(path: Path) -> bool:
    """Whether a cases file carries its own scheme (a cheap look at its text, for collecting files)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.startswith(f"{INLINE}:") for line in text.splitlines())


def run_cases_file(scheme: Scheme | None, path: Path, problems: Problems) -> list[CaseResult]:
    """Run every case of a cases file against `scheme`, or against the file's own scheme when None."""
    data, smap = load_yaml_file(path, problems)
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        problems.add("案例文件应包含 cases 列表", file=smap.file, line=1, code="cases-schema")
        return []
    if scheme is None:
        if INLINE not in data:
            problems.add(f"案例文件旁边没有同名的考核细则，文件中也没有 {INLINE}:（案例所用的细则）", file=smap.file,
                         line=1, code="cases-schema")
            return []
        scheme = inline_scheme(data[INLINE], smap, problems)
        if scheme is None:
            return []
    defaults = data.get("defaults") or {}
    for key in set(data) - {"defaults", "cases", "scheme", INLINE}:
        problems.add(f"案例文件中未知的键“{key}”", file=smap.file, line=smap.line((key,)), code="cases-schema")
    out = []
    for i, case in enumerate(data["cases"]):
        line = smap.line(("cases", i))
        name = str(case.get("name", f"cases[{i}]")) if isinstance(case, dict) else f"cases[{i}]"
        if not isinstance(case, dict):
            problems.add("每个案例应为键值映射", file=smap.file, line=line, code="cases-schema")
            continue
        bad = _unknown_keys(case, smap, ("cases", i))
        if bad:
            problems.extend(bad)
            out.append(CaseResult(name, line, [p.message for p in bad]))  # counted as failed
            continue
        try:
            failures = run_case(scheme, case, defaults, f"{smap.file}:{line}")
        except Exception as exc:  # a case must never crash validation of the others
            failures = [f"运行出错：{exc.__class__.__name__}: {exc}"]
        res = CaseResult(name, line, failures)
        out.append(res)
        for f in failures:
            problems.add(f"案例“{name}”：{f}", file=smap.file, line=line, code="case-failed")
    return out


def _unknown_keys(case: dict[str, Any], smap: SourceMap, path: tuple[str | int, ...]) -> list[Problem]:
    out = []
    for k in sorted(set(case) - CASE_KEYS):
        out.append(Problem(f"案例中未知的键“{k}”{did_you_mean(k, sorted(CASE_KEYS))}（可用：{'、'.join(sorted(CASE_KEYS))}）",
                           file=smap.file,
                           line=smap.line((*path, k)), key=format_path(path), code="cases-schema"))
    exp = case.get("expect") or {}
    if isinstance(exp, dict):
        for k in sorted(set(exp) - EXPECT_KEYS):
            out.append(Problem(f"expect 中未知的键“{k}”{did_you_mean(k, sorted(EXPECT_KEYS))}"
                               f"（可用：{'、'.join(sorted(EXPECT_KEYS))}）", file=smap.file,
                               line=smap.line((*path, "expect", k)), key=format_path((*path, "expect")),
                               code="cases-schema"))
    return out

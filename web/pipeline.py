"""The web's adapter to the pipeline: the same functions assess.py calls (scoring.pipeline.check/run,
selfcheck, reports, intake writers), on folders the web assembles from what is stored. Nothing here scores.

Folders the pipeline reads are made under instance/work/ with generated names and removed afterwards."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from common.formulas import csv_row
from common.problems import Problem, Problems
from intake import register_only
from intake.annotate import annotate
from intake.csvout import csv_text
from intake.workbook import unit_book_names, write_unit_books
from reports.problems import Located, locate
from reports.selfcheckreport import selfcheck_document, selfcheck_table
from rules.language.criteria import load_criteria
from rules.language.scheme import Scheme
from scoring.pipeline import Results, check, run
from selfcheck.check import selfcheck


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="w-", dir=Path(settings.INSTANCE) / "work"))


def problem_dict(p: Problem, rule: str | None = None, shown: Callable[[str], str] = str) -> dict[str, Any]:
    d = p.as_dict()
    if p.file:
        d["file"] = shown(p.file)
    d["where"] = "·".join(x for x in (d.get("file"), p.sheet, f"第{p.row}行" if p.row else None,
                                      f"“{p.column}”列" if p.column else None) if x)
    if p.line is not None:
        d["where"] = f"{d.get('file', '')}:{p.line}"
    if rule:
        d["rule"] = rule
    return d


# -- schemes and rosters


def validate_scheme(content: bytes, shown_name: str) -> tuple[Scheme | None, list[dict[str, Any]]]:
    """Load a criteria file as `assess validate` does; every problem with its line, the file shown by name."""
    problems = Problems()
    tmp = workdir()
    try:
        path = tmp / "scheme.yaml"
        path.write_bytes(content)
        scheme = load_criteria(path, problems, display=shown_name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    items = sorted(problems.items, key=lambda p: (p.level != "error", p.line or 0))
    return scheme, [problem_dict(p, shown=lambda _f: shown_name) for p in items]


def read_roster(scheme_path: Path, content: bytes, suffix: str, shown_name: str
                ) -> tuple[list[tuple[str, str]] | None, list[dict[str, Any]]]:
    """The (id, name) of every unit in a roster (entities.csv or a workbook with 单位名册), or its problems."""
    problems = Problems()
    scheme = load_criteria(scheme_path, problems)
    if scheme is None:
        return None, [problem_dict(p) for p in problems.items]
    tmp = workdir()
    try:
        path = tmp / f"entities{suffix}"
        path.write_bytes(content)
        data = register_only(scheme, path, problems)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    shown = [problem_dict(p, shown=lambda _f: shown_name) for p in problems.items]
    if data is None:
        return None, shown
    return [(u, data.names.get(u, u)) for u in data.ids], shown


def prefilled_book(scheme_path: Path, roster: bytes, suffix: str, entity: str, deadline: str | None) -> bytes:
    """The unit's pre-filled workbook, written by the intake template writer (as `assess template -e`)."""
    problems = Problems()
    scheme = load_criteria(scheme_path, problems)
    if scheme is None:
        raise ValueError("scheme does not load")
    tmp = workdir()
    try:
        path = tmp / f"entities{suffix}"
        path.write_bytes(roster)
        data = register_only(scheme, path, problems)
        if data is None or entity not in data.ids:
            raise ValueError(f"{entity} not in the roster")
        data.ids = [entity]
        out = tmp / "out"
        out.mkdir()
        write_unit_books(scheme, data, out, deadline=deadline or None)
        return (out / unit_book_names(data)[entity]).read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def roster_cut(scheme_path: Path, roster: bytes, suffix: str, units: set[str]) -> str:
    """The round's roster cut to these units, as the text of an entities.csv (units in the roster's order)."""
    problems = Problems()
    scheme = load_criteria(scheme_path, problems)
    if scheme is None:
        raise ValueError("the round's scheme does not load")
    tmp = workdir()
    try:
        path = tmp / f"entities{suffix}"
        path.write_bytes(roster)
        data = register_only(scheme, path, problems)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if data is None or not units <= set(data.ids):
        raise ValueError(f"not in the round's roster: {sorted(units - set(data.ids if data else []))}")
    fields = scheme.entity_fields
    rows = [["id", "name", *fields],
            *([u, data.names.get(u, u), *(csv_text(data.fields.get(u, {}).get(f), "str") for f in fields)]
              for u in data.ids if u in units)]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(csv_row(r) for r in rows)
    return buf.getvalue()


def write_unit_register(scheme_path: Path, roster: bytes, suffix: str, entity: str, data_dir: Path) -> None:
    """Put the round's roster, cut to this one unit, beside an upload that brings none: the intake then knows
    which unit's data to expect (and says so when the workbook is of another unit or its locked name was
    changed), as `assess check` does with the folder 单位名册.xlsx made by `assess template`."""
    if any((data_dir / name).exists() for name in ("entities.csv", "单位名册.xlsx")):
        return   # the unit brought its own register: the check reads that (and says if it holds other units)
    text = roster_cut(scheme_path, roster, suffix, {entity})
    (data_dir / "entities.csv").write_text(text, encoding="utf-8-sig")


# -- one unit's submission


@dataclass
class Outcome:
    clean: bool
    problems: list[dict[str, Any]]
    errors: int
    warnings: int
    selfcheck: dict[str, Any] | None = None
    selfcheck_text: str = ""
    total: str = ""
    grade: str = ""
    annotated: bytes | None = None
    book: bytes | None = None          # the unit's workbook for the round (clean CSV uploads: converted)
    seconds: float = 0.0
    extra: list[str] = field(default_factory=list)


def _zip_folder(folder: Path, shown: Callable[[str], str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.iterdir()):
            zf.write(p, arcname=Path(shown(str(p))).name if p.name == "unit.xlsx" else p.name)
    return buf.getvalue()


def check_submission(scheme_path: Path, data_dir: Path, entity: str, shown: Callable[[str], str]) -> Outcome:
    """`assess check` then, when clean, `assess selfcheck` on one unit's upload."""
    started = time.perf_counter()
    checked = check(scheme_path, data_dir, scorers_records=False)   # the scorers report on the server
    scheme = checked.scheme
    if scheme is None:
        raise ValueError("the round's scheme does not load")
    located: list[Located] = locate(checked)
    data = checked.data
    if any(x.problem.code == "unknown-unit" for x in located):   # the register beside it holds this unit only
        located.insert(0, Located(Problem(f"上传的数据中含有其他单位：本账号只能报送单位 {entity} 的数据；"
                                          "请下载本单位的预填工作簿填报", code="web-wrong-unit")))
    elif data is not None and data.ids != [entity]:
        others = [f"{u}（{data.names.get(u, '')}）" for u in data.ids if u != entity]
        msg = ("数据中没有本单位" if entity not in data.ids else "数据中含有其他单位") + \
              f"：本账号只能报送单位 {entity} 的数据" + (f"，请删去 {'、'.join(others)}" if others else "") + \
              "；请下载本单位的预填工作簿填报"
        located.insert(0, Located(Problem(msg, code="web-wrong-unit")))
    errors = [x for x in located if x.problem.level == "error"]
    out = Outcome(clean=not errors and checked.results is not None and data is not None,
                  problems=[problem_dict(x.problem, x.rule, shown) for x in located],
                  errors=len(errors), warnings=len(located) - len(errors))
    if errors and checked.raw is not None:
        tmp = workdir()
        try:
            annotate([x.problem for x in located if x.problem.file], checked.raw, scheme, tmp / "out")
            out.annotated = _zip_folder(tmp / "out", shown)
        except (ValueError, OSError) as e:   # an unreadable workbook cannot be marked; the list above still says all
            out.extra.append(f"无法生成标注工作簿：{e}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if out.clean and data is not None:
        problems = Problems()
        sc = selfcheck(scheme, data, entity, problems)
        if sc is None:
            out.clean = False
            out.problems += [problem_dict(p, shown=shown) for p in problems.errors]
            out.errors += len(problems.errors)
        else:
            out.selfcheck = selfcheck_document(sc)
            out.selfcheck_text = selfcheck_table(sc)
            out.total = str(out.selfcheck["total"])
            out.grade = str(out.selfcheck["grade"] or "")
            out.book = _book_of(scheme, data, data_dir, entity)
    out.seconds = time.perf_counter() - started
    return out


def _book_of(scheme: Scheme, data: Any, data_dir: Path, entity: str) -> bytes:
    book = data_dir / "unit.xlsx"
    if book.exists():
        return book.read_bytes()
    tmp = workdir()
    try:
        write_unit_books(scheme, data, tmp)
        return (tmp / unit_book_names(data)[entity]).read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -- the round: every unit's latest clean workbook + the roster + the scorers' records


FINDINGS_HEADER = ["entity", "考核项目", "扣分", "得分", "事由", "评分单位", "依据"]


@dataclass
class RoundInput:
    scheme_path: Path
    roster: bytes
    roster_file: str                      # entities.csv | 单位名册.xlsx
    books: list[Path]                     # latest clean workbooks, one per unit that has one
    findings: list[list[str]]             # rows under FINDINGS_HEADER
    units: set[str] = field(default_factory=set)   # the units the books are for
    with_roster: bool = True              # False: provisional, over the units that have submitted only


def assemble_round(inp: RoundInput, folder: Path) -> Path:
    """The round as one data set folder. Without the roster, the units are those whose workbooks are there
    (each workbook's 单位信息 sheet): a provisional ranking ranks the units that have submitted; with it,
    a unit that has not is an error, as `assess score` says for a missing unit."""
    if inp.with_roster:
        (folder / inp.roster_file).write_bytes(inp.roster)
    elif inp.units:   # the roster cut to the units that have submitted: nobody else is expected yet
        text = roster_cut(inp.scheme_path, inp.roster, Path(inp.roster_file).suffix, inp.units)
        (folder / "entities.csv").write_text(text, encoding="utf-8-sig")
    for i, book in enumerate(inp.books):
        shutil.copyfile(book, folder / f"{i:04d}.xlsx")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FINDINGS_HEADER)
    w.writerows(inp.findings if inp.with_roster else [r for r in inp.findings if r[0] in inp.units])
    (folder / "findings.csv").write_text(buf.getvalue(), encoding="utf-8")
    return folder


def score_round(inp: RoundInput) -> tuple[Results | None, list[dict[str, Any]]]:
    """`assess score` over the round as it stands; problems (with file names as the office sees them)."""
    tmp = workdir()
    try:
        assemble_round(inp, tmp)
        problems = Problems()
        results = run(inp.scheme_path, tmp, problems)
        shown = [problem_dict(p, shown=lambda f: Path(f).name) for p in problems.items if p.line is None]
        return (None if problems.blocking else results), shown
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report_files(results: Results) -> dict[str, bytes]:
    """The published documents, built exactly as `assess report` builds them."""
    from reports.html import render_html
    from reports.notice import notice_markdown
    from reports.noticedocx import notice_docx
    from reports.xlsx import build_workbook

    return {
        "results.xlsx": build_workbook(results),
        "report.html": render_html(results).encode("utf-8"),
        "通报.md": notice_markdown(results).encode("utf-8"),
        "通报.docx": notice_docx(results),
    }


def unit_results(results: Results) -> dict[str, dict[str, Any]]:
    """Each unit's total, rank, grade and `assess explain` text, as published."""
    from reports.explain import explain_unit
    from scoring.events import fmt_fixed

    places = results.scheme.meta.decimals
    return {r.entity: {"name": r.name, "total": fmt_fixed(r.total, places), "rank": r.rank, "grade": r.grade,
                       "explain": explain_unit(results, r)} for r in results.units}


def ranking(results: Results) -> tuple[list[str], list[list[str]]]:
    from reports.tables import ranking_rows

    return ranking_rows(results)


def explain(results: Results, entity: str) -> str | None:
    from reports.explain import explain_unit

    r = results.unit(entity)
    return None if r is None else explain_unit(results, r)


def assessed_items(scheme_path: Path) -> list[tuple[str, str, str]]:
    """(item id, name, mode) of every item a scorer assesses (`assessed:` in the scheme)."""
    problems = Problems()
    scheme = load_criteria(scheme_path, problems)
    if scheme is None:
        return []
    return [(i.id, i.name, i.assessed.mode) for i in scheme.items if i.assessed is not None]


def warn_round(inp: RoundInput, as_of: Any) -> tuple[Any, list[dict[str, Any]]]:
    """`assess warn` over the round as it stands (the units' latest clean submissions) as of a date: the
    warnings (alerts.model.Warnings, or None when the date or the data block them) and the problems."""
    from alerts.run import run_warnings

    tmp = workdir()
    try:
        assemble_round(inp, tmp)
        problems = Problems()
        w = run_warnings(inp.scheme_path, tmp, as_of, problems)
        shown = [problem_dict(p, shown=lambda f: Path(f).name) for p in problems.items if p.line is None
                 or p.code == "warn-date"]
        return (None if problems.blocking else w), shown
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

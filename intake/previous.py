"""Earlier results as input (`previous:` in a scheme; criteria/README.md 2.18): read each declared results
document, check it is one this tool wrote for the declared scheme, and give every unit of this run its earlier
total, rank, grade and vetoes, matched by unit id.

Every refusal is an error at the scheme's `previous` line naming the file (and the unit): an unreadable file,
a document of another scheme, a unit of this run missing from it. Never a default: a unit without its earlier
result cannot be scored as if it had one.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from common.problems import Problems
from intake.resultsfile import WRITTEN_BY, read_results_doc
from rules.language.constructs.previous import CPrevious
from rules.language.scheme import Scheme

# unit -> figure (total, rank, grade, units, vetoed, vetoes; and VETO_IDS) -> value
Earlier = dict[str, dict[str, Any]]
VETO_IDS = "veto_ids"   # the ids of the vetoes hit (a period's carried to the year); not read by expressions


def _say(p: CPrevious, path: Path) -> str:
    return f"{p.kind} {p.name}（{p.label}，文件 {path}）"


def _read(p: CPrevious, path: Path, problems: Problems, file: str, files: dict[str, str]) -> dict[str, Any] | None:
    def fail(what: str) -> None:
        problems.add(f"{_say(p, path)}{what}", file=file, line=p.line, code="previous-file")

    got = read_results_doc(path, fail, files, f"请把文件放到细则所在文件夹下的相应位置，或改正 {p.key}（相对于细则文件所在的文件夹）")
    if got is None:
        return None
    doc, _ = got
    if p.scheme is not None and doc["scheme"] != p.scheme:
        fail(f"出自细则“{doc['scheme']}”，而 previous 要求出自“{p.scheme}”；请核对是否拿错了文件")
        return None
    return doc


def _figures(r: dict[str, Any], units: int) -> dict[str, Any] | None:
    try:
        total = Decimal(str(r["total"])) if r.get("total") is not None else None
        rank = r.get("rank")
        vetoes = r.get("vetoes") or []
        if rank is not None and (not isinstance(rank, int) or isinstance(rank, bool)):
            return None
        if not isinstance(vetoes, list):
            return None
    except (InvalidOperation, KeyError, TypeError, ValueError):
        return None
    grade = r.get("grade")
    ids = [str(v["id"]) for v in vetoes if isinstance(v, dict) and "id" in v]
    return {"total": total, "rank": Decimal(rank) if rank is not None else None,
            "grade": grade if isinstance(grade, str) else None, "units": Decimal(units),
            "vetoed": bool(vetoes), "vetoes": Decimal(len(vetoes)), VETO_IDS: ids}


def read_previous(scheme: Scheme, problems: Problems, files: dict[str, str],
                  sources: list[CPrevious] | None = None, periods: dict[str, str] | None = None
                  ) -> dict[str, Earlier] | None:
    """Every declared earlier result (or those of `sources`), per unit; None when one cannot be read (the
    errors are in `problems`). `files` gets the sha256 of each file read. `periods`: source -> the period id
    its document must carry (a period's results, constructs/periods.py)."""
    out: dict[str, Earlier] = {}
    ok = True
    for p in scheme.previous if sources is None else sources:
        path = Path(scheme.file).parent / p.file
        doc = _read(p, path, problems, scheme.file, files)
        if doc is None:
            ok = False
            continue
        want = (periods or {}).get(p.name)
        got = doc.get("period", {}).get("id") if isinstance(doc.get("period"), dict) else None
        if want is not None and got is not None and got != want:
            problems.add(f"{_say(p, path)}是期别 {got} 的结果，不是期别 {want} 的；请核对是否拿错了文件",
                         file=scheme.file, line=p.line, code="previous-file")
            ok = False
            continue
        rows = [r for r in doc["results"] if isinstance(r, dict) and isinstance(r.get("entity"), str)]
        units = sum(1 for r in rows if isinstance(r.get("rank"), int))
        earlier: Earlier = {}
        for k, r in enumerate(rows):
            figures = _figures(r, units)
            if figures is None:
                problems.add(f"{_say(p, path)}的 results[{k}]（单位 {r['entity']}）写法不对；{WRITTEN_BY}",
                             file=scheme.file, line=p.line, code="previous-file")
                ok = False
                continue
            earlier[r["entity"]] = figures
        out[p.name] = earlier
    return out if ok else None


def attach_previous(scheme: Scheme, ids: list[str], names: dict[str, str], values: dict[str, dict[str, Any]],
                    earlier: dict[str, Earlier] | None, problems: Problems, sources: list[CPrevious] | None = None,
                    veto_ids: dict[str, dict[str, list[str]]] | None = None,
                    periods: dict[str, str] | None = None) -> dict[str, str]:
    """Give every unit its earlier figures (`values[unit]["last_year.rank"]`), matched by id; a unit missing
    from an earlier result is an error naming it. Returns the files read, with their sha256. `sources`: read
    these instead of the scheme's `previous`; `veto_ids` gets unit -> source -> the ids of its vetoes."""
    files: dict[str, str] = {}
    sources = scheme.previous if sources is None else sources
    if not sources:
        return files
    if earlier is None:
        earlier = read_previous(scheme, problems, files, sources, periods)
        if earlier is None:
            return files
    for p in sources:
        got = earlier.get(p.name, {})
        missing = [u for u in ids if u not in got]
        if ids and len(missing) == len(ids) and got:
            # not one unit of this run in it: a file of other units (another scheme, another level), said once
            problems.add(f"{_say(p, Path(scheme.file).parent / p.file)}中一个本次考核的单位都没有（它有 {len(got)} 个单位，"
                         f"如 {next(iter(got))}）：是否拿错了文件？往期结果按单位编号对应；可在 previous 中写 scheme: 细则编号，"
                         "防止拿错（见 criteria/README.md 2.18）", file=scheme.file, line=p.line, code="previous-unit")
            continue
        for u in missing:
            problems.add(f"{_say(p, Path(scheme.file).parent / p.file)}中没有单位 {u}（{names.get(u, u)}）："
                         "往期结果按单位编号对应；请核对编号是否改过、文件是否为同一批单位的结果",
                         file=scheme.file, line=p.line, entity=u, code="previous-unit")
        for u in ids:
            for figure, value in got.get(u, {}).items():
                if figure == VETO_IDS:
                    if veto_ids is not None:
                        veto_ids.setdefault(u, {})[p.name] = list(value or [])
                    continue
                values.setdefault(u, {})[f"{p.name}.{figure}"] = value
    return files

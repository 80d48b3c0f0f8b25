"""Freezing a round's run at publication: the scheme, the round's data folder (roster, every unit's workbook,
the scorers' records), the results document stamped with its run record, and the reports — written once into
instance/published/<folder>/ (read-only files) and recorded in FrozenRun with every sha256.

The run is scored from that folder, at its final path, so `assess verify <folder>/results.json` (which reads the
recorded paths) re-scores exactly what was published and must reproduce results.json byte for byte."""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from common.problems import Problems
from results.document import to_json
from results.runrecord import stamp
from results.verify import Verification, verify
from scoring.pipeline import Results, run
from web.pipeline import RoundInput, assemble_round, problem_dict, report_files, unit_results

RESULTS = "results.json"
SCHEME = "scheme.yaml"
DATA = "data"
MANIFEST = "manifest.json"


@dataclass
class Frozen:
    folder: str
    run_time: str
    scheme_sha256: str
    inputs: dict[str, str]          # path under the folder -> sha256
    documents: dict[str, bytes]     # results.json, the reports, units.json
    results_json: str


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def freeze(inp: RoundInput, scheme_text: str, round_id: int, number: int, units_doc: str
           ) -> tuple[Frozen | None, list[dict[str, Any]]]:
    """Score the round from its permanent folder; None and the problems when it cannot be scored (the folder is
    then removed: nothing half-written stays)."""
    name = f"r{round_id}-n{number}-{secrets.token_hex(6)}"
    folder = Path(settings.INSTANCE) / "published" / name
    (folder / DATA).mkdir(parents=True)
    try:
        scheme_path = folder / SCHEME
        scheme_path.write_text(scheme_text, encoding="utf-8")
        assemble_round(RoundInput(scheme_path, inp.roster, inp.roster_file, inp.books, inp.findings,
                                  inp.units, with_roster=True), folder / DATA)
        problems = Problems()
        results = run(scheme_path, folder / DATA, problems)
        if results is None or problems.blocking:
            shutil.rmtree(folder, ignore_errors=True)
            shown = [problem_dict(p, shown=lambda f: Path(f).name) for p in problems.items if p.line is None]
            return None, shown or [{"level": "error", "message": "本轮无法评分", "where": ""}]
        run_time = timezone.localtime().isoformat(timespec="seconds")
        stamp(results, scheme_path, folder / DATA, run_time)
        text = to_json(results)
        docs = {RESULTS: text.encode("utf-8"), **report_files(results),
                units_doc: json.dumps(unit_results(results), ensure_ascii=False).encode("utf-8")}
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    inputs = {str(p.relative_to(folder)): _sha(p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}
    for fname, content in docs.items():
        (folder / fname).write_bytes(content)
    manifest = {"round": round_id, "run": number, "time": run_time, "inputs": inputs,
                "documents": {k: _sha(v) for k, v in docs.items()}}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for p in folder.rglob("*"):
        if p.is_file():
            p.chmod(0o444)
    return Frozen(name, run_time, _sha(scheme_text.encode("utf-8")), inputs, docs, text), []


def reverify(folder: Path, published: str) -> tuple[Verification | None, list[str]]:
    """`assess verify` on a frozen folder: re-score its scheme and data, compare with what was published."""
    problems = Problems()
    results: Results | None = run(folder / SCHEME, folder / DATA, problems)
    if results is None:
        return None, [p.render() for p in problems.errors]
    return verify(published, results, folder / SCHEME, folder / DATA), []

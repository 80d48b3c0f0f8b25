"""Creating a round (scheme validated, roster read), moving it on, publishing its documents."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from web.pipeline import RoundInput, read_roster, validate_scheme
from web.rounds.freeze import freeze
from web.rounds.models import NEXT_STATE, FrozenRun, Publication, RosterEntry, Round, SchemeFile, State

UNITS_DOC = "units.json"   # each unit's own result, shown to that unit only after publication
ROSTER_SUFFIXES = {b"PK\x03\x04": ".xlsx"}


@dataclass
class Created:
    round: Round | None
    scheme_problems: list[dict[str, Any]] = field(default_factory=list)
    roster_problems: list[dict[str, Any]] = field(default_factory=list)


def stored_scheme(content: bytes, name: str, user: Any) -> tuple[SchemeFile | None, list[dict[str, Any]]]:
    """The scheme as stored (an identical file already stored is reused), or its problems."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None, [{"level": "error", "message": "考核细则文件不是 UTF-8 编码的文本：请用 UTF-8 另存后上传",
                       "where": name, "code": "web-scheme-encoding"}]
    scheme, problems = validate_scheme(content, name)
    if scheme is None:
        return None, problems
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = SchemeFile.objects.filter(sha256=sha).first()
    if existing is not None:
        return existing, problems
    sf = SchemeFile(name=name[:200], content=text, scheme_id=scheme.meta.id, title=scheme.meta.title, uploaded_by=user)
    sf.save()
    return sf, problems


def create_round(name: str, scheme_content: bytes, scheme_name: str, roster: bytes, roster_name: str,
                 deadline: str, user: Any) -> Created:
    sf, scheme_problems = stored_scheme(scheme_content, scheme_name, user)
    if sf is None:
        return Created(None, scheme_problems)
    suffix = ROSTER_SUFFIXES.get(roster[:4], ".csv")
    entries, roster_problems = read_roster(sf.path(), roster, suffix, roster_name)
    if entries is None:
        return Created(None, scheme_problems, roster_problems)
    with transaction.atomic():
        rnd = Round.objects.create(
            name=name, scheme=sf, deadline=deadline, roster_name=roster_name[:200], roster_suffix=suffix,
            roster_content=roster, roster_sha256=hashlib.sha256(roster).hexdigest(), created_by=user)
        RosterEntry.objects.bulk_create(
            [RosterEntry(round=rnd, position=i, entity_id=e, name=n) for i, (e, n) in enumerate(entries)])
    return Created(rnd, scheme_problems, roster_problems)


def round_input(rnd: Round, *, provisional: bool = False) -> RoundInput:
    """What the round's scoring reads. Provisional: the units with a clean submission only (the ranking the
    office watches while units submit); final: the whole roster (publication)."""
    from web.evidence.required import deduction_rows
    from web.findings.models import Finding
    from web.submissions.services import latest_clean

    clean = latest_clean(rnd)
    books = [s.book_path() for _e, s in sorted(clean.items())]
    findings = [[f.entity_id, f.item_id, "" if f.deduct is None else format(f.deduct.normalize(), "f"),
                 "" if f.score is None else format(f.score.normalize(), "f"), f.reason, f.scorer_name, f.basis_text()]
                for f in Finding.objects.filter(round=rnd).order_by("entity_id", "item_id", "id")]
    findings += deduction_rows(rnd)   # a required attachment missing where the scheme says it deducts
    return RoundInput(rnd.scheme.path(), bytes(rnd.roster_content), rnd.roster_file_name(), books, findings,
                      units=set(clean), with_roster=not provisional)


def advance(rnd: Round, user: Any = None) -> list[dict[str, Any]]:
    """Move the round to its next state. Publishing freezes the run first (web/rounds/freeze.py): when the round
    cannot be scored, it stays where it is and the problems are returned."""
    nxt = NEXT_STATE.get(State(rnd.state))
    if nxt is None:
        return []
    if nxt == State.PUBLISHED:
        return _publish(rnd, user)
    rnd.state = nxt
    rnd.save(update_fields=["state"])
    return []


def _publish(rnd: Round, user: Any) -> list[dict[str, Any]]:
    def publish(run: FrozenRun, documents: dict[str, bytes]) -> None:
        for fname, content in documents.items():
            Publication.objects.create(round=rnd, name=fname, content=content,
                                       sha256=hashlib.sha256(content).hexdigest())
        rnd.state = State.PUBLISHED
        rnd.published_at = timezone.now()
        rnd.save(update_fields=["state", "published_at"])

    _run, problems = freeze_run(rnd, user, "发布", publish)
    return problems


def freeze_run(rnd: Round, user: Any, note: str,
               also: Callable[[FrozenRun, dict[str, bytes]], None] | None = None
               ) -> tuple[FrozenRun | None, list[dict[str, Any]]]:
    """Score the round as it now stands into a new frozen run (publication, or a correction after an appeal);
    `also` runs in the same transaction. None and the problems when the round cannot be scored."""
    number = FrozenRun.objects.filter(round=rnd).count() + 1
    frozen, problems = freeze(round_input(rnd), rnd.scheme.content, rnd.pk, number, UNITS_DOC)
    if frozen is None:
        return None, problems
    try:
        with transaction.atomic():
            run = FrozenRun.objects.create(
                round=rnd, number=number, frozen_by=user, folder=frozen.folder, run_time=frozen.run_time,
                scheme_sha256=frozen.scheme_sha256, inputs=frozen.inputs, results_json=frozen.results_json,
                documents={k: hashlib.sha256(v).hexdigest() for k, v in frozen.documents.items()},
                results_sha256=hashlib.sha256(frozen.results_json.encode("utf-8")).hexdigest(),
                units_json=frozen.documents[UNITS_DOC].decode("utf-8"), note=note[:200])
            if also is not None:
                also(run, frozen.documents)
    except BaseException:
        discard_folder(frozen.folder)
        raise
    return run, []


def discard_folder(folder: str) -> None:
    """A frozen folder whose run was not recorded (the transaction failed): nothing half-published stays."""
    import shutil
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.INSTANCE) / "published" / folder
    for p in path.rglob("*"):
        p.chmod(0o644)
    shutil.rmtree(path, ignore_errors=True)

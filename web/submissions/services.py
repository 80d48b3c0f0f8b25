"""Taking a unit's upload: refuse it by content or store it unmodified, check it, self-check it when clean."""

from __future__ import annotations

import shutil

from django.db import IntegrityError, transaction
from django.db.models import Max

from common.problems import Problems
from rules.language.criteria import load_criteria
from web import uploads, workers
from web.pipeline import write_unit_register
from web.rounds.models import Round
from web.submissions.models import Status, Submission


def submit(rnd: Round, entity: str, user: object, data: bytes, original_name: str) -> Submission:
    """Store and check one upload. Raises uploads.Refused (nothing stored) when the content is refused."""
    scheme_path = rnd.scheme.path()
    scheme = load_criteria(scheme_path, Problems())
    if scheme is None:
        raise ValueError("the round's scheme does not load")
    accepted = uploads.accept(data, scheme)
    storage = uploads.new_storage()
    data_dir = uploads.store(accepted, storage)
    write_unit_register(scheme_path, bytes(rnd.roster_content), rnd.roster_suffix, entity, data_dir)
    outcome = workers.check(scheme_path, data_dir, entity, original_name, accepted.kind)
    folder = data_dir.parent
    if outcome.annotated is not None:
        (folder / "annotated.zip").write_bytes(outcome.annotated)
    if outcome.book is not None:
        (folder / "book.xlsx").write_bytes(outcome.book)
    shutil.rmtree(data_dir, ignore_errors=True)   # the working copy; the original stays, read-only
    fields = dict(
        round=rnd, entity_id=entity, uploaded_by=user, original_name=original_name[:255], kind=accepted.kind,
        size=len(data), sha256=accepted.sha256, storage=storage,
        status=Status.CLEAN if outcome.clean else Status.ERROR, errors=outcome.errors, warnings=outcome.warnings,
        problems=outcome.problems + [{"level": "warning", "message": m, "where": ""} for m in outcome.extra],
        selfcheck=outcome.selfcheck, selfcheck_text=outcome.selfcheck_text, total=outcome.total,
        grade=outcome.grade, has_annotated=outcome.annotated is not None, seconds=round(outcome.seconds, 3),
    )
    for _attempt in range(5):   # two uploads of one unit at once: the later takes the next version
        try:
            with transaction.atomic():
                last = Submission.objects.filter(round=rnd, entity_id=entity).aggregate(m=Max("version"))["m"] or 0
                return Submission.objects.create(version=last + 1, **fields)
        except IntegrityError:
            continue
    raise RuntimeError("could not number the submission")


HEAVY = ("problems", "selfcheck", "selfcheck_text")


def latest(rnd: Round) -> dict[str, Submission]:
    """The latest submission of every unit that has one."""
    out: dict[str, Submission] = {}
    for s in Submission.objects.filter(round=rnd).defer(*HEAVY).order_by("entity_id", "-version"):
        out.setdefault(s.entity_id, s)
    return out


def latest_clean(rnd: Round) -> dict[str, Submission]:
    out: dict[str, Submission] = {}
    for s in Submission.objects.filter(round=rnd, status=Status.CLEAN).defer(*HEAVY).order_by("entity_id", "-version"):
        out.setdefault(s.entity_id, s)
    return out

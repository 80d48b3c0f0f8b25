"""A unit's pages for one round: its status, pre-filled workbook, uploads, every version with its problems or
its self-check, and (after publication) its result. The office sees the same pages for any unit."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from web.downloads import KIND_TYPES, attachment
from web.evidence import required
from web.pipeline import prefilled_book
from web.policy import allow
from web.rounds.lookup import entry_or_404, round_or_404
from web.rounds.models import FrozenRun, Publication, State
from web.rounds.services import UNITS_DOC
from web.submissions.models import Submission
from web.submissions.services import submit
from web.uploads import Refused


def _submission(round_id: int, entity: str, version: int) -> Submission:
    rnd = round_or_404(round_id)
    entry_or_404(rnd, entity)
    return get_object_or_404(Submission, round=rnd, entity_id=entity, version=version)


@allow("office", "unit", own_entity=True)
def unit_round(request: HttpRequest, round_id: int, entity: str) -> HttpResponse:
    rnd = round_or_404(round_id)
    entry = entry_or_404(rnd, entity)
    history = list(Submission.objects.filter(round=rnd, entity_id=entity).defer("problems", "selfcheck",
                                                                              "selfcheck_text"))
    latest = Submission.objects.filter(pk=history[0].pk).first() if history else None
    reqs = required.requirements(rnd.scheme.path())
    slots = required.slots(rnd, reqs, entity)
    return render(request, "web/unit_round.html", {
        "round": rnd, "entry": entry, "history": history, "sub": latest, "open": rnd.state == State.COLLECTING,
        "max_mb": settings.UPLOAD_MAX_BYTES // 1048576, "slots": slots, "pending": required.pending_deduction(slots),
        "evidence_problems": required.problems(rnd, entity, reqs), "max_files": required.MAX_FILES})


@allow("office", "unit", own_entity=True)
def unit_template(request: HttpRequest, round_id: int, entity: str) -> HttpResponse:
    rnd = round_or_404(round_id)
    entry = entry_or_404(rnd, entity)
    book = prefilled_book(rnd.scheme.path(), bytes(rnd.roster_content), rnd.roster_suffix, entity, rnd.deadline)
    return attachment(book, f"{entry.entity_id}_{entry.name}.xlsx")


@allow("unit", own_entity=True)
@require_POST
def unit_upload(request: HttpRequest, round_id: int, entity: str) -> HttpResponse:
    rnd = round_or_404(round_id)
    entry_or_404(rnd, entity)
    if rnd.state != State.COLLECTING:
        messages.error(request, f"本轮已是“{rnd.get_state_display()}”状态，不再接收填报数据。")
        return redirect("unit_round", round_id=rnd.pk, entity=entity)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请先选择要上传的工作簿（.xlsx）或 CSV 压缩包（.zip）。")
        return redirect("unit_round", round_id=rnd.pk, entity=entity)
    if upload.size > settings.UPLOAD_MAX_BYTES:
        messages.error(request, f"文件过大，上限为 {settings.UPLOAD_MAX_BYTES // 1048576} MB。")
        return redirect("unit_round", round_id=rnd.pk, entity=entity)
    try:
        sub = submit(rnd, entity, request.user, upload.read(), upload.name or "upload")
    except Refused as e:
        messages.error(request, f"{e}（{e.code}）")
        return redirect("unit_round", round_id=rnd.pk, entity=entity)
    if sub.status == "clean":
        messages.success(request, f"第 {sub.version} 版已提交，数据无错误，自查结果如下。")
    else:
        messages.error(request, f"第 {sub.version} 版有 {sub.errors} 个错误，请按下表逐项修改后重新上传。")
    return redirect("submission", round_id=rnd.pk, entity=entity, version=sub.version)


@allow("office", "unit", own_entity=True)
def submission(request: HttpRequest, round_id: int, entity: str, version: int) -> HttpResponse:
    sub = _submission(round_id, entity, version)
    entry = entry_or_404(sub.round, entity)
    return render(request, "web/submission.html", {"round": sub.round, "entry": entry, "sub": sub,
                                                   "evidence_problems": required.problems(sub.round, entity)})


@allow("office", "unit", own_entity=True)
def submission_original(request: HttpRequest, round_id: int, entity: str, version: int) -> HttpResponse:
    sub = _submission(round_id, entity, version)
    # the type of what was stored (checked by content on upload), never of the name the user gave it: a file
    # named .html must not come back as a page of this site
    name = sub.original_name if sub.original_name.lower().endswith(f".{sub.kind}") else f"{sub.original_name}.{sub.kind}"
    return attachment(sub.original_path().read_bytes(), name, KIND_TYPES[sub.kind])


@allow("office", "unit", own_entity=True)
def submission_annotated(request: HttpRequest, round_id: int, entity: str, version: int) -> HttpResponse:
    sub = _submission(round_id, entity, version)
    if not sub.has_annotated:
        raise Http404("该版本没有标注工作簿")
    return attachment(sub.annotated_path().read_bytes(), f"{entity}_第{sub.version}版_问题标注.zip")


@allow("office", "unit", own_entity=True)
def unit_result(request: HttpRequest, round_id: int, entity: str) -> HttpResponse:
    rnd = round_or_404(round_id)
    entry = entry_or_404(rnd, entity)
    if rnd.state != State.PUBLISHED:
        raise Http404("结果尚未发布")
    run = FrozenRun.objects.filter(round=rnd).order_by("-number").first()   # a correction after an appeal: the latest
    if run is not None:
        units = json.loads(run.units_json)
    else:
        doc = Publication.objects.filter(round=rnd, name=UNITS_DOC).first()
        units = json.loads(bytes(doc.content)) if doc is not None else {}
    return render(request, "web/unit_result.html", {"round": rnd, "entry": entry, "result": units.get(entity),
                                                    "count": len(units), "run": run})

"""The office's view of a frozen run: what it was computed from (every sha256), its documents, and a re-check
that re-scores the frozen folder as `assess verify` does."""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from reports.comparereport import verification_text
from web.audit.recorder import write
from web.downloads import attachment
from web.policy import allow
from web.rounds.freeze import RESULTS, reverify
from web.rounds.lookup import round_or_404
from web.rounds.models import FrozenRun


def _run(round_id: int, number: int) -> FrozenRun:
    rnd = round_or_404(round_id)
    return get_object_or_404(FrozenRun, round=rnd, number=number)


@allow("office")
@require_GET
def round_run(request: HttpRequest, round_id: int, number: int) -> HttpResponse:
    run = _run(round_id, number)
    return render(request, "web/run.html", {"round": run.round, "run": run, "folder": run.path(),
                                            "results_file": run.path() / RESULTS})


@allow("office")
@require_POST   # it re-scores and writes an audit row: never on a GET (a link, a prefetch, an <img>)
def round_verify(request: HttpRequest, round_id: int, number: int) -> HttpResponse:
    run = _run(round_id, number)
    if not run.path().is_dir():
        raise Http404("冻结的文件夹不在实例中（可能是从备份恢复时漏掉了 published/ 文件夹）")
    v, problems = reverify(run.path(), run.results_json)
    identical = v is not None and v.identical
    text = verification_text(v) if v is not None else "无法重新计算：\n" + "\n".join(problems)
    write("event", f"核验发布结果（第{run.number}次计算）：{'逐字节一致' if identical else '未能复现'}",
          model="rounds.FrozenRun", object_id=run.pk, round_id=run.round_id)
    return render(request, "web/run.html", {"round": run.round, "run": run, "folder": run.path(),
                                            "results_file": run.path() / RESULTS, "verified": True,
                                            "identical": identical, "text": text})


@allow("office")
@require_GET
def round_run_document(request: HttpRequest, round_id: int, number: int, name: str) -> HttpResponse:
    """One document of a frozen run (the first publication's, or a correction's after an appeal), read from its
    folder and served only when its bytes still have the sha256 recorded at freezing. The name must be one the
    server recorded for that run: no user text reaches the path."""
    run = _run(round_id, number)
    if name not in run.documents or "/" in name or "\\" in name or name.startswith("."):
        raise Http404("这次计算没有这个发布文件")
    try:
        content = (run.path() / name).read_bytes()
    except OSError:
        raise Http404("冻结的文件夹里没有这个文件（可能是从备份恢复时漏掉了 published/ 文件夹）") from None
    if hashlib.sha256(content).hexdigest() != run.documents[name]:
        write("event", f"第{run.number}次计算的发布文件 {name} 与冻结时的 sha256 不符，拒绝下载",
              model="rounds.FrozenRun", object_id=run.pk, round_id=run.round_id)
        return HttpResponse("该文件与冻结时记录的 sha256 不符，已被改动，不能下载；请从备份恢复 published/ 文件夹后再试，"
                            "并在“重新计算并核验”中核对。", status=409, content_type="text/plain; charset=utf-8")
    return attachment(content, f"{run.round.name}-第{run.number}次计算-{name}")

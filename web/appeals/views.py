"""Appeal pages: the unit's (its deductions, its appeals and their decisions), the office's list with the
window, and the office's decision on one appeal (accept with a correction, or reject with a reason)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from web.appeals.models import Appeal, AppealState, Window
from web.appeals.services import (
    AppealError,
    Correction,
    accept,
    deductions,
    file_appeal,
    latest_run,
    reject,
    window_open,
)
from web.evidence.store import attach
from web.findings.models import Finding
from web.policy import allow, role_of
from web.rounds.lookup import entry_or_404, round_or_404
from web.rounds.models import Round, State
from web.uploads import Refused


def _published(round_id: int) -> Round:
    rnd = round_or_404(round_id)
    if rnd.state != State.PUBLISHED:
        raise Http404("结果尚未发布")
    return rnd


@allow("office", "unit", own_entity=True)
def unit_appeals(request: HttpRequest, round_id: int, entity: str) -> HttpResponse:
    rnd = _published(round_id)
    entry = entry_or_404(rnd, entity)
    run = latest_run(rnd)
    if request.method == "POST":
        if role_of(request.user) != "unit":
            messages.error(request, "申诉由被考核单位提出。")
        else:
            try:
                index = int(request.POST.get("event", ""))
                with transaction.atomic():   # a refused attachment takes its appeal back with it
                    appeal = file_appeal(rnd, entity, request.user, index, request.POST.get("reason", ""))
                    upload = request.FILES.get("attachment")
                    if upload is not None:
                        attach(upload.read(), upload.name or "", round=rnd, entity_id=entity, user=request.user,
                               appeal=appeal)
                messages.success(request, "申诉已提交，请等待市安委办复核。")
            except Refused as e:
                messages.error(request, f"申诉未提交：{e}（{e.code}）")
            except ValueError as e:   # AppealError, or an event number that is not one
                messages.error(request, str(e) if isinstance(e, AppealError) else "请选择要申诉的扣分事件。")
        return redirect("unit_appeals", round_id=rnd.pk, entity=entity)
    window = Window.objects.filter(round=rnd).first()
    return render(request, "web/unit_appeals.html", {
        "round": rnd, "entry": entry, "run": run, "events": deductions(run, entity) if run else [],
        "appeals": Appeal.objects.filter(round=rnd, entity_id=entity), "window": window,
        "open": window_open(rnd), "can_file": role_of(request.user) == "unit" and window_open(rnd)})


@allow("office")
def appeal_list(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = _published(round_id)
    if request.method == "POST":
        try:
            closes = dt.datetime.fromisoformat(request.POST.get("closes_at", "").strip())
        except ValueError:
            messages.error(request, "请填写申诉截止时间，如 2021-02-10 17:00")
        else:
            if timezone.is_naive(closes):
                closes = timezone.make_aware(closes)
            w = Window.objects.filter(round=rnd).first()
            if w is None:
                Window.objects.create(round=rnd, closes_at=closes, set_by=request.user)
            else:
                w.closes_at, w.set_by = closes, request.user
                w.save()
            messages.success(request, f"申诉截止时间为 {timezone.localtime(closes):%Y-%m-%d %H:%M}。")
        return redirect("appeal_list", round_id=rnd.pk)
    names = {e.entity_id: e.name for e in rnd.roster.all()}
    appeals = [(a, names.get(a.entity_id, a.entity_id)) for a in Appeal.objects.filter(round=rnd)]
    return render(request, "web/appeal_list.html", {"round": rnd, "appeals": appeals,
                                                    "window": Window.objects.filter(round=rnd).first(),
                                                    "open": window_open(rnd)})


def _correction(request: HttpRequest, appeal: Appeal) -> Correction:
    kind = request.POST.get("correction")
    if kind == "finding":
        f = Finding.objects.filter(round=appeal.round, entity_id=appeal.entity_id,
                                   pk=request.POST.get("finding") or 0).first()
        if f is None:
            raise AppealError("请选择要更正的评分记录。")
        text = request.POST.get("figure", "").strip()
        if not text:
            return Correction(finding=f, figure=None)
        try:
            figure = Decimal(text)
        except InvalidOperation:
            raise AppealError(f"“{text}”不是数字。") from None
        if not figure.is_finite():
            raise AppealError(f"“{text}”不是数字。")
        return Correction(finding=f, figure=figure)
    if kind == "workbook":
        upload = request.FILES.get("workbook")
        if upload is None:
            raise AppealError("请选择更正的工作簿。")
        return Correction(workbook=upload.read(), workbook_name=upload.name or "更正.xlsx")
    raise AppealError("采纳时请给出更正：修改或删除一条评分记录，或上传更正的工作簿。")


@allow("office")
def appeal_decide(request: HttpRequest, round_id: int, pk: int) -> HttpResponse:
    rnd = _published(round_id)
    appeal = get_object_or_404(Appeal, round=rnd, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "reject":
                reject(appeal, request.user, request.POST.get("decision", ""))
                messages.success(request, "已作出不采纳的复核决定。")
            elif request.POST.get("action") == "accept":
                run = accept(appeal, request.user, request.POST.get("decision", ""), _correction(request, appeal))
                messages.success(request, f"已采纳，生成第 {run.number} 次计算结果，比较见下。")
        except AppealError as e:
            messages.error(request, str(e))
        return redirect("appeal_decide", round_id=rnd.pk, pk=appeal.pk)
    entry = entry_or_404(rnd, appeal.entity_id)
    findings = Finding.objects.filter(round=rnd, entity_id=appeal.entity_id, item_id=appeal.event.get("item") or "")
    return render(request, "web/appeal_decide.html", {"round": rnd, "appeal": appeal, "entry": entry,
                                                      "findings": findings,
                                                      "pending": appeal.state == AppealState.PENDING})

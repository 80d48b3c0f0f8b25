"""Scorers enter the findings ledger (考核扣分记录) for the assessed items, for every unit of a round."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from web.findings.models import Assignment, Finding
from web.pipeline import assessed_items
from web.policy import allow, role_of
from web.rounds.lookup import round_or_404
from web.rounds.models import Round, State


def _assigned(rnd: Round, user: object) -> set[str]:
    return set(Assignment.objects.filter(round=rnd, scorer=user).values_list("item_id", flat=True))


def _decimal(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是数字") from None
    if not d.is_finite() or d < 0:
        raise ValueError(f"“{text}”应为不小于0的数字")
    return d


@allow("office", "scorer")
def finding_list(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = round_or_404(round_id)
    items = assessed_items(rnd.scheme.path())
    if role_of(request.user) == "scorer":
        # a scorer enters only the items the office assigned to it in this round (as score_entry does):
        # before the office assigns any, none
        items = [i for i in items if i[0] in _assigned(rnd, request.user)]
    item_ids = {i for i, _n, _m in items}
    roster = list(rnd.roster.all())
    scorer = request.user.profile.display_name if role_of(request.user) == "scorer" else "市安委办"
    if request.method == "POST":
        if rnd.state == State.PUBLISHED:
            messages.error(request, "本轮已发布，评分记录不能再修改。")
            return redirect("finding_list", round_id=rnd.pk)
        p = request.POST
        errors = []
        entity, item = p.get("entity", ""), p.get("item", "")
        if entity not in {e.entity_id for e in roster}:
            errors.append("请选择被考核单位")
        if item not in item_ids:
            errors.append("请选择考核项目")
        try:
            deduct, score = _decimal(p.get("deduct", "")), _decimal(p.get("score", ""))
            if (deduct is None) == (score is None):
                errors.append("扣分和得分填且只填一项")
        except ValueError as e:
            errors.append(str(e))
        reason = p.get("reason", "").strip()
        if not reason:
            errors.append("请填写事由")
        if errors:
            messages.error(request, "；".join(errors))
        else:
            Finding.objects.create(round=rnd, entity_id=entity, item_id=item, deduct=deduct, score=score,
                                   reason=reason[:500], basis=p.get("basis", "").strip()[:500], scorer_name=scorer,
                                   entered_by=request.user)
            messages.success(request, "已保存评分记录。")
            return redirect("finding_list", round_id=rnd.pk)
    rows = Finding.objects.filter(round=rnd)
    if role_of(request.user) == "scorer":
        rows = rows.filter(entered_by=request.user)   # the account, never the display name (names can repeat)
    names = {e.entity_id: e.name for e in roster}
    return render(request, "web/findings.html", {
        "round": rnd, "items": items, "roster": roster, "rows": rows, "names": names, "scorer": scorer,
        "open": rnd.state != State.PUBLISHED})


@allow("office", "scorer")
@require_POST
def finding_delete(request: HttpRequest, round_id: int, pk: int) -> HttpResponse:
    rnd = round_or_404(round_id)
    row = get_object_or_404(Finding, round=rnd, pk=pk)
    if role_of(request.user) == "scorer" and (row.entered_by_id != request.user.pk
                                              or row.item_id not in _assigned(rnd, request.user)):
        messages.error(request, "只能删除本账号录入、且由本单位负责的项目的评分记录。")
    elif rnd.state == State.PUBLISHED:
        messages.error(request, "本轮已发布，评分记录不能再修改。")
    else:
        row.delete()
        messages.success(request, "已删除。")
    return redirect("finding_list", round_id=rnd.pk)

"""Scorers (评分单位) at work: each sees the assessed items the office assigned to it, for every unit, and enters
a record or reports that there is nothing to record; the office assigns the items and sees who has not yet
reported for which units, and what the scheme then does."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from common.problems import Problems
from rules.language.criteria import load_criteria
from web import uploads
from web.downloads import attachment
from web.evidence import required
from web.evidence.store import attach
from web.findings import workbook
from web.findings.forms import RecordForm
from web.findings.items import AssessedItem, assessed, by_id
from web.findings.models import Assignment, Finding, NoFinding
from web.findings.progress import cells, owned_items, owners
from web.policy import allow, role_of
from web.rounds.lookup import entry_or_404, round_or_404
from web.rounds.models import Round, State

CLOSED = "本轮已发布，评分记录不能再修改。"


def scorer_name(user: Any) -> str:
    return str(user.profile.display_name) if role_of(user) == "scorer" else "市安委办"


def _item_or_404(rnd: Round, item: str) -> AssessedItem:
    found = by_id(rnd.scheme.path()).get(item)
    if found is None:
        raise Http404("本轮考核细则中没有这个评分单位打分项目")
    return found


@allow("scorer")
def scorer_round(request: HttpRequest, round_id: int) -> HttpResponse:
    """The scorer's items in this round, each with every unit: reported (what) or not yet."""
    return _scorer_page(request, round_or_404(round_id))


def _scorer_page(request: HttpRequest, rnd: Round, problems: list[dict[str, Any]] | None = None) -> HttpResponse:
    mine = owned_items(rnd, request.user, assessed(rnd.scheme.path()))
    got = cells(rnd)
    roster = list(rnd.roster.all())
    tables = []
    for item in mine:
        rows = [{"entry": e, "cell": got.get((item.id, e.entity_id)), "figure": (got[(item.id, e.entity_id)].figure(item)
                 if (item.id, e.entity_id) in got else None)} for e in roster]
        done = sum(1 for r in rows if r["cell"] is not None and r["cell"].reported)
        tables.append({"item": item, "rows": rows, "done": done})
    return render(request, "web/scorer_round.html", {"round": rnd, "tables": tables, "units": len(roster),
                                                     "open": rnd.state != State.PUBLISHED, "problems": problems,
                                                     "max_mb": settings.UPLOAD_MAX_BYTES // 1048576})


@allow("scorer")
def scorer_workbook(request: HttpRequest, round_id: int) -> HttpResponse:
    """The scorer's findings workbook: its items × every unit, with what it has entered so far."""
    rnd = round_or_404(round_id)
    mine = owned_items(rnd, request.user, assessed(rnd.scheme.path()))
    name = scorer_name(request.user)
    return attachment(workbook.build(rnd, mine, list(rnd.roster.all()), name, request.user),
                      f"{name}_评分表_{rnd.name}.xlsx")


@allow("scorer")
@require_POST
def scorer_upload(request: HttpRequest, round_id: int) -> HttpResponse:
    """The filled workbook back: checked whole, saved only when nothing is wrong."""
    rnd = round_or_404(round_id)
    if rnd.state == State.PUBLISHED:
        messages.error(request, CLOSED)
        return redirect("scorer_round", round_id=rnd.pk)
    upload = request.FILES.get("file")
    if upload is None or upload.size > settings.UPLOAD_MAX_BYTES:
        messages.error(request, f"请选择评分表（.xlsx，不超过 {settings.UPLOAD_MAX_BYTES // 1048576} MB）。")
        return redirect("scorer_round", round_id=rnd.pk)
    scheme = load_criteria(rnd.scheme.path(), Problems())
    data = upload.read()
    try:
        if scheme is None or uploads.accept(data, scheme).kind != "xlsx":
            raise uploads.Refused("请上传从本页下载的评分表（.xlsx）", "web-file-type")
    except uploads.Refused as e:
        messages.error(request, f"{e}（{e.code}）")
        return redirect("scorer_round", round_id=rnd.pk)
    mine = {i.id: i for i in owned_items(rnd, request.user, assessed(rnd.scheme.path()))}
    got = workbook.read(data, mine, {e.entity_id for e in rnd.roster.all()}, upload.name or "评分表.xlsx")
    name = scorer_name(request.user)
    problems = got.problems or workbook.conflicts(rnd, got.rows, request.user)
    if problems:
        messages.error(request, f"评分表有 {len(problems)} 处问题，未保存任何记录；请按下表修改后重新上传。")
        return _scorer_page(request, rnd, problems)
    records, nil = workbook.apply(rnd, got.rows, name, request.user)
    messages.success(request, f"已按评分表保存：评分记录 {records} 条，无记录 {nil} 个单位项目。")
    return redirect("scorer_round", round_id=rnd.pk)


@allow("office", "scorer", own_item=True)
def score_entry(request: HttpRequest, round_id: int, item: str, entity: str) -> HttpResponse:
    """One unit, one item: its records so far, a form for a new one, and “nothing to record”."""
    rnd = round_or_404(round_id)
    entry = entry_or_404(rnd, entity)
    spec = _item_or_404(rnd, item)
    here = dict(round=rnd, item_id=item, entity_id=entity)
    form = RecordForm(item=spec)
    if request.method == "POST":
        if rnd.state == State.PUBLISHED:
            messages.error(request, CLOSED)
            return redirect("score_entry", round_id=rnd.pk, item=item, entity=entity)
        action = request.POST.get("action")
        if action == "record":
            form = RecordForm(request.POST, request.FILES, item=spec)
            if spec.single and Finding.objects.filter(**here).exists():
                messages.error(request, f"本单位项目{item}已有评定得分（每个单位只能有一条）；如需更改，请先删除原记录。")
                return redirect("score_entry", round_id=rnd.pk, item=item, entity=entity)
            if form.is_valid():
                d = form.cleaned_data
                try:
                    _save_record(rnd, spec, entity, request.user, d)
                except uploads.Refused as e:
                    form.add_error("attachment", f"{e}（{e.code}）")
                else:
                    messages.success(request, f"已保存：{entry.name} 项目{item} {spec.figure} {d['figure'].normalize():f} 分。")
                    return redirect("score_entry", round_id=rnd.pk, item=item, entity=entity)
        elif action == "nil":
            if spec.single:
                messages.error(request, f"项目{item}须评定得分，不能报“无记录”。")
            elif Finding.objects.filter(**here).exists():
                messages.error(request, "本单位已有评分记录，不能再报“无记录”；如需更改，请先删除记录。")
            else:
                NoFinding.objects.get_or_create(**here, defaults={"scorer_name": scorer_name(request.user),
                                                                  "entered_by": request.user})
                messages.success(request, f"已报送：{entry.name} 项目{item} 无{spec.mode_name}记录。")
            return redirect("score_entry", round_id=rnd.pk, item=item, entity=entity)
        elif action == "undo-nil":
            for nil in NoFinding.objects.filter(**here):
                nil.delete()
            messages.success(request, "已撤销“无记录”报送。")
            return redirect("score_entry", round_id=rnd.pk, item=item, entity=entity)
    got = cells(rnd).get((item, entity))
    return render(request, "web/score_entry.html", {
        "round": rnd, "entry": entry, "item": spec, "form": form, "cell": got,
        "figure": got.figure(spec) if got else None, "open": rnd.state != State.PUBLISHED,
        "back": "scorer_round" if role_of(request.user) == "scorer" else "scorer_progress",
        "evidence": required.slots(rnd, [r for r in required.requirements(rnd.scheme.path()) if r.item_id == item],
                                   entity)})


def _save_record(rnd: Round, spec: AssessedItem, entity: str, user: Any, d: dict[str, Any]) -> Finding:
    """The record, its attachment if any, and the end of a “nothing to record” for the pair — all or nothing."""
    here = dict(round=rnd, item_id=spec.id, entity_id=entity)
    name = scorer_name(user)
    with transaction.atomic():
        f = Finding.objects.create(
            **here, deduct=d["figure"] if spec.mode == "deduct" else None,
            score=None if spec.mode == "deduct" else d["figure"], reason=d["reason"].strip(),
            clause=d["clause"].strip(), basis=d["basis"].strip(), scorer_name=name, entered_by=user)
        for nil in NoFinding.objects.filter(**here):
            nil.delete()
        upload = d.get("attachment")
        if upload:
            attach(upload.read(), upload.name or "", round=rnd, entity_id=entity, user=user, finding=f,
                   scorer_name=name)
    return f


@allow("office")
def scorer_progress(request: HttpRequest, round_id: int) -> HttpResponse:
    """Every assessed item: its scorer, the units it has not reported yet, and the scheme's rule for them."""
    rnd = round_or_404(round_id)
    items = assessed(rnd.scheme.path())
    scorers = list(get_user_model().objects.filter(profile__role="scorer").select_related("profile")
                   .order_by("username"))
    if request.method == "POST":
        return _assign(request, rnd, items, scorers)
    who = owners(rnd)
    got = cells(rnd)
    roster = list(rnd.roster.all())
    rows = []
    for item in items:
        missing = [e for e in roster if not (got.get((item.id, e.entity_id)) or _EMPTY).reported]
        rows.append({"item": item, "scorer": who.get(item.id), "missing": missing, "done": len(roster) - len(missing)})
    return render(request, "web/scorer_progress.html", {"round": rnd, "rows": rows, "scorers": scorers,
                                                        "units": len(roster), "open": rnd.state != State.PUBLISHED})


class _Nothing:
    reported = False


_EMPTY = _Nothing()


def _assign(request: HttpRequest, rnd: Round, items: list[AssessedItem], scorers: list[Any]) -> HttpResponse:
    item = request.POST.get("item", "")
    scorer = next((u for u in scorers if str(u.pk) == request.POST.get("scorer")), None)
    if rnd.state == State.PUBLISHED:
        messages.error(request, CLOSED)
    elif item not in {i.id for i in items}:
        messages.error(request, "请选择考核项目")
    else:
        current = Assignment.objects.filter(round=rnd, item_id=item).first()
        if scorer is None:
            if current is not None:
                current.delete()
                messages.success(request, f"已取消项目{item}的评分分工。")
        elif current is None:
            Assignment.objects.create(round=rnd, item_id=item, scorer=scorer, assigned_by=request.user)
            messages.success(request, f"项目{item}由{scorer.profile.display_name}评分。")
        elif current.scorer_id != scorer.pk:
            current.scorer = scorer
            current.assigned_by = request.user
            current.save()
            messages.success(request, f"项目{item}改由{scorer.profile.display_name}评分。")
    return redirect("scorer_progress", round_id=rnd.pk)


@allow("office", "scorer", own_item=True)
@require_POST
def record_delete(request: HttpRequest, round_id: int, item: str, entity: str, pk: int) -> HttpResponse:
    """Delete one record from the entry page (the scorer's own records; the office's any)."""
    rnd = round_or_404(round_id)
    entry_or_404(rnd, entity)
    row = Finding.objects.filter(round=rnd, item_id=item, entity_id=entity, pk=pk).first()
    if row is None:
        raise Http404("没有这条评分记录")
    if rnd.state == State.PUBLISHED:
        messages.error(request, CLOSED)
    elif role_of(request.user) == "scorer" and row.entered_by_id != request.user.pk:   # the account, not the name
        messages.error(request, "只能删除本账号录入的评分记录。")
    else:
        row.delete()
        messages.success(request, "已删除。")
    return redirect("score_entry", round_id=rnd.pk, item=item, entity=entity)

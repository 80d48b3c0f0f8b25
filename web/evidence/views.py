"""Attachments: downloading one; a unit uploading the attachments its scheme asks for (`evidence`) with its
submission; the office and the items' scorers reviewing them and marking them seen.

Who may download: the office; a scorer, a record's file it uploaded itself or a unit's attachment for an item the
office assigned to it; the unit, the files of its own appeals and its own attachments (the URL's entity is checked
by the policy, the rest here, before any byte is read)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from web.downloads import attachment
from web.evidence import required
from web.evidence.models import Attachment, Seen
from web.evidence.store import KINDS, attach
from web.findings.models import Assignment
from web.policy import allow, owns_item, role_of
from web.rounds.lookup import entry_or_404, round_or_404
from web.rounds.models import RosterEntry, Round, State
from web.uploads import Refused


def is_unit_evidence(a: Attachment) -> bool:
    """A unit's attachment for a scheme's requirement (not a record's or an appeal's file)."""
    return bool(a.item_id) and a.finding_id is None and a.appeal_id is None


def may_see(user: Any, a: Attachment) -> bool:
    role = role_of(user)
    if role == "office":
        return True
    if role == "scorer":
        if is_unit_evidence(a):
            return owns_item(user, a.round_id, a.item_id)
        # a record's file, uploaded by this very account (never matched by display name: names can repeat)
        return a.appeal_id is None and a.finding_id is not None and a.uploaded_by_id == user.pk
    return role == "unit" and (a.appeal_id is not None or is_unit_evidence(a))


@allow("office", "unit", "scorer", own_entity=True)
def attachment_download(request: HttpRequest, round_id: int, entity: str, pk: int) -> HttpResponse:
    rnd = round_or_404(round_id)
    a = Attachment.objects.filter(round=rnd, entity_id=entity, pk=pk).first()
    if a is None:
        raise Http404("没有这个佐证材料")
    if not may_see(request.user, a):
        raise PermissionDenied
    return attachment(a.path().read_bytes(), a.name, "application/octet-stream")


@allow("unit", own_entity=True)
@require_POST
def unit_evidence_upload(request: HttpRequest, round_id: int, entity: str) -> HttpResponse:
    """One file for one of the attachments the scheme asks of this unit (item + requirement name, both checked
    against the scheme: neither ever names a file on disk)."""
    rnd = round_or_404(round_id)
    entry_or_404(rnd, entity)
    back = redirect(reverse("unit_round", kwargs={"round_id": rnd.pk, "entity": entity}) + "#evidence")
    if rnd.state != State.COLLECTING:
        messages.error(request, f"本轮已是“{rnd.get_state_display()}”状态，不再接收佐证材料。")
        return back
    req = required.find(required.requirements(rnd.scheme.path()), request.POST.get("item", ""),
                        request.POST.get("requirement", ""))
    upload = request.FILES.get("file")
    if req is None:
        messages.error(request, "本轮考核细则没有要求这份佐证材料，请从本页的“佐证材料”一栏上传。")
        return back
    if upload is None:
        messages.error(request, f"请先选择“{req.name}”的文件（{KINDS}）。")
        return back
    if upload.size > settings.UPLOAD_MAX_BYTES:
        messages.error(request, f"佐证材料过大（上限 {settings.UPLOAD_MAX_BYTES // 1048576} MB）（web-too-large）")
        return back
    where = dict(round=rnd, entity_id=entity, item_id=req.item_id, requirement=req.name, finding=None, appeal=None)
    try:
        with transaction.atomic():
            # the unit's roster row, locked: two uploads of one unit at once count one after the other
            RosterEntry.objects.select_for_update().filter(round=rnd, entity_id=entity).first()
            if Attachment.objects.filter(**where).count() >= required.MAX_FILES:
                raise Refused(f"“{req.name}”已上传 {required.MAX_FILES} 个文件，已达上限：请合并为一个 PDF 后联系"
                              "市安委办", "evidence-too-many")
            a = attach(upload.read(), upload.name or "", round=rnd, entity_id=entity, user=request.user,
                       item_id=req.item_id, requirement=req.name)
    except Refused as e:
        messages.error(request, f"“{req.name}”未上传：{e}（{e.code}）")
        return back
    messages.success(request, f"已上传项目{req.item_id}的佐证材料“{req.name}”：{a.name}。")
    return back


def _reviewable(rnd: Round, user: Any, reqs: list[required.Requirement]) -> list[required.Requirement]:
    if role_of(user) != "scorer":
        return reqs
    mine = set(Assignment.objects.filter(round=rnd, scorer=user).values_list("item_id", flat=True))
    return [r for r in reqs if r.item_id in mine]


@allow("office", "scorer")
def evidence_list(request: HttpRequest, round_id: int) -> HttpResponse:
    """Every unit's attachments for every requirement (a scorer: its own items only), missing ones listed."""
    rnd = round_or_404(round_id)
    reqs = _reviewable(rnd, request.user, required.requirements(rnd.scheme.path()))
    roster = list(rnd.roster.all())
    entity = request.GET.get("entity", "")
    if entity:
        roster = [e for e in roster if e.entity_id == entity]
    got = required.uploaded(rnd)
    units, problems = [], []
    for e in roster:
        slots = [required.Slot(r, got.get((e.entity_id, r.item_id, r.name), [])) for r in reqs]
        problems += [{"level": "error", "where": f"{e.name}（{e.entity_id}）·项目{s.req.item_id}·“{s.req.name}”",
                      "message": required.missing_message(s.req), "code": "evidence-missing"}
                     for s in slots if s.missing]
        units.append({"entry": e, "slots": slots})
    return render(request, "web/evidence_list.html", {
        "round": rnd, "reqs": reqs, "units": units, "problems": problems, "entity": entity,
        "unseen": sum(1 for u in units for s in u["slots"] for a in s.files if not hasattr(a, "seen"))})


@allow("office", "scorer", own_item=True)
@require_POST
def evidence_seen(request: HttpRequest, round_id: int, item: str, entity: str, pk: int) -> HttpResponse:
    """Mark a unit's attachment seen (once; the mark is audited and never changed)."""
    rnd = round_or_404(round_id)
    entry_or_404(rnd, entity)
    a = Attachment.objects.filter(round=rnd, entity_id=entity, item_id=item, pk=pk, finding=None, appeal=None).first()
    if a is None:
        raise Http404("没有这个佐证材料")
    _mark, made = Seen.objects.get_or_create(attachment=a, defaults={"seen_by": request.user})
    if made:
        messages.success(request, f"已标记为已查看：{entity} 项目{item}“{a.requirement}”的 {a.name}。")
    else:
        messages.info(request, "该材料此前已标记为已查看。")
    if request.POST.get("back") == "entry":   # marked on the scorer's entry page for this unit and item
        return redirect("score_entry", round_id=rnd.pk, item=item, entity=entity)
    back = reverse("evidence_list", kwargs={"round_id": rnd.pk})
    return redirect(f"{back}?{urlencode({'entity': entity})}#att-{a.pk}")

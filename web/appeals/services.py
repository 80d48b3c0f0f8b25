"""Filing and deciding appeals. Accepting one applies its correction to the round's live data — a scorer's
record changed or removed, or a corrected workbook submitted for the unit — and freezes a new run, compared
with the run the unit disputed. The published run itself never changes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from reports.comparereport import comparison_table
from results.compare import compare_docs
from web.appeals.models import Appeal, AppealState, Window
from web.findings.models import Finding
from web.rounds.models import FrozenRun, Round
from web.rounds.services import discard_folder, freeze_run
from web.submissions.services import submit
from web.uploads import Refused


class AppealError(ValueError):
    """Why an appeal cannot be filed or decided (Chinese, shown to the user)."""


def latest_run(rnd: Round) -> FrozenRun | None:
    return FrozenRun.objects.filter(round=rnd).order_by("-number").first()


def unit_events(run: FrozenRun, entity: str) -> list[dict[str, Any]]:
    for r in json.loads(run.results_json)["results"]:
        if r["entity"] == entity:
            return list(r["events"])
    return []


def deductions(run: FrozenRun, entity: str) -> list[tuple[int, dict[str, Any]]]:
    """The events that took points from the unit (the ones it may dispute), with their place in its events."""
    out = []
    for i, e in enumerate(unit_events(run, entity)):
        try:
            if Decimal(str(e.get("points"))) < 0:
                out.append((i, e))
        except InvalidOperation:
            continue
    return out


def window_open(rnd: Round) -> bool:
    w = Window.objects.filter(round=rnd).first()
    return w is not None and timezone.now() <= w.closes_at


def file_appeal(rnd: Round, entity: str, user: Any, index: int, reason: str) -> Appeal:
    if not window_open(rnd):
        raise AppealError("不在申诉期限内：申诉期限由市安委办设定。")
    run = latest_run(rnd)
    if run is None:
        raise AppealError("本轮结果尚未发布。")
    events = dict(deductions(run, entity))
    if index not in events:
        raise AppealError("请选择要申诉的扣分事件。")
    reason = reason.strip()
    if not reason:
        raise AppealError("请填写申诉理由。")
    if Appeal.objects.filter(round=rnd, entity_id=entity, run=run, event_index=index,
                             state=AppealState.PENDING).exists():
        raise AppealError("这一扣分已有待复核的申诉。")
    e = events[index]
    snapshot = {k: e.get(k) for k in ("item", "rule", "points", "reason", "clause", "kind", "scorer")}
    return Appeal.objects.create(round=rnd, entity_id=entity, run=run, event_index=index, event=snapshot,
                                 reason=reason[:2000], filed_by=user)


def reject(appeal: Appeal, user: Any, decision: str) -> None:
    if appeal.state != AppealState.PENDING:
        raise AppealError("该申诉已复核。")
    if not decision.strip():
        raise AppealError("不采纳时请填写理由。")
    appeal.state = AppealState.REJECTED
    appeal.decision = decision.strip()[:2000]
    appeal.decided_by = user
    appeal.decided_at = timezone.now()
    appeal.save()


@dataclass
class Correction:
    """What accepting changes: a scorer's record (a new figure, or None to remove it), or a corrected workbook."""
    finding: Finding | None = None
    figure: Decimal | None = None
    workbook: bytes | None = None
    workbook_name: str = ""


def _apply(appeal: Appeal, user: Any, c: Correction) -> str:
    if c.finding is not None:
        f = c.finding
        if f.round_id != appeal.round_id or f.entity_id != appeal.entity_id:
            raise AppealError("所选评分记录不属于该单位。")
        if c.figure is None:
            text = f"删除评分记录：{f}"
            f.delete()
            return text
        if c.figure < 0:
            raise AppealError("更正后的分值不能为负数。")
        before = str(f)
        if f.deduct is not None:
            f.deduct = c.figure
        else:
            f.score = c.figure
        f.save()
        return f"评分记录由“{before}”改为“{f}”"
    if c.workbook is not None:
        try:
            sub = submit(appeal.round, appeal.entity_id, user, c.workbook, c.workbook_name or "更正.xlsx")
        except Refused as e:
            raise AppealError(f"更正的工作簿被拒收：{e}") from None
        if sub.status != "clean":
            raise AppealError(f"更正的工作簿（第 {sub.version} 版）有 {sub.errors} 个错误，未采用；请在该单位的报送页查看。")
        return f"采用更正的工作簿（第 {sub.version} 版，sha256 {sub.sha256[:12]}…）"
    raise AppealError("采纳时请给出更正：修改或删除一条评分记录，或上传更正的工作簿。")


def accept(appeal: Appeal, user: Any, decision: str, correction: Correction) -> FrozenRun:
    """Apply the correction and freeze the new run; if the round cannot be scored, nothing is changed."""
    if appeal.state != AppealState.PENDING:
        raise AppealError("该申诉已复核。")
    new_run = None
    try:
        with transaction.atomic():
            text = _apply(appeal, user, correction)
            new_run, problems = freeze_run(appeal.round, user, f"采纳 {appeal.entity_id} 的申诉（{appeal.pk}）")
            if new_run is None:
                raise AppealError("更正后本轮无法评分：" + "；".join(p.get("message", "") for p in problems)[:500])
            _decide(appeal, user, decision, text, new_run)
    except BaseException:
        if new_run is not None:   # its row was rolled back with the rest: its folder goes too
            discard_folder(new_run.folder)
        raise
    return new_run


def _decide(appeal: Appeal, user: Any, decision: str, text: str, new_run: FrozenRun) -> None:
    """Record the acceptance, the correction and the comparison of the new run with the disputed one."""
    comparison = compare_docs(json.loads(appeal.run.results_json), json.loads(new_run.results_json),
                              f"第{appeal.run.number}次计算（申诉时的结果）", f"第{new_run.number}次计算（更正后）")
    appeal.state = AppealState.ACCEPTED
    appeal.decision = decision.strip()[:2000] or "采纳"
    appeal.correction = text[:500]
    appeal.decided_by = user
    appeal.decided_at = timezone.now()
    appeal.new_run = new_run
    appeal.comparison = comparison_table(comparison)
    appeal.save()

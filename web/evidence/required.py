"""The attachments a round's scheme asks each unit for (`evidence` on an item), what each unit has uploaded, what
is missing — a listed problem (`evidence-missing`) — and, where the scheme says a missing one deducts, the
findings-ledger row that makes the deduction an event of the round's scoring (web/rounds/services.round_input)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from common.problems import Problems
from rules.language.criteria import load_criteria
from web.evidence.models import Attachment
from web.rounds.models import Round

MAX_FILES = 5           # files per unit per required attachment: a few pages or photos, not an archive
OFFICE = "市安委办"      # who the deduction row says deducted: the office, on the scheme's own rule


@dataclass(frozen=True)
class Requirement:
    item_id: str
    item_name: str
    clause: str
    name: str
    required: bool
    deduct: Decimal | None
    whole: bool             # `deduct: all`: the item scores nothing
    description: str
    assessed: bool

    @property
    def rule_text(self) -> str:
        """What the scheme says about a missing one, in the words the pages show."""
        if not self.required:
            return "可选"
        if self.deduct is None:
            return "必须提供"
        return "必须提供，缺少本项不得分" if self.whole else f"必须提供，缺少扣 {_fmt(self.deduct)} 分"


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f")


def requirements(scheme_path: Path) -> list[Requirement]:
    scheme = load_criteria(scheme_path, Problems())
    if scheme is None:
        return []
    return [Requirement(i.id, i.name, i.clause or "", e.name, e.required, e.deduct, e.whole, e.description or "",
                        i.assessed is not None)
            for i in scheme.items for e in i.evidence]


def find(reqs: list[Requirement], item: str, name: str) -> Requirement | None:
    return next((r for r in reqs if r.item_id == item and r.name == name), None)


def uploaded(rnd: Round, entity: str | None = None) -> dict[tuple[str, str, str], list[Attachment]]:
    """(entity, item, requirement) -> the unit's files for it, newest first, with their seen marks."""
    rows = Attachment.objects.filter(round=rnd, finding=None, appeal=None).exclude(item_id="")
    if entity is not None:
        rows = rows.filter(entity_id=entity)
    out: dict[tuple[str, str, str], list[Attachment]] = defaultdict(list)
    for a in rows.select_related("seen", "seen__seen_by", "uploaded_by").order_by("-id"):
        out[(a.entity_id, a.item_id, a.requirement)].append(a)
    return out


@dataclass
class Slot:
    """One unit's one requirement: its files and whether it is missing."""

    req: Requirement
    files: list[Attachment] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return self.req.required and not self.files

    @property
    def full(self) -> bool:
        return len(self.files) >= MAX_FILES


def slots(rnd: Round, reqs: list[Requirement], entity: str) -> list[Slot]:
    got = uploaded(rnd, entity)
    return [Slot(r, got.get((entity, r.item_id, r.name), [])) for r in reqs]


def pending_deduction(got: list[Slot]) -> str:
    """What the missing attachments will cost in the round's scoring, at most (an item never goes below 0); the
    unit's self-check, made when it uploaded its workbook, does not count it."""
    total = sum((s.req.deduct for s in got if s.missing and s.req.deduct is not None), Decimal(0))
    return _fmt(total) if total else ""


def missing_message(req: Requirement) -> str:
    rule = "" if req.deduct is None else ("；细则规定缺少本项不得分" if req.whole else
                                          f"；细则规定缺少扣 {_fmt(req.deduct)} 分")
    return (f"项目{req.item_id}（{req.item_name}）要求的佐证材料“{req.name}”尚未上传{rule}："
            "请在本单位本轮页面的“佐证材料”一栏上传")


def problems(rnd: Round, entity: str, reqs: list[Requirement] | None = None) -> list[dict[str, Any]]:
    """The unit's missing required attachments, as the problem tables show problems."""
    reqs = requirements(rnd.scheme.path()) if reqs is None else reqs
    return [{"level": "error", "where": f"佐证材料·项目{s.req.item_id}·“{s.req.name}”", "message": missing_message(s.req),
             "code": "evidence-missing", "item": s.req.item_id}
            for s in slots(rnd, reqs, entity) if s.missing]


def deduction_rows(rnd: Round) -> list[list[str]]:
    """Findings rows (web/pipeline.FINDINGS_HEADER) for every unit of the roster missing a required attachment
    whose scheme says it deducts: the deduction is then an event like any record, and a frozen run's findings.csv
    carries it, so `assess verify` reproduces it."""
    reqs = [r for r in requirements(rnd.scheme.path()) if r.required and r.deduct is not None]
    if not reqs:
        return []
    have = set(Attachment.objects.filter(round=rnd, finding=None, appeal=None).exclude(item_id="")
               .values_list("entity_id", "item_id", "requirement"))
    rows = []
    for e in rnd.roster.order_by("entity_id"):
        for r in reqs:
            if (e.entity_id, r.item_id, r.name) in have:
                continue
            assert r.deduct is not None
            basis = "；".join(x for x in (r.clause, "细则要求的佐证材料") if x)
            rows.append([e.entity_id, r.item_id, _fmt(r.deduct), "", f"未提供佐证材料“{r.name}”", OFFICE, basis])
    return rows

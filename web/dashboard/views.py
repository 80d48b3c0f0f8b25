"""The office's view of a round: every unit's status, the provisional ranking, explain, missing scorer records,
and the published documents."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from web.downloads import attachment
from web.findings.items import assessed
from web.findings.progress import cells
from web.pipeline import explain, ranking, score_round, warn_round
from web.policy import allow
from web.rounds.lookup import entry_or_404, round_or_404
from web.rounds.models import NEXT_STATE, FrozenRun, Publication, State
from web.rounds.services import UNITS_DOC, round_input
from web.submissions.services import latest

PUBLISHED = {"json": "results.json", "xlsx": "results.xlsx", "html": "report.html", "md": "通报.md", "docx": "通报.docx"}
STATUS_NONE = "未提交"


@allow("office")
def dashboard(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = round_or_404(round_id)
    last = latest(rnd)
    rows = []
    counts = {"未提交": 0, "有错误": 0, "已提交": 0}
    for e in rnd.roster.all():
        s = last.get(e.entity_id)
        status = s.get_status_display() if s else STATUS_NONE
        counts[status] += 1
        rows.append({"entry": e, "sub": s, "status": status})
    nxt = NEXT_STATE.get(State(rnd.state))
    got = cells(rnd)
    pairs = [(i.id, e.entity_id) for i in assessed(rnd.scheme.path()) for e in rnd.roster.all()]
    unreported = sum(1 for p in pairs if not ((c := got.get(p)) and c.reported))
    return render(request, "web/dashboard.html", {
        "unreported": unreported, "assessed_pairs": len(pairs),
        "round": rnd, "rows": rows, "counts": counts, "next_state": dict(State.choices)[nxt] if nxt else None,
        "publications": [(k, v) for k, v in PUBLISHED.items()] if rnd.state == State.PUBLISHED else [],
        "runs": FrozenRun.objects.filter(round=rnd).defer("results_json")})


@allow("office")
def round_ranking(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = round_or_404(round_id)
    inp = round_input(rnd, provisional=True)
    results, problems = score_round(inp) if inp.books else (None, [])
    headers, rows = ranking(results) if results is not None else ([], [])
    return render(request, "web/ranking.html", {"round": rnd, "headers": headers, "rows": rows,
                                                "problems": problems, "books": len(inp.books),
                                                "units": rnd.roster.count()})


@allow("office")
def round_warnings(request: HttpRequest, round_id: int) -> HttpResponse:
    """The warnings during the year (assess warn) over the units' latest clean submissions, as of the date
    the office enters (today when it enters none); the same list, columns and words as the command's."""
    from django.utils import timezone

    from reports.alertsreport import HEADERS, lead, row_cells, warnings_html, warnings_xlsx

    rnd = round_or_404(round_id)
    raw = request.GET.get("as_of", "").strip()
    bad = ""
    try:
        as_of = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        as_of, bad = timezone.localdate(), f"“{raw}”不是日期，请写成 2020-09-30 的样子；下面按今天计算"
    inp = round_input(rnd, provisional=True)
    w, problems = warn_round(inp, as_of) if inp.books else (None, [])
    kind = request.GET.get("download", "")
    if w is not None and kind in ("xlsx", "html"):   # the same workbook and page as assess warn -o
        content = warnings_xlsx(w) if kind == "xlsx" else warnings_html(w).encode("utf-8")
        return attachment(content, f"{rnd.name}-预警-{as_of.isoformat()}.{kind}")
    return render(request, "web/warnings.html", {
        "round": rnd, "as_of": as_of, "bad": bad, "headers": HEADERS, "books": len(inp.books),
        "units": rnd.roster.count(), "problems": problems, "lead": lead(w) if w is not None else [],
        "rows": [(a.level, row_cells(a)) for a in w.alerts] if w is not None else [], "computed": w is not None})


@allow("office")
def round_explain(request: HttpRequest, round_id: int, entity: str) -> HttpResponse:
    rnd = round_or_404(round_id)
    entry = entry_or_404(rnd, entity)
    results, problems = score_round(round_input(rnd, provisional=True))
    text = explain(results, entity) if results is not None else None
    return render(request, "web/explain.html", {"round": rnd, "entry": entry, "text": text, "problems": problems})


@allow("office")
def round_missing(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = round_or_404(round_id)
    roster = list(rnd.roster.all())
    got = cells(rnd)   # a record, or a scorer's “nothing to record”, is a report
    items = []
    for item in assessed(rnd.scheme.path()):
        missing = [e for e in roster if not ((c := got.get((item.id, e.entity_id))) and c.reported)]
        items.append({"id": item.id, "name": item.name, "mode": item.mode, "missing": missing,
                      "done": len(roster) - len(missing), "rule": item.missing_rule})
    return render(request, "web/missing.html", {"round": rnd, "items": items, "units": len(roster)})


@allow("office")
def round_published(request: HttpRequest, round_id: int, kind: str) -> HttpResponse:
    rnd = round_or_404(round_id)
    name = PUBLISHED.get(kind)
    doc = Publication.objects.filter(round=rnd, name=name).first() if name and name != UNITS_DOC else None
    if doc is None:
        raise Http404("文件尚未发布")
    return attachment(bytes(doc.content), f"{rnd.name}-{doc.name}")

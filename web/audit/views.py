"""The office reads the audit trail and downloads it. Read-only: these views answer GET only; nothing in the
site changes an audit row (web/audit/models.py)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from web.audit.export import as_csv, as_xlsx
from web.audit.models import AuditEntry
from web.downloads import attachment
from web.policy import allow
from web.rounds.models import Round

PAGE = 100


def _entries(request: HttpRequest):  # type: ignore[no-untyped-def]
    qs = AuditEntry.objects.all()
    rnd = request.GET.get("round", "")
    if rnd.isdigit():
        qs = qs.filter(round_id=int(rnd))
    entity = request.GET.get("entity", "").strip()
    if entity:
        qs = qs.filter(entity_id=entity)
    return qs, rnd, entity


@allow("office")
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    qs, rnd, entity = _entries(request)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("round", rnd), ("entity", entity)) if v)
    return render(request, "web/audit.html", {"page": page, "rounds": Round.objects.all(), "round_filter": rnd,
                                              "entity_filter": entity, "query": query})


@allow("office")
@require_GET
def audit_export(request: HttpRequest, kind: str) -> HttpResponse:
    qs, _rnd, _entity = _entries(request)
    qs = qs.order_by("at", "id")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if kind == "csv":
        return attachment(as_csv(qs.iterator()), f"操作记录-{stamp}.csv")
    if kind == "xlsx":
        return attachment(as_xlsx(qs.iterator()), f"操作记录-{stamp}.xlsx")
    raise Http404("没有这种格式")

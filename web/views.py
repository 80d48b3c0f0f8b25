"""Pages outside the apps: the health check and the site's own static files (no CDN, no external URL)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.static import serve

from web.policy import allow


@allow("public")
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:   # ready means: the database answers
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@allow("public")
def static(request: HttpRequest, path: str) -> HttpResponse:
    return serve(request, path, document_root=str(settings.BASE_DIR / "static"))


def denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", {"reason": str(exception) if exception else ""}, status=404)

"""Refuse an oversized request before anything parses its body (Django would spool it to disk first)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

SLACK = 1024 * 1024   # the form's other fields and the multipart framing


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = int(settings.UPLOAD_MAX_BYTES)
        if length > limit + SLACK:
            return HttpResponse(f"上传的文件过大：上限为 {limit // 1048576} MB。请返回上一页。",
                                status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

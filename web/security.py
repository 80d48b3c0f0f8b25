"""Response headers that limit what a page may load or run: a Content-Security-Policy on every response.

Everything the site uses is its own (web/static: one stylesheet, one script; no CDN, no inline script or style
attribute in the templates — tests/web/test_upload_hardening.py checks them), so the policy allows the site
itself only. Downloads (report.html, workbooks) are attachments: the browser saves them, they are not pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
          "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        return response

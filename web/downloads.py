"""File responses: a download name given as RFC 6266 filename* (Chinese names survive every browser)."""

from __future__ import annotations

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES = {".xlsx": XLSX, ".zip": "application/zip", ".html": "text/html; charset=utf-8",
         ".md": "text/markdown; charset=utf-8", ".csv": "text/csv; charset=utf-8",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".json": "application/json", ".yaml": "application/x-yaml"}
KIND_TYPES = {"xlsx": XLSX, "zip": "application/zip"}    # an upload's stored kind (web/uploads.py Accepted.kind)


def attachment(content: bytes, name: str, content_type: str | None = None) -> HttpResponse:
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    response = HttpResponse(content, content_type=content_type or TYPES.get(suffix, "application/octet-stream"))
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response

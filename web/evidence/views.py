"""Downloading an attachment. Who may: the office; the scorer account that uploaded it with its record; the unit, for the
files of its own appeals (the URL's entity is checked by the policy, the rest here, before any byte is read)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from web.downloads import attachment
from web.evidence.models import Attachment
from web.policy import allow, role_of
from web.rounds.lookup import round_or_404


def may_see(user: object, a: Attachment) -> bool:
    role = role_of(user)
    if role == "office":
        return True
    if role == "scorer":
        # a record's file, uploaded by this very account (never matched by display name: names can repeat)
        return a.appeal_id is None and a.finding_id is not None and a.uploaded_by_id == user.pk  # type: ignore[attr-defined]
    return role == "unit" and a.appeal_id is not None


@allow("office", "unit", "scorer", own_entity=True)
def attachment_download(request: HttpRequest, round_id: int, entity: str, pk: int) -> HttpResponse:
    rnd = round_or_404(round_id)
    a = Attachment.objects.filter(round=rnd, entity_id=entity, pk=pk).first()
    if a is None:
        raise Http404("没有这个佐证材料")
    if not may_see(request.user, a):
        raise PermissionDenied
    return attachment(a.path().read_bytes(), a.name, "application/octet-stream")

"""Finding a round and a unit in it: 404 when the unit is not in the round's roster."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from web.rounds.models import RosterEntry, Round


def round_or_404(round_id: int) -> Round:
    return get_object_or_404(Round.objects.select_related("scheme"), pk=round_id)


def entry_or_404(rnd: Round, entity: str) -> RosterEntry:
    entry = RosterEntry.objects.filter(round=rnd, entity_id=entity).first()
    if entry is None:
        raise Http404("该单位不在本轮名册中")
    return entry

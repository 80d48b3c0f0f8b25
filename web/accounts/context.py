"""Template context: the signed-in user's role and unit, for the navigation bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from web.policy import ROLE_NAMES, entity_of, role_of


def role(request: HttpRequest) -> dict[str, Any]:
    r = role_of(request.user)
    profile = getattr(request.user, "profile", None)
    return {"role": r, "role_name": ROLE_NAMES.get(r or "", ""), "my_entity": entity_of(request.user),
            "my_name": profile.display_name if profile is not None else ""}

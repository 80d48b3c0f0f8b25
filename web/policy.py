"""Who may see what, declared in one place: every view carries a policy (`@allow(...)`), the middleware refuses
any view that does not, and tests/web/test_policy.py walks every URL pattern and fails on one without a policy.

Roles: "office" (市安委办, manages everything), "unit" (one county or department, bound to one roster entity),
"scorer" (评分单位), and "public" (no login: the login page, /healthz, static files).

`own_entity=True`: a unit may open the page only for its own entity — the URL's `entity` argument must be the
unit's roster id, so another unit's pages answer 403 before the view runs; the view then looks its data up by
(round, entity), never by an id alone. Office and scorer accounts are not bound to an entity.

`own_item=True`: a scorer may open the page only for an item the office assigned to it in that round (the URL's
`round_id` and `item`; web/findings/models.py Assignment), so another scorer's items answer 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

ROLES = ("office", "unit", "scorer", "public")
ROLE_NAMES = {"office": "市安委办", "unit": "被考核单位", "scorer": "评分单位"}


@dataclass(frozen=True)
class Policy:
    roles: frozenset[str]
    own_entity: bool = False
    own_item: bool = False

    def describe(self) -> str:
        who = "、".join(ROLE_NAMES.get(r, "所有人") for r in sorted(self.roles))
        return who + ("（仅本单位）" if self.own_entity else "") + ("（仅本单位负责的项目）" if self.own_item else "")


def role_of(user: Any) -> str | None:
    """The role of a signed-in user (a superuser without a profile acts as the office)."""
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None)
    if profile is not None:
        return str(profile.role)
    return "office" if user.is_superuser else None


def entity_of(user: Any) -> str | None:
    profile = getattr(user, "profile", None)
    return profile.entity_id if profile is not None and profile.role == "unit" else None


def owns_item(user: Any, round_id: Any, item: Any) -> bool:
    """Is this scorer account assigned the item in the round?"""
    from web.findings.models import Assignment  # the apps import this module: import their models late

    return Assignment.objects.filter(round_id=round_id, item_id=item, scorer=user).exists()


def allow(*roles: str, own_entity: bool = False, own_item: bool = False) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles {unknown}")
    policy = Policy(frozenset(roles), own_entity, own_item)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if "public" not in policy.roles:
                role = role_of(request.user)
                if role is None and not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if role not in policy.roles:
                    raise PermissionDenied
                if policy.own_entity and role == "unit" and kwargs.get("entity") != entity_of(request.user):
                    raise PermissionDenied
                if policy.own_item and role == "scorer" and not owns_item(request.user, kwargs.get("round_id"),
                                                                          kwargs.get("item")):
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        checked.policy = policy  # type: ignore[attr-defined]
        return checked

    return decorate


def policy_of(view: Any) -> Policy | None:
    return getattr(view, "policy", None)


class PolicyMiddleware:
    """Refuse (403) any view that declares no policy: a forgotten decorator fails closed, not open.
    Django's admin is exempt: it has its own staff-only checks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and "admin" in match.namespaces:
            return None
        if policy_of(view) is None:
            raise PermissionDenied
        return None

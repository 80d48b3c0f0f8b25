"""Creating accounts: one per roster entity (units), one per scorer name, and the office."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from web.accounts.models import OFFICE, SCORER, UNIT, Profile
from web.accounts.passwords import generate


@dataclass
class NewAccount:
    username: str
    password: str          # shown once, never stored in clear
    role: str
    name: str


def create_account(username: str, role: str, name: str, entity_id: str = "", password: str | None = None,
                   password_hash: str | None = None) -> NewAccount | None:
    """A new account; None when the user name is taken (existing accounts are never overwritten).
    `password_hash` (Django's make_password of `password`) saves hashing one shared demo password 54 times."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return None
    password = password or generate()
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=None if password_hash else password)
        if password_hash:
            user.password = password_hash
            user.save(update_fields=["password"])
        Profile.objects.create(user=user, role=role, entity_id=entity_id, display_name=name)
    return NewAccount(username, password, role, name)


def accounts_for_roster(entries: list[tuple[str, str]]) -> tuple[list[NewAccount], list[str]]:
    """Unit accounts for (entity id, name) pairs: user name = entity id. Returns (created, skipped names)."""
    created, skipped = [], []
    for entity_id, name in entries:
        made = create_account(entity_id, UNIT, name, entity_id=entity_id)
        if made is None:
            skipped.append(entity_id)
        else:
            created.append(made)
    return created, skipped


OFFICE_NAME = "市安委办"   # what the office's records carry as 评分单位 (web/findings/scoring.py scorer_name)


def office_names() -> set[str]:
    """Names a scorer may not take: a scorer named like the office would pass for it wherever a name is shown."""
    return {OFFICE_NAME, *Profile.objects.filter(role=OFFICE).values_list("display_name", flat=True)} - {""}


def accounts_for_scorers(names: list[str]) -> tuple[list[NewAccount], list[str], list[str]]:
    """Scorer accounts, user names scorer01, scorer02, … in the order given.
    Returns (created, skipped: a scorer of that name exists, refused: the office's name)."""
    User = get_user_model()
    created, skipped, refused = [], [], []
    n = User.objects.filter(username__startswith="scorer").count()
    reserved = office_names()
    for name in names:
        if name in reserved:
            refused.append(name)
            continue
        if Profile.objects.filter(role=SCORER, display_name=name).exists():
            skipped.append(name)
            continue
        while True:
            n += 1
            username = f"scorer{n:02d}"
            made = create_account(username, SCORER, name)
            if made is not None:
                created.append(made)
                break
    return created, skipped, refused

"""Generated passwords: long enough, without look-alike characters (they are read off paper)."""

from __future__ import annotations

import secrets

ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate(length: int = 12) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))

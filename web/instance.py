"""The instance folder: everything one server keeps (database, secret key, uploads, published documents).

Paths inside it are made here from generated ids only: nothing a user types reaches the file system."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_FILE = "secret_key"


def prepare(folder: Path) -> Path:
    """Create the instance folder and its sub-folders; the folder itself is private to the server's user."""
    folder = folder.resolve()
    for sub in ("", "uploads", "schemes", "published", "work"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return folder


def secret_key(folder: Path) -> str:
    """This instance's own secret key: made once, written with mode 0600, read on every start."""
    path = folder / SECRET_FILE
    if not path.exists():
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key)
    return path.read_text(encoding="ascii").strip()

"""The instance folder: everything one server keeps (database, secret key, uploads, published documents).

Paths inside it are made here from generated ids only: nothing a user types reaches the file system."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_FILE = "secret_key"


PRIVATE_DIR = 0o700      # the database (sessions, password hashes), uploads and the secret key live here
PRIVATE_FILE = 0o600
PRIVATE_UMASK = 0o077    # `assess serve` sets it first: whatever the server creates is its user's alone


def prepare(folder: Path) -> Path:
    """Create the instance folder and its sub-folders, private to the server's user (0700, also when they
    existed already with wider modes; on Windows the folder's ACL decides, chmod changes little there)."""
    folder = folder.resolve()
    for sub in ("", "uploads", "schemes", "published", "work"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / sub).chmod(PRIVATE_DIR)
    return folder


def make_private(path: Path) -> None:
    """A file the server made (the SQLite database) readable by the server's user only."""
    if path.exists():
        path.chmod(PRIVATE_FILE)


def secret_key(folder: Path) -> str:
    """This instance's own secret key: made once, written with mode 0600, read on every start."""
    path = folder / SECRET_FILE
    if not path.exists():
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key)
    return path.read_text(encoding="ascii").strip()

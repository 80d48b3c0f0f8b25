"""Database settings from a URL: SQLite in the instance folder by default, PostgreSQL when a URL is given."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit


class BadDatabaseUrl(ValueError):
    """The URL is not one this server can use (the message is Chinese)."""


def sqlite(path: Path) -> dict[str, Any]:
    # WAL lets readers go on while one upload writes; IMMEDIATE transactions and a busy timeout make
    # concurrent writers wait their turn instead of failing with "database is locked".
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def from_url(url: str) -> dict[str, Any]:
    """postgresql://user:password@host:port/dbname?sslmode=require → Django's DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme in ("sqlite", "sqlite3"):
        rest = url.split("://", 1)[1]   # sqlite:///relative/db.sqlite3, sqlite:////absolute/db.sqlite3
        path = rest[1:] if rest.startswith("/") else rest
        if not path.strip("/"):
            raise BadDatabaseUrl(f"数据库地址“{url}”缺少文件路径，应为 sqlite:////绝对路径/db.sqlite3")
        return sqlite(Path(unquote(path)))
    if parts.scheme not in ("postgres", "postgresql"):
        raise BadDatabaseUrl(f"不支持的数据库地址“{parts.scheme}://…”：请用 postgresql://用户:密码@主机:端口/库名")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise BadDatabaseUrl("数据库地址缺少库名：postgresql://用户:密码@主机:端口/库名")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(parts.port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
        "CONN_MAX_AGE": 60,
    }

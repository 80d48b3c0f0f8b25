"""What a data path is, before anything reads it: a file, a folder, or something that must be refused.

A FIFO would hang a reader, a symlink loop or a dangling link would raise, an unreadable file would raise:
each becomes a located problem that says what the path is and what to do, never a traceback or a hang.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from common.oserrors import os_error_words
from common.problems import Problems

FILE, FOLDER, MISSING, DANGLING, LOOP, SPECIAL, DENIED, BROKEN = (
    "file", "folder", "missing", "dangling", "loop", "special", "denied", "broken")


@dataclass(frozen=True)
class Entry:
    path: Path
    kind: str          # one of the constants above
    detail: str = ""   # the system's words for an unexpected error


def entry(path: Path) -> Entry:
    """What `path` is, following symlinks, without opening it."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return Entry(path, DANGLING if os.path.islink(path) else MISSING)
    except PermissionError:
        return Entry(path, DENIED)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return Entry(path, LOOP)
        if e.errno == errno.ENOTDIR:
            return Entry(path, MISSING)
        return Entry(path, BROKEN, os_error_words(e))
    if stat.S_ISREG(st.st_mode):
        return Entry(path, FILE)
    if stat.S_ISDIR(st.st_mode):
        return Entry(path, FOLDER)
    return Entry(path, SPECIAL)


def why_not(e: Entry) -> str:
    """What is wrong with a path that is neither a readable file nor a folder (Chinese, with what to do)."""
    return {
        MISSING: "路径不存在，请检查路径是否写错",
        DANGLING: "是一个指向不存在目标的符号链接（快捷方式），请改用实际的文件或文件夹",
        LOOP: "是循环的符号链接（链接指向自身），无法读取，请改用实际的文件或文件夹",
        SPECIAL: "不是普通文件或文件夹（可能是管道或设备），无法作为数据读取",
        DENIED: "没有读取权限，请检查文件权限",
        BROKEN: f"无法访问（{e.detail}）",
        FILE: "是一个文件",
        FOLDER: "是一个文件夹",
    }[e.kind]


def report(e: Entry, what: str, problems: Problems, *, code: str = "bad-path", hint: str = "") -> None:
    """Report a path that cannot be used as `what` (e.g. “数据文件”)."""
    problems.add(f"{what}“{e.path.name or e.path}”{why_not(e)}{hint}", file=str(e.path), code=code)


def listing(folder: Path, problems: Problems) -> list[Entry] | None:
    """The entries of a folder, sorted by name; None (reported) when the folder cannot be listed."""
    try:
        names = sorted(os.listdir(folder))
    except PermissionError:
        problems.add("没有读取该文件夹的权限，请检查权限", file=str(folder), code="bad-path")
        return None
    except OSError as e:
        problems.add(f"无法读取文件夹（{os_error_words(e)}）", file=str(folder), code="bad-path")
        return None
    return [entry(folder / n) for n in names]


def read_bytes(path: Path, problems: Problems, what: str = "文件") -> bytes | None:
    """A regular file's bytes; None (reported) when it is not one or cannot be read."""
    e = entry(path)
    if e.kind != FILE:
        report(e, what, problems)
        return None
    try:
        return path.read_bytes()
    except OSError as err:
        problems.add(f"{what}“{path.name}”无法读取（{_reason(err)}）", file=str(path), code="bad-path")
        return None


def _reason(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "没有读取权限，请检查文件权限"
    return os_error_words(err)


def open_problem(path: Path, err: OSError, problems: Problems, what: str = "文件") -> None:
    problems.add(f"{what}“{path.name}”无法读取（{_reason(err)}）", file=str(path), code="bad-path")

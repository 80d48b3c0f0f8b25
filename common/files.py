"""Write output files atomically: a half-written workbook or CSV must never be mistaken for a whole one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic_with(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a temporary file beside `path`, then move it into place in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix or ".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)   # mkstemp makes it private; an output is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding=encoding, newline="")

    write_atomic_with(path, write)


def safe_file_name(text: str) -> str:
    """A file name from a unit's id and name (no path separators or characters Windows refuses)."""
    out = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in text).strip(". ")
    return out or "_"

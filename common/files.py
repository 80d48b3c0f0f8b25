"""Writing output files: atomically, with one file mode, never over an input, under names any disk accepts.

Every file assess writes (results, reports, templates, converted data, annotated copies) goes through
`write_atomic_with` (or its text/bytes/folder forms):

- **Atomic**: the content is written to a temporary file beside the target, flushed to disk, and moved
  into place with one `os.replace`. A reader sees the old file or the whole new one, never half of one —
  also when the process is killed or the disk fills up (the temporary file is removed on any failure).
- **One file mode: 0666 minus the umask** — what `touch` or a text editor would create (0644 under the usual
  umask 022). An output is an ordinary document a colleague sharing the folder may open; `mkstemp`'s private
  0600 would hide it, and a fixed 0644 would override a user who chose a stricter umask (077) on purpose.
- **Never over an input**: `input_clash` names the input a planned output would replace (the same path, a
  symlink to it or a hard link), so a command can refuse before writing anything.
- **Names any disk accepts**: `safe_file_name` builds a file name from a unit's id and name, without
  separators or characters Windows refuses, cut to the 255-byte limit of common file systems (UTF-8 bytes:
  a Chinese character is 3) and still unique after cutting (a short hash of the whole text is kept).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from common.oserrors import NotRegularFile

NAME_BYTES = 255                      # the file-name limit of ext4, NTFS (in UTF-16 units: stricter here), APFS
UNSAFE = frozenset('<>:"/\\|?*')
WINDOWS_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                              *(f"LPT{i}" for i in range(1, 10))})


def file_mode() -> int:
    """The mode of every output file: 0666 minus the process's umask (see the module's docstring)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _sync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def write_atomic_with(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a temporary file beside `path`, then move it into place in one step. A symbolic
    link is written through (its target is replaced, the link stays); a device, pipe or socket is refused."""
    path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file() and not path.is_dir():
        raise NotRegularFile(errno.EPERM, "not a regular file", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".assess-", suffix=path.suffix or ".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        _sync(Path(tmp))
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes) -> None:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_atomic_with(path, write)


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding=encoding, newline="") as f:
            f.write(text)

    write_atomic_with(path, write)


def write_files_atomic(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Several files into one folder: all are written to a temporary folder inside it first, so a failure
    while writing any of them leaves the folder as it was; then each is moved into place."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder, prefix=".assess-"))
    try:
        mode = file_mode()
        for name, content in files.items():
            (tmp / name).write_bytes(content)
            _sync(tmp / name)
            os.chmod(tmp / name, mode)
        for name in files:
            os.replace(tmp / name, folder / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [folder / name for name in files]


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):   # a symlink loop or an unreadable folder: compare the paths as given
        return os.path.abspath(a) == os.path.abspath(b)


def input_clash(outputs: Iterable[Path], inputs: Iterable[Path | str]) -> tuple[Path, Path] | None:
    """The first (output, input) pair where writing the output would replace an input, else None."""
    ins = [Path(p) for p in inputs]
    for out in outputs:
        for inp in ins:
            if _same(out, inp):
                return out, inp
    return None


def folder_clash(outputs: Iterable[Path], inputs: Iterable[Path | str]) -> tuple[Path, Path] | None:
    """The first (output, data folder) pair where the output would be written straight into a folder that is
    read as data: the next run would read it as data (an unknown sheet, a misnamed file), or refuse it."""
    folders = [Path(p) for p in inputs if Path(p).is_dir()]
    for out in outputs:
        for folder in folders:
            if _same(out.parent, folder):
                return out, folder
    return None


def clash_message(clash: tuple[Path, Path]) -> str:
    """The Chinese refusal for `input_clash`'s (or `folder_clash`'s) answer."""
    out, inp = clash
    if inp.is_dir():
        return (f"输出文件 {out} 会写进数据文件夹 {inp}：下次评分时它会被当作数据读取。"
                "请把输出写到数据文件夹以外的地方。")
    same = "" if str(out) == str(inp) else f"（即输入文件 {inp}）"
    return f"输出文件 {out}{same} 是本次读取的输入文件：为保护原件，不会覆盖它。请换一个输出路径。"


def _cut_bytes(text: str, limit: int) -> str:
    """The longest prefix of `text` whose UTF-8 form fits in `limit` bytes (never half a character)."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def safe_file_name(text: str, suffix: str = "", limit: int = NAME_BYTES) -> str:
    """A file name from a unit's id and name (no path separators or characters Windows refuses), with
    `suffix` (such as ".xlsx"), at most `limit` UTF-8 bytes in all. A name too long is cut and ends with
    eight hex digits of the whole text's sha256, so two long names sharing a beginning stay apart."""
    out = "".join("_" if c in UNSAFE or ord(c) < 32 or c == "\x7f" else c for c in text).strip(". ")
    out = out or "_"
    if out.split(".")[0].upper() in WINDOWS_RESERVED:
        out = f"_{out}"
    if len((out + suffix).encode("utf-8")) > limit:
        tag = "~" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        out = _cut_bytes(out, limit - len((tag + suffix).encode("utf-8"))).rstrip(". ") + tag
    return out + suffix


def unique_file_names(texts: Iterable[str], suffix: str = "") -> list[str]:
    """`safe_file_name` of each text, made unique without regard to case (Windows and macOS disks do not
    tell 'A.xlsx' from 'a.xlsx'): a later clash gets '-2', '-3', … before the suffix."""
    seen: set[str] = set()
    out = []
    for text in texts:
        name = safe_file_name(text, suffix)
        n = 1
        while name.casefold() in seen:
            n += 1
            name = safe_file_name(text, f"-{n}{suffix}")
        seen.add(name.casefold())
        out.append(name)
    return out

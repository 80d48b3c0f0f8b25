"""Uploads, checked by content before anything reads them: size, zip structure, entry sizes and compression
ratio (an .xlsx is a zip: a zip bomb must be refused before openpyxl or calamine inflates it), and the kind of
file (an Office workbook, or a zip of CSV files). Stored under instance/uploads/<generated id>/ only."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings

from rules.language.scheme import Scheme

ZIP_MAGIC = b"PK\x03\x04"
MAX_ENTRIES = 2000
MAX_TOTAL_UNCOMPRESSED = 400 * 1024 * 1024   # far above any real unit workbook, far below a bomb
MAX_RATIO = 200                              # worksheet XML compresses ~10-50x; a bomb, thousands
RATIO_FLOOR = 1024 * 1024                    # small entries may compress as they like
CSV_NAMES = ("entities", "单位名册", "values", "填报数据", "findings", "考核扣分记录", "self_scores", "自评分")


class Refused(ValueError):
    """The upload is refused before it is read; the message says why and what to do, in Chinese."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Accepted:
    kind: str                       # xlsx | zip
    data: bytes
    sha256: str
    csv_files: dict[str, bytes] = field(default_factory=dict)   # zip of CSVs: known stem -> content


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if not data.startswith(ZIP_MAGIC):
        raise Refused("文件不是 Excel 工作簿（.xlsx）或 zip 压缩包：请上传填报工作簿，或把 CSV 文件打包为 zip 后上传",
                      "web-file-type")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Refused("文件已损坏，无法打开：请重新保存后上传", "web-file-type") from None
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise Refused(f"压缩包内文件过多（{len(infos)} 个）：请只上传填报工作簿或 CSV 文件", "web-zip-bomb")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_TOTAL_UNCOMPRESSED or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise Refused("文件解压后异常巨大（疑似“压缩炸弹”），已拒收：请上传正常保存的填报工作簿", "web-zip-bomb")
        if info.flag_bits & 0x1:
            raise Refused("文件已加密：请取消密码保护后上传", "web-file-type")
    return zf


DAMAGED = "文件已损坏（压缩包中的“{}”无法解压）：请重新保存后上传"


def _read(zf: zipfile.ZipFile, member: str | zipfile.ZipInfo) -> bytes:
    """A member's bytes; a damaged member (bad CRC, broken deflate data, cut short) is a refusal, not a 500."""
    try:
        return zf.read(member)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError):
        name = member.filename if isinstance(member, zipfile.ZipInfo) else member
        raise Refused(DAMAGED.format(name), "web-file-type") from None


def _known_csv_stems(scheme: Scheme) -> dict[str, str]:
    tables = scheme.tables
    return {**{n: n for n in CSV_NAMES}, **{t: t for t in tables}, **{inp.label: t for t, inp in tables.items()}}


def accept(data: bytes, scheme: Scheme) -> Accepted:
    """Check an upload by its content; raises Refused with a Chinese reason."""
    limit = int(settings.UPLOAD_MAX_BYTES)
    if len(data) > limit:
        raise Refused(f"文件过大（{len(data) / 1048576:.1f} MB），上限为 {limit // 1048576} MB", "web-too-large")
    if not data:
        raise Refused("上传的文件是空的", "web-file-type")
    zf = _open_zip(data)
    names = set(zf.namelist())
    digest = hashlib.sha256(data).hexdigest()
    if "[Content_Types].xml" in names:
        types = _read(zf, "[Content_Types].xml")
        if b"spreadsheetml" not in types or not any(n.startswith("xl/") for n in names):
            raise Refused("文件不是 Excel 工作簿（可能是 Word 或其他文档）：请上传填报工作簿（.xlsx）", "web-file-type")
        if b"macroEnabled" in types:
            raise Refused("不接受含宏的工作簿（.xlsm）：请另存为 .xlsx 后上传", "web-file-type")
        return Accepted("xlsx", data, digest)
    known = _known_csv_stems(scheme)
    csv_files: dict[str, bytes] = {}
    for info in zf.infolist():
        if info.is_dir():
            continue
        pure = PurePosixPath(info.filename.replace("\\", "/"))
        if (pure.parts and pure.parts[0] == "__MACOSX") or pure.name.startswith("."):
            continue
        if pure.suffix.lower() != ".csv":
            raise Refused(f"压缩包中的“{pure.name}”不是 CSV 文件：zip 中只能放填报的 CSV 文件", "web-file-type")
        stem = known.get(pure.stem)
        if stem is None:
            choices = "、".join(sorted({*CSV_NAMES[::2], *scheme.tables}))
            raise Refused(f"压缩包中的“{pure.name}”不是本考核细则的填报文件；CSV 文件应命名为：{choices}", "web-file-type")
        if stem in csv_files:
            raise Refused(f"压缩包中有两个“{stem}”文件：每张表只能有一个 CSV 文件", "web-file-type")
        csv_files[stem] = _read(zf, info)
    if not csv_files:
        raise Refused("压缩包中没有 CSV 文件：请上传填报工作簿（.xlsx），或把 CSV 文件打包为 zip", "web-file-type")
    return Accepted("zip", data, digest, csv_files)


def new_storage() -> str:
    return secrets.token_hex(16)


def store(accepted: Accepted, storage: str) -> Path:
    """Write the upload unmodified (read-only) and the copy the pipeline reads; returns the data folder."""
    folder = Path(settings.INSTANCE) / "uploads" / storage
    (folder / "data").mkdir(parents=True)
    original = folder / f"original.{accepted.kind}"
    original.write_bytes(accepted.data)
    original.chmod(0o444)
    if accepted.kind == "xlsx":
        (folder / "data" / "unit.xlsx").write_bytes(accepted.data)
    else:
        for stem, content in accepted.csv_files.items():
            (folder / "data" / f"{stem}.csv").write_bytes(content)
    return folder / "data"

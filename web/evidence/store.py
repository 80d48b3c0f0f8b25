"""Taking an attachment: its kind told by its content (PDF, JPEG, PNG, or an Office document checked like a
workbook upload against zip bombs), its size limited, stored unmodified and read-only under a generated id."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings

from web.evidence.models import Attachment
from web.uploads import Refused, new_storage
from web.uploads import _open_zip as checked_zip  # the same zip-bomb and encryption guard as workbook uploads

MAGIC = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
KINDS = "PDF、JPG、PNG 或 Word/Excel 文件（.docx、.xlsx）"


def kind_of(data: bytes) -> str:
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        zf = checked_zip(data)     # refuses a zip bomb, an encrypted or damaged file
        names = set(zf.namelist())
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    raise Refused(f"佐证材料只接受 {KINDS}", "web-file-type")


def attach(data: bytes, name: str, *, round: Any, entity_id: str, user: Any, finding: Any = None,
           appeal: Any = None, scorer_name: str = "", item_id: str = "", requirement: str = "") -> Attachment:
    """Store one attachment (a record's, an appeal's, or a unit's for a scheme's requirement: `item_id` and
    `requirement`); raises Refused (nothing stored) when the file is refused."""
    limit = int(settings.UPLOAD_MAX_BYTES)
    if not data:
        raise Refused("佐证材料是空文件", "web-file-type")
    if len(data) > limit:
        raise Refused(f"佐证材料过大（上限 {limit // 1048576} MB）", "web-too-large")
    kind = kind_of(data)
    storage = new_storage()
    path = Attachment(storage=storage).path()
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    path.chmod(0o444)
    return Attachment.objects.create(round=round, entity_id=entity_id, finding=finding, appeal=appeal,
                                     name=(name or f"佐证材料.{kind}")[:255], kind=kind, size=len(data),
                                     sha256=hashlib.sha256(data).hexdigest(), storage=storage,
                                     scorer_name=scorer_name, uploaded_by=user, item_id=item_id,
                                     requirement=requirement)

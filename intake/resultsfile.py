"""Reading a results document this tool wrote (`assess score --format json`) as an input of another run: earlier
results (`previous`, periods' `results`) and a rollup's lower results. One reader, so every such input is refused
the same way, each refusal said through the caller's `fail` (which knows the scheme line to point at): too large,
missing, not UTF-8, not JSON (with its line and column), a key written twice, not a results document.
The file's sha256 goes into `files`, the run record's inputs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

MAX_BYTES = 1 << 30        # a nation-wide result is ~80 MB
WRITTEN_BY = "请使用 assess score --format json 写出的结果文件"


class RepeatedKey(ValueError):
    """A key written twice in one object: json keeps the last silently, so a hand edit could hide a figure."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`json.loads`' object_pairs_hook refusing a key written twice (every reader of results documents uses it)."""
    obj: dict[str, Any] = {}
    for k, v in pairs:
        if k in obj:
            raise RepeatedKey(k)
        obj[k] = v
    return obj


def read_results_doc(path: Path, fail: Callable[[str], None], files: dict[str, str], missing: str
                     ) -> tuple[dict[str, Any], str] | None:
    """The document and its text (for line numbers), or None after `fail` said why it cannot serve. `missing`
    says what to do when it is absent."""
    try:
        if path.stat().st_size > MAX_BYTES:
            fail("超过 1 GB，不是结果文件")
            return None
        data = path.read_bytes()
        files[str(path)] = hashlib.sha256(data).hexdigest()   # an input of the run, in its run record
        text = data.decode("utf-8").removeprefix("\ufeff")
        doc = json.loads(text, parse_float=Decimal,
                         object_pairs_hook=no_repeated_keys)
    except FileNotFoundError:
        fail(f"不存在；{missing}")
        return None
    except UnicodeDecodeError:
        fail(f"不是 UTF-8 编码；{WRITTEN_BY}")
        return None
    except RepeatedKey as e:   # a hand-edited file: which of the two values is meant cannot be known
        fail(f"中键“{e.key}”写了两次，不是本工具写出的文件；{WRITTEN_BY}")
        return None
    except (json.JSONDecodeError, RecursionError) as e:
        where = f"第{e.lineno}行第{e.colno}列" if isinstance(e, json.JSONDecodeError) else ""
        fail(f"{where}不是有效的 JSON；{WRITTEN_BY}")
        return None
    except OSError as e:
        fail(f"无法读取（{e.strerror or e}）")
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list) or "scheme" not in doc:
        fail(f"不是 assess 的结果文件（没有 scheme、results）；{WRITTEN_BY}")
        return None
    return doc, text

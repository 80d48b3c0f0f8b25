"""Read the CSV form of a data set: a folder of entities.csv, values.csv, <ledger>.csv, findings.csv.

Files are found by name case-insensitively (`Hazards.CSV` is hazards.csv); a file that is almost a data
file (`hazards.txt`, a misspelt name, a data file in a subfolder) is refused, never ignored, because an
ignored ledger scores as a ledger without rows.
"""

from __future__ import annotations

import csv
import hashlib
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from common.formulas import csv_unquote
from common.problems import Problems, did_you_mean
from intake import paths
from intake.dataset import Origin
from intake.raw import Raw, RawTable
from rules.language.scheme import Scheme

PYTHON_STRINGS = pd.StringDtype("python", na_value=np.nan)
ENCODINGS = ("utf-8-sig", "gb18030")  # Excel in China saves CSV as GBK unless told otherwise
FIXED_NAMES = {
    "entities": ("entities", ""), "单位名册": ("entities", ""),
    "values": ("values", ""), "填报数据": ("values", ""),
    "findings": ("findings", "findings"), "考核扣分记录": ("findings", "findings"),
    "self_scores": ("self_scores", ""), "自评分": ("self_scores", ""),
}
NEAR_SUFFIXES = {".txt", ".tsv", ".dat", ".text", ".csv.txt", ""}   # a data file saved under another type
SHOWN_ROWS = 20   # rows with a wrong number of fields reported one by one; the rest counted


def _kinds(scheme: Scheme) -> dict[str, tuple[str, str]]:
    """File stem (lower case) -> (kind, ledger id)."""
    out = {k.lower(): v for k, v in FIXED_NAMES.items()}
    for t, inp in scheme.tables.items():
        out.setdefault(t.lower(), ("ledger", t))
        out.setdefault(inp.label.lower(), ("ledger", t))
    return out


def read_csv_folder(scheme: Scheme, folder: Path, problems: Problems) -> Raw:
    raw = Raw()
    raw.where = str(folder)
    entries = paths.listing(folder, problems)
    if entries is None:
        return raw
    kinds = _kinds(scheme)
    tables = scheme.tables
    for e in entries:
        name = e.path.name
        lower = name.lower()
        if e.kind == paths.FOLDER:
            _misplaced(e.path, kinds, problems)
            continue
        if not lower.endswith(".csv"):
            stem = lower.split(".", 1)[0] if "." in lower else lower
            if stem in kinds and e.kind == paths.FILE and lower[len(stem):] in NEAR_SUFFIXES:
                problems.add(f"文件“{name}”不是 .csv 文件，未读取；若是数据文件，请另存为 CSV（UTF-8）并命名为"
                             f"“{stem}.csv”", file=str(e.path), code="near-miss-file")
            continue
        stem = name[:-4]
        kind = kinds.get(stem.strip().lower())
        if kind is None:
            choices = ["entities", "values", "findings", *tables, *(i.label for i in tables.values())]
            hint = did_you_mean(stem, choices)
            if hint:  # most likely a misspelt ledger: ignoring it would score as if it had no rows
                problems.add(f"无法识别的文件“{name}”{hint}；请按台账编号或名称改正文件名"
                             f"（{'、'.join(tables) or '无台账'}）", file=str(e.path), code="unknown-file")
            else:
                problems.add(f"无法识别的文件“{name}”，将被忽略；台账文件应以台账编号命名："
                             f"{'、'.join(tables) or '（无台账）'}", file=str(e.path), level="warning",
                             code="unknown-file")
            continue
        what, table = kind
        if what in ("ledger", "findings"):
            raw.found.add((table, None))   # found, even if unreadable: reported as such, not as missing
        if e.kind != paths.FILE:
            paths.report(e, "数据文件", problems)
            raw.unread.add(what)
            continue
        scanned = _scan(e.path, problems)
        if scanned is None:
            raw.unread.add(what)
            continue
        raw.files[str(e.path)] = scanned.sha256
        t = read_csv_table(e.path, what, table, problems, apostrophes=scanned.apostrophes)
        if t is not None:
            raw.tables.append(t)
        else:
            raw.unread.add(what)
    return raw


def _misplaced(sub: Path, kinds: dict[str, tuple[str, str]], problems: Problems) -> None:
    """Data files in a subfolder are not read: say so rather than score without them."""
    entries = paths.listing(sub, Problems())   # an unreadable subfolder holds nothing we would read
    for e in (entries or [])[:1000]:
        lower = e.path.name.lower()
        if lower.endswith(".csv") and lower[:-4].strip() in kinds:
            problems.add(f"数据文件“{sub.name}/{e.path.name}”在子文件夹中，不会被读取：请把它移到数据文件夹"
                         f"“{sub.parent}”中（或删除子文件夹中的副本）", file=str(e.path), code="misplaced-file")


@dataclass(frozen=True)
class Scan:
    sha256: str
    apostrophes: bool   # the file has a ' byte: some cell may be text our CSV writer protected (common.formulas)


def _scan(path: Path, problems: Problems) -> Scan | None:
    """The file's sha256 and whether it holds an apostrophe, in one pass of 1 MiB blocks (never the whole
    file in memory). No cell of a file without the byte 0x27 starts with ', in UTF-8 or GB18030 alike (their
    multi-byte characters use no byte below 0x30), so `_unquote` need not look at its 10⁶ cells one by one."""
    digest = hashlib.sha256()
    apostrophes = False
    try:
        with path.open("rb") as f:
            while block := f.read(1 << 20):
                digest.update(block)
                apostrophes = apostrophes or b"'" in block
    except OSError as err:
        paths.open_problem(path, err, problems, "数据文件")
        return None
    return Scan(digest.hexdigest(), apostrophes)


def _read_csv(path: Path, display: str, problems: Problems) -> pd.DataFrame | None:
    for enc in ENCODINGS:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", pd.errors.ParserWarning)
                # Everything as text: types are the scheme's business, not pandas' guess. index_col=False:
                # a row with an extra field must not turn the first column into the index.
                # Python-backed strings, as pandas' `str` is without pyarrow: with pyarrow installed it would
                # build Arrow strings that convert_cells turns back into Python ones, at ~2× the cost. (Not
                # dtype=object: pandas then drops the ParserWarning for rows with extra fields.)
                frame = pd.read_csv(path, dtype=PYTHON_STRINGS, keep_default_na=False, encoding=enc, skip_blank_lines=True,
                                    index_col=False)
            if any(issubclass(w.category, pd.errors.ParserWarning) for w in caught):
                _field_counts(path, enc, display, problems)
                return None
            return frame
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            return pd.DataFrame()
        except pd.errors.ParserError as e:
            if not _field_counts(path, enc, display, problems):
                line = re.search(r"line (\d+)", str(e))
                at = f"第{line.group(1)}行附近" if line else ""
                problems.add(f"CSV 格式错误{at}：无法解析，请检查引号是否成对、含逗号的文字是否用英文双引号括起来",
                             file=display, row=int(line.group(1)) if line else None, code="csv-syntax")
            return None
        except OSError as err:
            paths.open_problem(path, err, problems, "数据文件")
            return None
    problems.add("无法识别文件编码，请另存为 UTF-8 编码的 CSV", file=display, code="encoding")
    return None


def _field_counts(path: Path, enc: str, display: str, problems: Problems) -> bool:
    """Report every row with more fields than the header (True if any). A comma at the end of every row is
    named as such: it is one cause, not one problem a row."""
    extra: list[tuple[int, int]] = []   # (user-visible row, fields)
    trailing_only = True
    rows = 0
    with path.open(encoding=enc, errors="replace", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        width = len(header)
        for i, rec in enumerate(reader, start=2):
            if not rec:
                continue
            rows += 1
            if len(rec) > width:
                extra.append((i, len(rec)))
                trailing_only = trailing_only and len(rec) == width + 1 and rec[-1].strip() == ""
            elif len(rec) == width:
                trailing_only = False
    if not extra:
        return False
    if trailing_only and len(extra) == rows:
        problems.add(f"每一行末尾都多了一个逗号（表头 {width} 列，数据行 {width + 1} 个字段）：请删去行末的逗号，"
                     "或在表头末尾补上列名", file=display, row=extra[0][0], code="csv-fields")
        return True
    for row, n in extra[:SHOWN_ROWS]:
        problems.add(f"此行有 {n} 个字段，比表头多 {n - width} 个：请检查是否多写了逗号（含逗号的文字请用英文双引号"
                     "括起来）", file=display, row=row, code="csv-fields")
    if len(extra) > SHOWN_ROWS:
        problems.add(f"另有 {len(extra) - SHOWN_ROWS} 行字段数多于表头，请一并检查", file=display, code="csv-fields")
    return True


def _duplicate_headers(path: Path, display: str, problems: Problems) -> bool:
    """A column written twice: pandas would rename the second (x.1); say so instead (True if any)."""
    for enc in ENCODINGS:
        try:
            with path.open(encoding=enc, newline="") as f:
                header = next(csv.reader(f), [])
            break
        except (UnicodeDecodeError, OSError):
            continue
    else:
        return False
    seen: set[str] = set()
    dup = False
    for j, h in enumerate(header, start=1):
        name = h.strip()
        if name and name in seen:
            problems.add(f"第{j}列的列名“{name}”与前面的列重复：每列只能出现一次，请删除或改名", file=display, row=1,
                         column=name, code="duplicate-column")
            dup = True
        seen.add(name)
    return dup


def _unquote(frame: pd.DataFrame) -> None:
    """Texts our CSV writer protected from running as formulas read back as typed (common.formulas)."""
    for c in frame.columns:
        col = frame[c]
        marked = col.str.startswith("'")   # rare: the per-cell check runs on these only
        if marked.any():
            frame.loc[marked, c] = col[marked].map(csv_unquote)


def read_csv_table(path: Path, kind: str, name: str, problems: Problems, *,
                   apostrophes: bool = True) -> RawTable | None:
    """One CSV file as a raw table; `apostrophes=False` when the file is known to hold no ' (see `_scan`)."""
    display = str(path)
    e = paths.entry(path)
    if e.kind != paths.FILE:
        paths.report(e, "数据文件", problems)
        return None
    frame = _read_csv(path, display, problems)
    if frame is None or _duplicate_headers(path, display, problems):
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    if apostrophes:
        _unquote(frame)
    return RawTable(kind, name, frame, Origin(display), range(2, len(frame) + 2),
                    col_index={c: j for j, c in enumerate(frame.columns, start=1)})

"""Read the CSV form of a data set: a folder of entities.csv, values.csv, <ledger>.csv, findings.csv."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from common.problems import Problems, did_you_mean
from intake.assemble import Raw, RawTable
from intake.dataset import Origin
from rules.language.scheme import Scheme

ENCODINGS = ("utf-8-sig", "gb18030")  # Excel in China saves CSV as GBK unless told otherwise


def _read_csv(path: Path, display: str, problems: Problems) -> pd.DataFrame | None:
    for enc in ENCODINGS:
        try:
            # Everything as text: types are the scheme's business, not pandas' guess.
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=enc, skip_blank_lines=True)
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            return pd.DataFrame()
        except pd.errors.ParserError as e:
            problems.add(f"CSV 格式错误：{e}（请检查引号和逗号）", file=display, code="csv-syntax")
            return None
    problems.add("无法识别文件编码，请另存为 UTF-8 编码的 CSV", file=display, code="encoding")
    return None


def read_csv_folder(scheme: Scheme, folder: Path, problems: Problems) -> Raw:
    raw = Raw()
    tables = scheme.tables
    by_name = {**{t: t for t in tables}, **{inp.label: t for t, inp in tables.items()}}
    for path in sorted(folder.glob("*.csv")):
        display = str(path)
        raw.files[display] = hashlib.sha256(path.read_bytes()).hexdigest()
        stem = path.stem
        if stem in ("entities", "单位名册"):
            kind, name = "entities", ""
        elif stem in ("values", "填报数据"):
            kind, name = "values", ""
        elif stem in ("findings", "考核扣分记录"):
            kind, name = "findings", "findings"
        elif stem in ("self_scores", "自评分"):
            kind, name = "self_scores", ""
        elif stem in by_name:
            kind, name = "ledger", by_name[stem]
        else:
            choices = ["entities", "values", "findings", *by_name]
            hint = did_you_mean(stem, choices)
            if hint:  # most likely a misspelt ledger: ignoring it would score as if it had no rows
                problems.add(f"无法识别的文件“{path.name}”{hint}；请按台账编号或名称改正文件名"
                             f"（{'、'.join(tables) or '无台账'}）", file=display, code="unknown-file")
            else:
                problems.add(f"无法识别的文件“{path.name}”，将被忽略；台账文件应以台账编号命名："
                             f"{'、'.join(tables) or '（无台账）'}", file=display, level="warning", code="unknown-file")
            continue
        table = read_csv_table(path, kind, name, problems)
        if table is not None:
            raw.tables.append(table)
    return raw


def read_csv_table(path: Path, kind: str, name: str, problems: Problems) -> RawTable | None:
    display = str(path)
    frame = _read_csv(path, display, problems)
    if frame is None:
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(kind, name, frame, Origin(display), range(2, len(frame) + 2),
                    col_index={c: j for j, c in enumerate(frame.columns, start=1)})

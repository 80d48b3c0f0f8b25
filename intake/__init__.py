"""Data intake: find the data set's tables in any supported form, then check and type them.

`--data` may be a folder of CSV files, a folder of workbooks (one per unit, plus a register of units, as
单位名册.xlsx or entities.csv), one consolidated workbook, or a folder holding one; the form is detected
from what is there, never from a flag.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from common.problems import Problems
from intake import paths
from intake.assemble import assemble
from intake.csvdir import read_csv_folder, read_csv_table
from intake.dataset import DataSet
from intake.excel import WORKBOOK_SUFFIXES, is_workbook, named_workbook, read_workbooks
from intake.presence import check_ledgers
from intake.raw import Raw, RawTable
from rules.language.scheme import Scheme

# Text in frames as Python strings whether or not pyarrow is installed (pandas 3 otherwise stores inferred
# text in Arrow when it can import pyarrow): the same behaviour in every environment, no Arrow round trips
# for cells the intake turns into Python objects anyway, and no UnicodeEncodeError from Arrow on a lone
# surrogate (an undecodable byte in a file name or a cell).
pd.options.mode.string_storage = "python"


def read_raw(scheme: Scheme, path: Path | str, problems: Problems, *, scorers_records: bool = True) -> Raw | None:
    """What the readers found in a data path, with every absent table reported (`scorers_records`: the
    scorers' records must be among them; a unit checking its own data has none)."""
    path = Path(path)
    e = paths.entry(path)
    if e.kind == paths.MISSING:
        problems.add("数据路径不存在，请检查 --data 参数", file=str(path), code="no-file")
        return None
    if e.kind == paths.FILE:
        if is_workbook(path):
            raw = read_workbooks(scheme, [path], problems)
            raw.where = str(path)
            check_ledgers(scheme, raw, problems, scorers_records=scorers_records)
            return raw
        problems.add("--data 应为数据文件夹（CSV 文件或各单位工作簿）或一个汇总工作簿（.xlsx）", file=str(path),
                     code="no-data")
        return None
    if e.kind != paths.FOLDER:
        paths.report(e, "数据路径", problems, hint="；--data 应为数据文件夹或一个工作簿")
        return None
    entries = paths.listing(path, problems)
    if entries is None:
        return None
    books = [x.path for x in entries if named_workbook(x.path)]
    for x in entries:   # Excel's lock file: a workbook open in Excel, possibly with edits not yet saved
        if x.path.name.startswith("~$") and x.path.suffix.lower() in WORKBOOK_SUFFIXES:
            problems.add(f"“{x.path.name}”是 Excel 的锁文件：有工作簿正在 Excel 或 WPS 中打开，读取的是它最后保存的内容；"
                         "请保存并关闭该工作簿后再运行", file=str(x.path), level="warning", code="open-workbook")
    has_csv = any(x.path.name.lower().endswith(".csv") for x in entries)
    if books:
        # CSV files beside workbooks (typically entities.csv, the register) are read too
        raw = read_workbooks(scheme, books, problems, read_csv_folder(scheme, path, problems) if has_csv else None,
                             folder=True)
    elif has_csv:
        raw = read_csv_folder(scheme, path, problems)
    else:
        problems.add("未找到数据：文件夹中应有各单位的工作簿（.xlsx）或 entities.csv、values.csv 等 CSV 文件",
                     file=str(path), code="no-data")
        return None
    raw.where = str(path)
    check_ledgers(scheme, raw, problems, scorers_records=scorers_records)
    return raw


def read_data(scheme: Scheme, path: Path | str, problems: Problems) -> DataSet | None:
    """Read and check a data set; None when it has errors (all of them are in `problems`)."""
    before = len(problems.errors)
    raw = read_raw(scheme, path, problems)
    if raw is None:
        return None
    data = assemble(scheme, raw, problems)   # also when reading found errors: every problem in one run
    return None if len(problems.errors) > before else data


def read_register(scheme: Scheme, path: Path | str, problems: Problems) -> Raw | None:
    """Only a register of units: entities.csv, or a workbook with a 单位名册 sheet."""
    path = Path(path)
    e = paths.entry(path)
    if e.kind != paths.FILE:
        if e.kind == paths.MISSING:
            problems.add("单位名册文件不存在，请检查 --entities 参数", file=str(path), code="no-file")
        else:
            paths.report(e, "单位名册文件", problems, hint="；--entities 应为 entities.csv 或单位名册工作簿")
        return None
    if is_workbook(path):
        raw = read_workbooks(scheme, [path], problems)
        raw.tables = [t for t in raw.tables if t.kind == "entities"]
        return raw
    raw = Raw()
    table = read_csv_table(path, "entities", "", problems)
    if table is not None:
        raw.tables.append(table)
    return raw


def register_only(scheme: Scheme, path: Path | str, problems: Problems) -> DataSet | None:
    """A data set holding only a register of units (for pre-filled templates); None when it has errors."""
    from intake.register import register

    raw = read_register(scheme, path, problems)
    if raw is None:
        return None
    before = len(problems.errors)
    ids, names, fields = register(scheme, raw, problems)
    if not ids and len(problems.errors) == before:
        problems.add("单位名册中没有单位：请每行填写一个单位的编号和名称", file=str(path), code="missing-entities")
    if len(problems.errors) > before:
        return None
    return DataSet(ids, names, fields, {}, {}, {})


__all__ = ["Raw", "RawTable", "assemble", "read_data", "read_raw", "read_register", "register_only"]

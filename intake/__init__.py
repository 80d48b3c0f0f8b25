"""Data intake: find the data set's tables in any supported form, then check and type them."""

from __future__ import annotations

from pathlib import Path

from intake.assemble import Raw, RawTable, assemble
from intake.csvdir import read_csv_folder
from rules.dataset import DataSet
from rules.problems import Problems
from rules.scheme import Scheme


def read_raw(scheme: Scheme, path: Path | str, problems: Problems) -> Raw | None:
    path = Path(path)
    if not path.exists():
        problems.add("数据路径不存在，请检查 --data 参数", file=str(path), code="no-file")
        return None
    if path.is_dir() and any(path.glob("*.csv")):
        return read_csv_folder(scheme, path, problems)
    problems.add("未找到数据：文件夹中应有 entities.csv、values.csv 等 CSV 文件", file=str(path), code="no-data")
    return None


def read_data(scheme: Scheme, path: Path | str, problems: Problems) -> DataSet | None:
    """Read and check a data set; None when it has errors (all of them are in `problems`)."""
    raw = read_raw(scheme, path, problems)
    if raw is None:
        return None
    return assemble(scheme, raw, problems)


__all__ = ["Raw", "RawTable", "assemble", "read_data", "read_raw"]

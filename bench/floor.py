#!/usr/bin/env python3
"""The I/O floor: a fresh process that reads a data folder with pandas' fastest reader and does nothing else.

    python bench/floor.py DATA

Every CSV file with `pandas.read_csv(path, engine="pyarrow")` (multi-threaded, typed by pyarrow); every
workbook with `pandas.read_excel(path, sheet_name=None, engine="calamine")` (the fastest workbook reader
pandas has). No checking, no deriving, nothing written. bench/run.py times this process from start to
exit (interpreter, `import pandas`, reading, exit) against `assess score` on the same folder; the process
prints one JSON line for the record: {"read": seconds of reading, "files": n, "rows": n}.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pandas as pd


def main() -> None:
    folder = Path(sys.argv[1])
    t0 = time.perf_counter()
    rows = files = 0
    for path in sorted(folder.iterdir()):
        if path.suffix == ".csv":
            rows += len(pd.read_csv(path, engine="pyarrow"))
            files += 1
        elif path.suffix == ".xlsx":
            for frame in pd.read_excel(path, sheet_name=None, engine="calamine").values():
                rows += len(frame)
                files += 1
    sys.stdout.write(json.dumps({"read": time.perf_counter() - t0, "files": files, "rows": rows}) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        sys.stdout.write(__doc__ or "")
        raise SystemExit(0 if len(sys.argv) == 2 else 2)
    main()

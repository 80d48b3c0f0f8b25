"""Time reading the example city's data as Excel workbooks.

    python bench/read_excel.py [--criteria FILE] [--data CSV_FOLDER] [--layout unit|consolidated] [--repeat N]

The CSV data set is first converted with `assess convert --to xlsx` (into a temporary folder), then read
N times; each time is the full intake — finding sheets and columns, typing and checking every cell,
as `assess check` and `assess score` do before anything is evaluated — and the fastest and the median
are printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess import main  # noqa: E402
from common.problems import Problems  # noqa: E402
from intake import assemble, read_raw  # noqa: E402
from rules.language.criteria import load_criteria  # noqa: E402


def run() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--criteria", type=Path, default=ROOT / "criteria" / "2020" / "county.yaml")
    ap.add_argument("--data", type=Path, default=ROOT / "examples" / "city-2020" / "counties")
    ap.add_argument("--layout", choices=["unit", "consolidated"], default="unit")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    scheme = load_criteria(args.criteria, Problems())
    if scheme is None:
        sys.exit(f"考核细则有错误：{args.criteria}")
    with tempfile.TemporaryDirectory() as tmp:
        books = Path(tmp) / "xlsx"
        main(["convert", str(args.data), "--criteria", str(args.criteria), "--to", "xlsx", "--out", str(books),
              "--layout", args.layout], standalone_mode=False)
        files = sorted(books.glob("*.xlsx"))
        times = []
        for _ in range(args.repeat):
            problems = Problems()
            start = time.perf_counter()
            raw = read_raw(scheme, books, problems)
            data = assemble(scheme, raw, problems) if raw is not None else None
            times.append(time.perf_counter() - start)
        if data is None or problems.errors:
            sys.exit("读取出错：" + "；".join(p.render() for p in problems.errors))
        assert raw is not None
        sheets = len({(t.origin.file, t.origin.sheet) for t in raw.tables})
        rows = sum(len(t.frame) for t in raw.tables)
        size = sum(f.stat().st_size for f in files) / 1024
        print(f"{args.data} → {len(files)} 个工作簿（{args.layout}，{size:.0f} KB，{sheets} 个工作表，{rows} 行）")
        print(f"读取并检查 {args.repeat} 次：最快 {min(times):.3f} 秒，中位 {statistics.median(times):.3f} 秒"
              f"（{len(data.ids)} 个单位）")


if __name__ == "__main__":
    run()

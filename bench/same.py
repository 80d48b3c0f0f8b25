#!/usr/bin/env python3
"""Byte-identical results before and after an optimisation: score fixed data sets, save or compare the bytes.

    python bench/same.py --save DIR        # before the change: writes every output to DIR
    python bench/same.py --compare DIR     # after: writes them again to a temporary folder, compares bytes

Data sets: the example city (counties and departments) and the generated city (CSV and workbooks) and
province (bench/gen.py). Outputs: `assess score -f json` and `-f csv`, and, for the example counties,
`assess report`'s results.xlsx (compared member by member,
but for the time openpyxl stamps in docProps/core.xml). SOURCE_DATE_EPOCH fixes the run record's time, so the bytes compare.
Exit code 1 when any output differs (each difference named).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402

ROOT = HERE.parent
CRITERIA = ROOT / "criteria" / "2020"
EXAMPLES = ROOT / "examples" / "city-2020"


def cases() -> dict[str, tuple[Path, Path]]:
    city, province = gen.ensure("city"), gen.ensure("province")
    return {
        "example-counties": (CRITERIA / "county.yaml", EXAMPLES / "counties"),
        "example-departments": (CRITERIA / "department.yaml", EXAMPLES / "departments"),
        "city-csv": (CRITERIA / "county.yaml", city / "csv"),
        "city-xlsx": (CRITERIA / "county.yaml", city / "xlsx"),
        "province-csv": (CRITERIA / "county.yaml", province / "csv"),
    }


def write_all(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1609430400"}
    assess = str(Path(sys.executable).with_name("assess"))
    for name, (criteria, data) in cases().items():
        for fmt in ("json", "csv"):
            subprocess.run([assess, "score", "-c", str(criteria), "-d", str(data), "-f", fmt,
                            "-o", str(out / f"{name}.{fmt}")], check=True, env=env)
        if name == "example-counties":
            subprocess.run([assess, "report", "-c", str(criteria), "-d", str(data), "-o", str(out / "report")],
                           check=True, env=env, stdout=subprocess.DEVNULL)


def same(a: Path, b: Path) -> bool:
    """Equal bytes; a workbook member by member, but for docProps/core.xml (openpyxl stamps the current time)."""
    if not b.is_file():
        return False
    if a.suffix != ".xlsx":
        return filecmp.cmp(a, b, shallow=False)
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        names = [n for n in za.namelist() if n != "docProps/core.xml"]
        return names == [n for n in zb.namelist() if n != "docProps/core.xml"] and all(
            za.read(n) == zb.read(n) for n in names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    args = ap.parse_args()
    if args.save:
        write_all(args.save)
        print(f"saved to {args.save}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        now = Path(tmp)
        write_all(now)
        names = sorted(p.relative_to(args.compare) for p in args.compare.rglob("*") if p.is_file())
        names = [n for n in names if n.suffix in (".json", ".csv", ".xlsx")]
        differ = [n for n in names if not same(args.compare / n, now / n)]
        for n in differ:
            print(f"DIFFERS: {n}")
        print(f"{len(names) - len(differ)}/{len(names)} outputs byte-identical")
        raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()

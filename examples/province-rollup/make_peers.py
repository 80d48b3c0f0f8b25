#!/usr/bin/env python3
"""Write examples/province-rollup/peer-counties/: the county data of two fictional peer cities of 秦州市.

Each peer's counties are a subset of the example city's counties (examples/city-2020/make_counties.py,
same seed), renamed: 岐州市 (C02) has five, 汉源市 (C03) six. Their figures therefore differ from 秦州市's
and from each other's, and every ledger stays consistent (rows are kept or dropped whole, by unit). The
example city's own counties are never copied: the province scheme reads examples/city-2020/counties itself.

    python examples/province-rollup/make_peers.py           # writes examples/province-rollup/peer-counties/

Standard library only; the same output on every run.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAKE_COUNTIES = HERE.parent / "city-2020" / "make_counties.py"

# peer city id -> {example county id: the peer county's name}
PEERS = {
    "C02": {"u01": "岐阳区", "u02": "凤鸣区", "u04": "扶川县", "u05": "眉原县", "u07": "太白岭县"},
    "C03": {"u03": "汉滨区", "u08": "汉阴县", "u09": "石泉县", "u10": "紫岭县", "u12": "旬河县", "u13": "汉源高新区"},
}


def _load_make_counties():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_counties", MAKE_COUNTIES)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _filtered(src: Path, dst: Path, names: dict[str, str]) -> None:
    with src.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    if src.name == "entities.csv":
        body = [[r[0], names[r[0]], *r[2:]] for r in body if r[0] in names]
    else:
        body = [r for r in body if r[0] in names]
    with dst.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header, *body])


def main(out: Path) -> None:
    make_counties = _load_make_counties()
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp)
        make_counties.main(full)
        for city, names in PEERS.items():
            target = out / city
            target.mkdir(parents=True, exist_ok=True)
            for src in sorted(full.glob("*.csv")):
                _filtered(src, target / src.name, names)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "peer-counties")

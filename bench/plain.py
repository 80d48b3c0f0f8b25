#!/usr/bin/env python3
"""The plain-pandas reference: the scheme's derived values computed with vectorised pandas.

    python bench/plain.py DATA OUT.json

For CSV folders of criteria/2020/county.yaml: reads every file (pandas' pyarrow engine), computes the
scheme's derived values (counts and sums over the ledgers with their `where` filters, rates with their
`if_zero`) with plain vectorised pandas — dates parsed with `to_datetime`, 是/否 compared as text — writes
the values per unit to OUT.json, which bench/run.py compares with the engine's, and prints one JSON line:
{"read": seconds, "derive": seconds, "units": n}. It is the same arithmetic without the engine's
decimals, null semantics, checks, evidence or cross-check: a lower bound, not a replacement. The I/O
floor is bench/floor.py (reading only).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

START = pd.Timestamp("2020-01-01")
END = pd.Timestamp("2020-12-31")


def read_all(folder: Path) -> dict[str, pd.DataFrame]:
    return {path.stem: pd.read_csv(path, engine="pyarrow") for path in sorted(folder.glob("*.csv"))}


def derive(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The derived values of criteria/2020/county.yaml, one row per unit (float rates)."""
    units = pd.Index(t["entities"]["id"].astype(str), name="entity")

    def count(frame: pd.DataFrame, mask: pd.Series | None = None) -> pd.Series:
        sub = frame if mask is None else frame[mask]
        return sub.groupby("entity").size().reindex(units, fill_value=0)

    def total(frame: pd.DataFrame, column: str, mask: pd.Series) -> pd.Series:
        return frame[mask].groupby("entity")[column].sum().reindex(units, fill_value=0)

    out = pd.DataFrame(index=units)
    acc = t["accident_records"]
    when = pd.to_datetime(acc["发生日期"], format="%Y-%m-%d")
    year = when.between(START, END)
    out["accidents"] = count(acc, year)
    out["deaths"] = total(acc, "死亡人数", year)
    out["major_accidents"] = count(acc, (acc["等级"] == "较大") & year)
    out["serious_accidents"] = count(acc, acc["等级"].isin(["重大", "特别重大"]) & year)
    out["concealed_accidents"] = count(acc, (acc["是否瞒报"] == "是") & when.between(pd.Timestamp("2017-01-01"), END))

    hz = t["hazards"]
    done = hz["整改完成日期"].notna()
    due = pd.to_datetime(hz["整改期限"], format="%Y-%m-%d")
    out["hazards_found"] = count(hz)
    out["hazards_rectified"] = count(hz, done)
    out["rectification_rate"] = (out["hazards_rectified"] / out["hazards_found"]).where(out["hazards_found"] != 0, 1.0)
    out["hazards_overdue"] = count(hz, (hz["来源"] == "自查") & (hz["挂牌督办"] != "是") & ~done & (due < END))
    out["hazards_rebound"] = count(hz, hz["回头看"] == "反弹")
    out["city_problems"] = count(hz, hz["来源"].isin(["市督查", "暗访"]))
    checks = t["city_checks"]
    out["city_problems_checked"] = total(checks, "发现问题数", pd.Series(True, index=checks.index))

    cm = t["committee_meetings"]
    day = pd.to_datetime(cm["会议日期"], format="%Y-%m-%d")
    quarters = [("2020-01-01", "2020-03-31"), ("2020-04-01", "2020-06-30"), ("2020-07-01", "2020-09-30"),
                ("2020-10-01", "2020-12-31")]
    for q, (a, b) in enumerate(quarters, 1):
        out[f"committee_q{q}"] = count(cm, day.between(pd.Timestamp(a), pd.Timestamp(b)))
    out["committee_quarters"] = sum(out[f"committee_q{q}"].clip(upper=1) for q in range(1, 5))

    values = t["values"].set_index(t["values"]["entity"].astype(str)).reindex(units)
    out["task_rate"] = (values["tasks_done"] / values["tasks_total"]).where(values["tasks_total"] != 0, 1.0)
    out["plan_rate"] = (values["inspections"] / values["inspection_plan"]).where(values["inspection_plan"] != 0, 1.0)

    st = t["stations"]
    has = [c for c in st.columns if c.startswith("有")]
    built = (st[has] == "是").all(axis=1) & (st["专职人数"] >= 2) & (st["专职人数"] + st["兼职人数"] >= 6)
    out["stations_total"] = count(st)
    out["stations_done"] = count(st, built)
    out["station_rate"] = (out["stations_done"] / out["stations_total"]).where(out["stations_total"] != 0, 1.0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("out", type=Path, help="the derived values per unit (JSON)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    frames = read_all(args.data)
    figures: dict[str, float | int] = {"read": time.perf_counter() - t0}
    t0 = time.perf_counter()
    values = derive(frames)
    figures["derive"] = time.perf_counter() - t0
    figures["units"] = len(values)
    args.out.write_text(values.to_json(orient="index", force_ascii=False), encoding="utf-8")
    sys.stdout.write(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()

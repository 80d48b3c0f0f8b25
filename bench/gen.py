#!/usr/bin/env python3
"""Deterministic data sets for criteria/2020/county.yaml at three scales (the benchmark's input).

    python bench/gen.py --scale city|province|nation [--out DIR] [--force] [--check]

scale     units  hazards rows  city_checks rows  other ledgers (per unit)         forms
city         13         5,110            14,000  accidents ~3, meetings 2-6,       CSV and workbooks
province    110       500,000           118,462  stations 4-20, honours, criticisms, CSV
nation    2,846    10,000,000         3,064,923  findings 1-3, one values row      CSV

The scheme has no enforcement ledger (its enforcement figures are scalar inputs), so the ~14,000
enforcement rows of a city are generated as rows of the ledger closest to one, `city_checks`
(市级督查暗访检查记录, ~1,077 a unit at every scale); their 发现问题数 add up, unit by unit, to the
hazards whose 来源 is 市督查/暗访 (the scheme's error check), and each such hazard names its check in
督查编号.

Everything is drawn from numpy generators seeded by (scale, chunk), vectorised over rows, and written
with pandas `to_csv` in chunks of units (bounded memory: ~1M hazard rows at a time), so the same
command writes the same bytes. Data go to bench/data/<scale>/ (gitignored) unless --out says
otherwise; an existing, complete data set of the same generator version is reused. The city's
workbooks (bench/data/city/xlsx, one per unit plus 单位名册.xlsx) are written by `assess convert`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
CRITERIA = ROOT / "criteria" / "2020" / "county.yaml"
DATA = ROOT / "bench" / "data"
VERSION = 1  # bump when the output changes: cached data sets of another version are regenerated
SEED = 20201231
CHUNK_ROWS = 1_000_000  # hazard rows generated and written at a time


@dataclass(frozen=True)
class Scale:
    name: str
    units: int
    hazards: int
    prefix: str
    workbooks: bool = False

    @property
    def checks(self) -> int:  # the city's ~14,000 enforcement rows, the same per unit at every scale
        return round(14_000 * self.units / 13)


SCALES = {
    "city": Scale("city", 13, 5_110, "u", workbooks=True),
    "province": Scale("province", 110, 500_000, "p"),
    "nation": Scale("nation", 2_846, 10_000_000, "n"),
}

# ------------------------------------------------------------------------------------------ vocab
SECTORS = np.array(["道路交通", "消防", "建筑施工", "危险化学品", "工贸", "燃气", "有限空间", "非煤矿山", "煤矿",
                    "特种设备"], dtype=object)
SYLLABLES = list("东西南北上下前后大小新老石柳杨槐桃李枣河川塬沟坪峪湾坡岭龙凤云")
PROJECTS = np.array(["安全生产标准化建设", "双重预防机制建设", "安全社区创建", "应急演练", "危化品专项整治",
                     "安全宣传教育"], dtype=object)
CAUSES = np.array(["督查交办问题整改不力", "隐患排查治理不到位", "事故信息迟报", "专项整治推进迟缓",
                   "安全生产责任落实不到位"], dtype=object)
BASE_DAY = dt.date(2019, 1, 1)
DATES = np.array([(BASE_DAY + dt.timedelta(days=i)).isoformat() for i in range(3 * 366)], dtype=object)
NUMBERS = np.array([f"{i:06d}" for i in range(200_000)], dtype=object)


def day(text: str) -> int:
    return (dt.date.fromisoformat(text) - BASE_DAY).days


YES_NO = np.array(["否", "是"], dtype=object)
EMPTY = np.array([""], dtype=object)


def pick(options: list[str] | np.ndarray, p: list[float] | None, n: int, rng: np.random.Generator) -> np.ndarray:
    values = np.asarray(options, dtype=object)
    return values[rng.choice(len(values), size=n, p=p)]


def yes(p: float, n: int, rng: np.random.Generator) -> np.ndarray:
    return YES_NO[(rng.random(n) < p).astype(np.int64)]


def split(total: int, weights: np.ndarray) -> np.ndarray:
    """`total` split in proportion to `weights` (largest remainders), as int64."""
    share = total * weights / weights.sum()
    out = np.floor(share).astype(np.int64)
    rest = total - int(out.sum())
    out[np.argsort(-(share - out), kind="stable")[:rest]] += 1
    return out


def numbered(units: np.ndarray, counts: np.ndarray, tag: str) -> tuple[np.ndarray, np.ndarray]:
    """(unit of each row, '<UNIT>-<tag><n>' with n counting from 1 within each unit)."""
    entity = np.repeat(units, counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    local = np.arange(int(counts.sum()), dtype=np.int64) - starts + 1
    upper = np.repeat(np.array([u.upper() + "-" + tag for u in units], dtype=object), counts)
    return entity, upper + NUMBERS[local]


# ------------------------------------------------------------------------------------------- units
@dataclass
class Units:
    ids: np.ndarray
    names: np.ndarray
    hazards: np.ndarray       # rows per unit
    checks: np.ndarray        # city_checks rows per unit
    rect_rate: np.ndarray     # share of hazards rectified
    city_share: np.ndarray    # share of hazards handed down by city supervision


def make_units(scale: Scale, rng: np.random.Generator) -> tuple[Units, pd.DataFrame]:
    n = scale.units
    width = max(2, len(str(n)))
    ids = np.array([f"{scale.prefix}{i:0{width}d}" for i in range(1, n + 1)], dtype=object)
    kind = pick(["区", "县", "开发区"], [0.25, 0.65, 0.10], n, rng)
    combos = rng.permutation(len(SYLLABLES) ** 3)[:n]
    k = len(SYLLABLES)
    names = np.array([SYLLABLES[c // (k * k)] + SYLLABLES[c // k % k] + SYLLABLES[c % k] + s
                      for c, s in zip(combos, kind, strict=True)], dtype=object)
    entities = pd.DataFrame({"id": ids, "name": names, "class": pick(["一类", "二类", "三类"], None, n, rng),
                             "kind": kind})
    hazards = split(scale.hazards, rng.lognormal(0.0, 0.35, n))
    checks = np.maximum(split(scale.checks, rng.lognormal(0.0, 0.25, n)), 1)
    units = Units(ids, names, hazards, checks, rng.uniform(0.80, 0.995, n), rng.uniform(0.01, 0.03, n))
    return units, entities


# ----------------------------------------------------------------------------------------- ledgers
def checks_frame(u: Units, sel: slice, rng: np.random.Generator) -> pd.DataFrame:
    ids, counts = u.ids[sel], u.checks[sel]
    entity, number = numbered(ids, counts, "DC")
    n = len(entity)
    first = np.zeros(n, dtype=bool)
    first[np.cumsum(counts) - counts] = True  # each unit's first check is of its government
    kind = pick(["镇街", "企业"], [0.3, 0.7], n, rng)
    kind[first] = "县区政府"
    target = kind + NUMBERS[rng.integers(1, 999, n)]
    target[first] = u.names[sel] + "人民政府"
    return pd.DataFrame({
        "entity": entity, "检查编号": number,
        "检查日期": DATES[rng.integers(day("2020-03-01"), day("2020-11-30") + 1, n)],
        "方式": pick(["明查", "暗访"], [0.7, 0.3], n, rng), "对象类型": kind, "对象名称": target,
        "发现问题数": np.zeros(n, dtype=np.int64),
    })


def hazards_frame(u: Units, sel: slice, checks: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    ids, counts = u.ids[sel], u.hazards[sel]
    entity, number = numbered(ids, counts, "YH")
    n = len(entity)
    unit = np.repeat(np.arange(len(ids)), counts)
    found = rng.integers(day("2020-01-06"), day("2020-12-20") + 1, n)
    due = found + rng.integers(15, 61, n)
    rectified = rng.random(n) < np.repeat(u.rect_rate[sel], counts)
    late = rng.random(n) < 0.05
    span = np.maximum(due - found, 1)
    done = np.where(late, due + rng.integers(3, 21, n), found + 1 + (rng.random(n) * span).astype(np.int64))
    done = np.minimum(done, day("2020-12-28"))
    # open hazards are mostly found late in the year and not due yet
    recent = ~rectified & (rng.random(n) < 0.9)
    found = np.where(recent, rng.integers(day("2020-11-10"), day("2020-12-20") + 1, n), found)
    due = np.where(recent, found + rng.integers(45, 76, n), due)
    done_text = np.where(rectified, DATES[done], "")
    recheck = np.where(done > day("2020-11-30"), "未开展", "合格").astype(object)
    recheck[rng.random(n) < 0.01] = "反弹"
    recheck = np.where(rectified, recheck, "")
    # sources: 省督查, city problems (市督查 or 暗访, each in one of the unit's checks), 自查
    draw = rng.random(n)
    city = draw < np.repeat(u.city_share[sel], counts)
    source = np.where(draw > 0.99, "省督查", "自查").astype(object)
    first_check = np.cumsum(u.checks[sel]) - u.checks[sel]
    slot = first_check[unit] + (rng.random(n) * u.checks[sel][unit]).astype(np.int64)
    slot = slot[city]
    covert = checks["方式"].to_numpy()[slot] == "暗访"
    source[city] = np.where(covert, "暗访", "市督查")
    ref = np.full(n, "", dtype=object)
    ref[city] = checks["检查编号"].to_numpy()[slot]
    found_problems = np.bincount(slot, minlength=len(checks))
    checks["发现问题数"] = found_problems
    return pd.DataFrame({
        "entity": entity, "隐患编号": number,
        "隐患等级": np.where(rng.random(n) < 0.02, "重大", "一般").astype(object),
        "行业领域": SECTORS[rng.integers(0, len(SECTORS), n)], "来源": source, "督查编号": ref,
        "挂牌督办": yes(0.004, n, rng), "发现日期": DATES[found], "整改期限": DATES[due],
        "整改完成日期": done_text, "回头看": recheck,
    })


def small_ledgers(u: Units, sel: slice, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    ids = u.ids[sel]
    k = len(ids)
    out: dict[str, pd.DataFrame] = {}
    # accidents: ~3 a unit, a few of 2019 (outside the period unless concealed)
    counts = rng.poisson(3.0, k)
    entity, number = numbered(ids, counts, "SG")
    n = len(entity)
    grade = pick(["一般", "较大", "重大"], [0.978, 0.02, 0.002], n, rng)
    deaths = np.where(grade == "一般", rng.choice(3, size=n, p=[0.4, 0.45, 0.15]),
                      np.where(grade == "较大", rng.integers(3, 10, n), rng.integers(10, 30, n)))
    when = rng.integers(day("2020-01-01"), day("2020-12-31") + 1, n)
    when[rng.random(n) < 0.05] -= 365
    out["accident_records"] = pd.DataFrame({
        "entity": entity, "事故编号": number, "发生日期": DATES[when], "等级": grade, "死亡人数": deaths,
        "行业领域": SECTORS[rng.integers(0, len(SECTORS), n)], "是否瞒报": yes(0.003, n, rng),
        "是否迟报": yes(0.03, n, rng)})
    # committee meetings: 2-6 a unit
    counts = rng.integers(2, 7, k)
    entity, number = numbered(ids, counts, "AWH")
    n = len(entity)
    out["committee_meetings"] = pd.DataFrame({
        "entity": entity, "会议编号": number,
        "会议日期": DATES[rng.integers(day("2020-01-05"), day("2020-12-25") + 1, n)],
        "会议名称": pick(["安委会全体会议", "安委会专题会议"], [0.3, 0.7], n, rng)})
    # stations: 4-20 towns a unit, names unique within the unit
    counts = rng.integers(4, 21, k)
    entity, number = numbered(ids, counts, "Z")
    n = len(entity)
    local = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)
    town = np.array([SYLLABLES[i % 30] + SYLLABLES[(i // 30 + 7) % 30] + "镇" for i in range(64)], dtype=object)
    has = {c: yes(0.93, n, rng) for c in ("有工作机构", "有指挥平台", "有工作机制", "有执法队伍", "有救援队伍",
                                          "有预案体系", "有物资仓库", "有宣教场所")}
    out["stations"] = pd.DataFrame({"entity": entity, "乡镇": town[local], **has,
                                    "专职人数": rng.integers(1, 5, n), "兼职人数": rng.integers(2, 7, n)})
    # honours and criticisms: a few units each
    counts = rng.poisson(0.5, k)
    entity, number = numbered(ids, counts, "BZ")
    n = len(entity)
    when = rng.integers(day("2020-02-01"), day("2020-12-20") + 1, n)
    when[rng.random(n) < 0.1] -= 365
    out["honours"] = pd.DataFrame({
        "entity": entity, "文号": number, "类型": pick(["表彰", "经验推广"], [0.7, 0.3], n, rng),
        "级别": pick(["国家级", "省级", "市级"], [0.05, 0.35, 0.6], n, rng),
        "项目": PROJECTS[rng.integers(0, len(PROJECTS), n)], "文件日期": DATES[when]})
    counts = rng.poisson(0.3, k)
    entity, number = numbered(ids, counts, "TB")
    n = len(entity)
    out["criticisms"] = pd.DataFrame({
        "entity": entity, "文号": number, "类型": pick(["通报批评", "约谈", "挂牌督办"], [0.6, 0.3, 0.1], n, rng),
        "级别": pick(["国家级", "省级", "市级"], [0.05, 0.35, 0.6], n, rng),
        "日期": DATES[rng.integers(day("2020-01-10"), day("2020-12-20") + 1, n)],
        "事由": CAUSES[rng.integers(0, len(CAUSES), n)]})
    # findings: B6 scored for every unit, A6 and F4 deductions for some
    rows = []
    b6 = np.round(rng.integers(8, 21, k) / 10, 1)
    rows.append(pd.DataFrame({"entity": ids, "考核项目": "B6", "扣分": "", "得分": [f"{v:g}" for v in b6],
                              "事由": "专项整治工作成效专委会评分", "评分单位": "市安委会专委会办公室",
                              "依据": "专委会年度评价"}))
    for item, share, hi in (("A6", 0.4, 6), ("F4", 0.3, 4)):
        who = ids[rng.random(k) < share]
        rows.append(pd.DataFrame({"entity": who, "考核项目": item,
                                  "扣分": [f"{v:g}" for v in rng.integers(1, hi + 1, len(who)) * 0.5], "得分": "",
                                  "事由": "日常督查发现问题", "评分单位": "市安委办", "依据": "年度考核组现场检查"}))
    findings = pd.concat(rows, ignore_index=True)
    order = {e: i for i, e in enumerate(ids)}
    out["findings"] = findings.sort_values("entity", key=lambda s: s.map(order), kind="stable")
    return out


def values_frame(u: Units, hazards_found: np.ndarray, hazards_done: np.ndarray, rng: np.random.Generator
                 ) -> pd.DataFrame:
    n = len(u.ids)

    def ints(lo: int, hi: int) -> np.ndarray:
        return rng.integers(lo, hi + 1, n)

    def na(p: float, values: np.ndarray) -> np.ndarray:
        out = values.astype(object)
        out[rng.random(n) < p] = "不涉及"
        return out

    def pct(lo: float, hi: float) -> np.ndarray:
        return np.array([f"{v:.1f}%" for v in rng.uniform(lo, hi, n)], dtype=object)

    tasks_total = ints(30, 50)
    plan = ints(100, 400)
    inspections = np.round(plan * rng.uniform(0.9, 1.1, n)).astype(np.int64)
    enterprises = np.round(inspections * rng.uniform(2.0, 2.5, n)).astype(np.int64)
    violations = np.round(enterprises * rng.uniform(1.5, 2.5, n)).astype(np.int64)
    cases = ints(5, 20)
    revoked = ints(0, 3)
    sent = DATES[ints(day("2020-12-05"), day("2020-12-15"))]
    sent[rng.random(n) < 0.02] = ""
    rate = hazards_done * 100 / np.maximum(hazards_found, 1)
    return pd.DataFrame({
        "entity": u.ids,
        "party_duties_missed": rng.choice(3, size=n, p=[0.7, 0.2, 0.1]), "duty_lists_issued": yes(0.97, n, rng),
        "leaders_without_list": ints(0, 2), "committee_chair_by_head": yes(0.95, n, rng),
        "letters_missing": ints(0, 2), "report_missing": ints(0, 1), "master_plan_issued": yes(0.98, n, rng),
        "topic_plans": rng.choice([1, 2], size=n, p=[0.1, 0.9]), "sector_plans": rng.choice(
            [14, 15, 16], size=n, p=[0.05, 0.15, 0.8]),
        "task_force": yes(0.97, n, rng), "task_force_staffed": yes(0.9, n, rng), "report_due": "",
        "report_sent": sent, "dispatch_meetings": ints(3, 4), "tasks_total": tasks_total,
        "tasks_done": np.maximum(tasks_total - ints(0, 5), 0), "enforcement_plan": yes(0.95, n, rng),
        "joint_enforcement": ints(2, 5), "exposure_cases": ints(0, 3), "campaigns_done": ints(3, 5),
        "month_summary_sent": yes(0.95, n, rng), "seven_venues": ints(4, 7), "activity_records_missing": ints(0, 2),
        "media_missing": ints(0, 2), "blacklist_published": yes(0.95, n, rng), "leader_training": yes(0.95, n, rng),
        "training_sessions": ints(2, 6), "awareness": pct(60, 98),
        "pilot_stage": pick(["未启动", "方案制定", "建设中", "已验收"], [0.05, 0.15, 0.4, 0.4], n, rng),
        "funding_secured": yes(0.95, n, rng), "road_plan": yes(0.95, n, rng), "dangerous_roads_unfixed": ints(0, 3),
        "site_coverage": pct(90, 100), "coal_measures_open": na(0.5, ints(0, 2)),
        "tailings_checked": na(0.3, yes(0.95, n, rng)), "gas_unchecked": ints(0, 1),
        "confined_inventory": yes(0.95, n, rng), "fire_check_done": yes(0.95, n, rng),
        "fire_deaths": (rng.random(n) < 0.1).astype(np.int64), "forest_fires": na(0.3, ints(0, 1)),
        "reported_rate": np.array([f"{v:.2f}%" for v in rate], dtype=object),
        "inspection_plan": plan, "inspections": inspections, "enterprises_inspected": enterprises,
        "violations": violations,
        "rectification_orders": np.round(violations * rng.uniform(0.05, 0.1, n)).astype(np.int64),
        "cases_filed": cases, "case_target": ints(5, 15),
        "fines_wan": np.array([f"{v:.2f}" for v in rng.uniform(10, 60, n)], dtype=object),
        "licences_revoked": revoked, "enterprises_closed": np.minimum(ints(0, 1), cases - revoked),
        "death_target": ints(2, 5), "accidents_last_year": ints(2, 8), "deaths_last_year": ints(1, 4),
    })


# ------------------------------------------------------------------------------------------- write
LEDGERS = ("hazards", "city_checks", "accident_records", "committee_meetings", "stations", "honours",
           "criticisms", "findings")


def generate(scale: Scale, out: Path) -> dict[str, int]:
    """Write the CSV form of a data set into `out` (emptied first); returns rows per file."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    index = list(SCALES).index(scale.name)
    units, entities = make_units(scale, np.random.default_rng([SEED, index]))
    rows = dict.fromkeys(LEDGERS, 0)
    found = np.zeros(scale.units, dtype=np.int64)
    done = np.zeros(scale.units, dtype=np.int64)
    start = 0
    chunk = 0
    while start < scale.units:
        stop = start + 1
        while stop < scale.units and units.hazards[start:stop + 1].sum() <= CHUNK_ROWS:
            stop += 1
        sel = slice(start, stop)
        rng = np.random.default_rng([SEED, index, chunk + 1])
        checks = checks_frame(units, sel, rng)
        hazards = hazards_frame(units, sel, checks, rng)
        frames = {"hazards": hazards, "city_checks": checks, **small_ledgers(units, sel, rng)}
        position = {e: i for i, e in enumerate(units.ids)}
        at = hazards["entity"].map(position).to_numpy(dtype=np.int64)
        found += np.bincount(at, minlength=scale.units)
        done += np.bincount(at, weights=(hazards["整改完成日期"] != "").to_numpy(), minlength=scale.units).astype(np.int64)
        for name in LEDGERS:
            frame = frames[name]
            frame.to_csv(out / f"{name}.csv", mode="a", header=chunk == 0, index=False, lineterminator="\n")
            rows[name] += len(frame)
        del frames, hazards, checks
        start = stop
        chunk += 1
    entities.to_csv(out / "entities.csv", index=False, lineterminator="\n")
    values = values_frame(units, found, done, np.random.default_rng([SEED, index, 0]))
    values.to_csv(out / "values.csv", index=False, lineterminator="\n")
    rows["entities"] = len(entities)
    rows["values"] = len(values)
    return rows


def ensure(scale_name: str, base: Path = DATA, force: bool = False, log=print) -> Path:
    """The data set of a scale (generated unless a complete one of this version is there); its folder."""
    scale = SCALES[scale_name]
    folder = base / scale.name
    stamp = folder / "stamp.json"
    want = {"version": VERSION, "scale": scale.name, "units": scale.units, "hazards": scale.hazards}
    if not force and stamp.exists():
        have = json.loads(stamp.read_text(encoding="utf-8"))
        if {k: have.get(k) for k in want} == want:
            return folder
    folder.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    t0 = time.perf_counter()
    rows = generate(scale, folder / "csv")
    took = time.perf_counter() - t0
    log(f"生成 {scale.name}：{rows['entities']} 个单位，{sum(rows.values()):,} 行，用时 {took:.1f} 秒 → {folder / 'csv'}")
    if scale.workbooks:
        books = folder / "xlsx"
        if books.exists():
            shutil.rmtree(books)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import assess; assess.main()", "convert", str(folder / "csv"),
                        "-c", str(CRITERIA), "--to", "xlsx", "-o", str(books)], check=True, capture_output=True)
        log(f"转换为工作簿：{len(list(books.glob('*.xlsx')))} 个，用时 {time.perf_counter() - t0:.1f} 秒 → {books}")
    stamp.write_text(json.dumps({**want, "rows": rows, "seconds": round(took, 1)}, ensure_ascii=False),
                     encoding="utf-8")
    return folder


def forms(folder: Path) -> dict[str, Path]:
    """The forms of a generated data set: {'csv': folder, 'xlsx': folder} as present."""
    return {f: folder / f for f in ("csv", "xlsx") if (folder / f).is_dir()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=list(SCALES), required=True)
    ap.add_argument("--out", type=Path, default=DATA, help="base folder (default bench/data)")
    ap.add_argument("--force", action="store_true", help="regenerate even when a complete data set is there")
    ap.add_argument("--check", action="store_true", help="then run `assess check` on every form")
    args = ap.parse_args()
    folder = ensure(args.scale, args.out, args.force)
    if args.check:
        for form, path in forms(folder).items():
            t0 = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", "import assess; assess.main()", "check", "-c", str(CRITERIA),
                                   "-d", str(path)], capture_output=True, text=True)
            print(f"assess check（{form}）：退出码 {done.returncode}，用时 {time.perf_counter() - t0:.1f} 秒")
            print((done.stdout + done.stderr).strip()[-3000:])
            if done.returncode != 0:
                sys.exit(1)


if __name__ == "__main__":
    main()

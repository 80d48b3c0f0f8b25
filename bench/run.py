#!/usr/bin/env python3
"""Benchmark `assess score` at a scale, with the I/O floor, plain pandas and a peer engine side by side.

    python bench/run.py --scale city|province|nation [--runs N] [--no-peer] [--tree DIR]

For each form of the scale's data set (bench/gen.py; the city as CSV and as workbooks), N times (default
3; 1 for the nation), interleaved:

  assess   `assess score -c criteria/2020/county.yaml -d DATA -f json -o FILE` as its own process: wall
           time, peak RSS (os.wait4), and the stage times it prints with ASSESS_TIMINGS=1 (common.timing);
           "startup" is the wall time outside the stages (interpreter, imports, exit);
  floor    bench/floor.py as its own process: pandas alone reading the same files with its fastest reader
           (CSV: engine="pyarrow"; workbooks: calamine) and nothing else — the I/O floor;

then once per CSV form, bench/plain.py (the derived values with plain pandas, compared with the engine's),
and once, bench/peer.py: the scale's CSV through zen-engine and through our evaluator, the same item
decisions on the same inputs, N timed rounds each, every unit × item score compared.

With --tree DIR, `assess score` is run from another checkout of the project (e.g. an older commit exported
with `git archive`), for before/after figures; stage times are shown when that version prints them, and the
peer comparison (which needs this version's engine) is skipped.

The machine's load (os.getloadavg) is printed before every run: the host is shared and its speed varies.
Medians are printed, with the ratios end-to-end / I/O floor and our item decisions per second / the
peer's, and written to bench/data/results-<scale>.json. Child processes run with bytecode caching on
(PYTHONPYCACHEPREFIX=bench/data/pycache, PYTHONDONTWRITEBYTECODE removed) after a warm-up run, as an
installed tool runs; this sandbox sets PYTHONDONTWRITEBYTECODE=1, which alone adds ~0.2 s to every run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402

ROOT = HERE.parent
CRITERIA = ROOT / "criteria" / "2020" / "county.yaml"
PREFIX = "阶段用时（秒）："
STAGES = [("load", "加载细则"), ("read", "读取文件"), ("check", "检查转换"), ("derive", "派生"),
          ("evaluate", "规则评估"), ("match", "durable 匹配"), ("aggregate", "汇总等次排名"), ("write", "写出")]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(gen.DATA / "pycache")
    env["SOURCE_DATE_EPOCH"] = "1609430400"  # 2021-01-01: the run record's time, so outputs compare
    env["ASSESS_TIMINGS"] = "1"
    return env


def measure(cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run a command as its own process: wall time, peak RSS, exit code, stdout and stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"wall": wall, "rss_mb": usage.ru_maxrss / 1024, "rc": proc.returncode,
                "stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace")}


def stages_of(stderr: str) -> dict[str, float]:
    """The stage times `assess score` printed (none from a version without common.timing)."""
    for line in stderr.splitlines():
        if line.startswith(PREFIX):
            return json.loads(line[len(PREFIX):])
    return {}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def compare_derived(engine_json: Path, pandas_json: Path) -> tuple[int, int]:
    """(values equal, values compared) between the engine's derived values and plain pandas'."""
    engine = {u["entity"]: u["values"] for u in json.loads(engine_json.read_text(encoding="utf-8"))["results"]}
    same = total = 0
    for unit, values in json.loads(pandas_json.read_text(encoding="utf-8")).items():
        if unit not in engine:
            continue
        for name, value in values.items():
            total += 1
            ours = engine[unit].get(name)
            if ours is not None and value is not None and abs(float(Decimal(str(ours))) - float(value)) <= 1e-9:
                same += 1
    return same, total


def assess_command(tree: Path | None) -> list[str]:
    """`assess` as installed, or from another checkout (its folder first on sys.path, not the current one)."""
    if tree is None:
        return [str(Path(sys.executable).with_name("assess"))]
    return [sys.executable, "-P", "-c", "import assess; assess.main()"]


def bench_form(scale: str, form: str, data: Path, runs: int, env: dict[str, str], work: Path,
               tree: Path | None = None) -> dict[str, Any]:
    out = work / f"{scale}-{form}.json"
    derived = work / f"{scale}-{form}-pandas.json"
    score = [*assess_command(tree), "score", "-c", str(CRITERIA), "-d", str(data), "-f", "json", "-o", str(out)]
    score_env = env if tree is None else {**env, "PYTHONPATH": str(tree)}
    floor = [sys.executable, str(HERE / "floor.py"), str(data)]
    ours: list[dict[str, Any]] = []
    base: list[dict[str, Any]] = []
    loads: list[float] = []
    for k in range(runs):
        loads.append(os.getloadavg()[0])
        r = measure(score, score_env)
        if r["rc"] != 0:
            raise SystemExit(f"assess score 失败（退出码 {r['rc']}）：\n{r['stderr'][-3000:]}")
        r["stages"] = stages_of(r["stderr"])
        ours.append(r)
        f = measure(floor, env)
        if f["rc"] != 0:
            raise SystemExit(f"floor.py 失败：\n{f['stderr'][-3000:]}")
        f.update(json.loads(f["stdout"]))
        base.append(f)
        print(f"  第 {k + 1} 次（负载 {loads[-1]:.2f}）：assess {r['wall']:.2f} 秒，{r['rss_mb']:.0f} MB；"
              f"I/O 下限 {f['wall']:.2f} 秒；比值 {r['wall'] / f['wall']:.2f}×", flush=True)
    stages = {name: median([r["stages"].get(name, 0.0) for r in ours]) for name, _ in STAGES}
    result: dict[str, Any] = {
        "form": form, "runs": runs,
        "wall": median([r["wall"] for r in ours]), "rss_mb": max(r["rss_mb"] for r in ours),
        "stages": stages, "timed": bool(ours[0]["stages"]),
        "startup": median([r["wall"] - sum(r["stages"].values()) for r in ours]),
        "floor_wall": median([f["wall"] for f in base]), "floor_read": median([f["read"] for f in base]),
        "floor_rss_mb": max(f["rss_mb"] for f in base), "rows": base[0]["rows"], "files": base[0]["files"],
        "load": loads, "ratios": [r["wall"] / f["wall"] for r, f in zip(ours, base, strict=True)],
    }
    if form == "csv":
        p = measure([sys.executable, str(HERE / "plain.py"), str(data), str(derived)], env)
        if p["rc"] != 0:
            raise SystemExit(f"plain.py 失败：\n{p['stderr'][-3000:]}")
        result["pandas_derive"] = json.loads(p["stdout"])["derive"]
        result["derived_same"], result["derived_total"] = compare_derived(out, derived)
    result["ratio_floor"] = result["wall"] / result["floor_wall"]
    return result


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    import pandas

    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem_kb / 2**20, 1),
            "python": platform.python_version(), "pandas": pandas.__version__}


def show(scale: str, units: int, results: list[dict[str, Any]], peer: dict[str, Any] | None) -> None:
    for r in results:
        print(f"\n== {scale}：{units} 个单位，{r['rows']:,} 行，{r['files']} 个表（{r['form']}），{r['runs']} 次中位数 ==")
        print(f"端到端 assess score（独立进程）：{r['wall']:.2f} 秒，峰值内存 {r['rss_mb']:.0f} MB")
        if not r["timed"]:
            print("  （此版本不输出各阶段用时）")
            print(f"I/O 下限（pandas 以 pyarrow/calamine 读同样的文件，独立进程，别无他事）：{r['floor_wall']:.2f} 秒；比值 端到端 / I/O 下限 = "
                  f"{r['ratio_floor']:.2f}×")
            continue
        parts = [f"启动/导入/退出 {r['startup']:.2f}"] + [f"{label} {r['stages'][k]:.2f}" for k, label in STAGES]
        print("  各阶段（秒）：" + "，".join(parts))
        evaluation = r["stages"]["evaluate"] + r["stages"]["match"]
        print(f"  每单位：规则评估+匹配 {evaluation / units * 1000:.2f} 毫秒，派生 {r['stages']['derive'] / units * 1000:.2f} 毫秒，"
              f"全程 {r['wall'] / units * 1000:.1f} 毫秒")
        print(f"I/O 下限（pandas 以 pyarrow/calamine 读同样的文件，独立进程，别无他事）：{r['floor_wall']:.2f} 秒（其中读取 {r['floor_read']:.2f} 秒），"
              f"峰值内存 {r['floor_rss_mb']:.0f} MB")
        if "pandas_derive" in r:
            print(f"纯 pandas 计算派生值：{r['pandas_derive']:.3f} 秒（引擎派生 {r['stages']['derive']:.3f} 秒）；"
                  f"与引擎一致 {r['derived_same']}/{r['derived_total']}")
        print(f"比值 端到端 / I/O 下限 = {r['ratio_floor']:.2f}×（中位数之比；各次 "
              f"{'、'.join(f'{x:.2f}×' for x in r['ratios'])}；各次开始时 1 分钟负载 "
              f"{'、'.join(f'{x:.2f}' for x in r['load'])}，{os.cpu_count()} 核）")
    if peer is not None:
        print(f"\n同行引擎 zen-engine（{len(peer['items'])} 个标量项目 × {peer['units']} 个单位 = {peer['decisions']:,} 个决策，"
              f"{peer['runs']} 轮中位数）：")
        print(f"  本引擎（评估+durable 交叉核对+项目得分）{peer['ours']:.3f} 秒 = {peer['ours_per_s']:,.0f} 个/秒；"
              f"zen 逐个 {peer['zen']:.3f} 秒，批量 {peer['zen_batch']:.3f} 秒 = {peer['zen_per_s']:,.0f} 个/秒")
        print(f"  比值 本引擎 / zen = {peer['ours_per_s'] / peer['zen_per_s']:.2f}×；"
              f"得分一致 {peer.get('agree')}/{peer['decisions']}")
        if results and results[0]["timed"]:
            r = results[0]
            full = (r["stages"]["evaluate"] + r["stages"]["match"])
            print(f"  （全流程规则评估+匹配，全部项目：{units} 个单位 × {peer['all_items']} 项 / {full:.2f} 秒 = "
                  f"{units * peer['all_items'] / full:,.0f} 个/秒）")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", required=True, help="city, province or nation (or several, comma separated)")
    ap.add_argument("--runs", type=int, help="runs per measurement (default 3; nation 1)")
    ap.add_argument("--no-peer", action="store_true", help="skip the zen-engine comparison")
    ap.add_argument("--tree", type=Path, help="run `assess` from this checkout instead (before/after figures)")
    args = ap.parse_args()
    env = child_env()
    info = machine()
    print(f"机器：{info['nproc']} 核 {info['cpu']}，内存 {info['ram_gib']} GiB，Python {info['python']}，"
          f"pandas {info['pandas']}")
    for scale in args.scale.split(","):
        if scale not in gen.SCALES:
            raise SystemExit(f"未知规模“{scale}”：可选 {'、'.join(gen.SCALES)}")
        runs = args.runs or (1 if scale == "nation" else 3)
        folder = gen.ensure(scale)
        units = gen.SCALES[scale].units
        # warm-up (not timed): bytecode compiled into the cache, files in the page cache
        measure([*assess_command(args.tree), "--version"],
                env if args.tree is None else {**env, "PYTHONPATH": str(args.tree)})
        measure([sys.executable, str(HERE / "floor.py"), "--help"], env)
        results = []
        with tempfile.TemporaryDirectory() as tmp:
            for form, data in gen.forms(folder).items():
                print(f"{scale}（{form}）：", flush=True)
                results.append(bench_form(scale, form, data, runs, env, Path(tmp), args.tree))
        peer = None
        if not args.no_peer and args.tree is None:
            print(f"{scale}：zen-engine 对比……", flush=True)
            p = measure([sys.executable, str(HERE / "peer.py"), str(CRITERIA), str(folder / "csv"), "--runs", str(runs),
                         "--check"], env)
            if p["rc"] != 0:
                raise SystemExit(f"peer.py 失败：\n{p['stderr'][-3000:]}")
            peer = json.loads(p["stdout"])
            peer.update({"runs": runs, "wall": p["wall"], "rss_mb": p["rss_mb"]})
            from common.problems import Problems
            from rules.language.criteria import load_criteria

            scheme = load_criteria(CRITERIA, Problems())
            peer["all_items"] = len(scheme.items) if scheme else 0
        show(scale, units, results, peer)
        record = {"scale": scale, "units": units, "machine": info, "forms": results, "peer": peer,
                  "tree": str(args.tree) if args.tree else None,
                  "command": f"python bench/run.py --scale {scale} --runs {runs}", "time": time.strftime("%Y-%m-%d %H:%M")}
        name = f"results-{scale}.json" if args.tree is None else f"results-{scale}-{args.tree.name}.json"
        (gen.DATA / name).write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

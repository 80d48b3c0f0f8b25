"""The rolled-up example (examples/province-rollup/): three cities scored from their counties, nothing typed twice.

秦州市's figures come from the example city's own 13 counties (examples/city-2020/counties); its two peers from
the counties make_peers.py writes. Every city's points are checked against a computation by hand from its
counties' own results documents."""

from __future__ import annotations

import filecmp
import importlib.util
import json
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

from tests.helpers import cli

ROOT = Path(__file__).parent.parent
HERE = ROOT / "examples" / "province-rollup"
COUNTY = ROOT / "criteria" / "2020" / "county.yaml"
SOURCES = {"秦州市": ROOT / "examples" / "city-2020" / "counties", "岐州市": HERE / "peer-counties" / "C02",
           "汉源市": HERE / "peer-counties" / "C03"}


def _json(result_output: str) -> dict:
    return json.JSONDecoder().raw_decode(result_output[result_output.index("{"):])[0]   # stderr follows


def _by_hand(counties: list[dict], plan_issued: bool) -> dict[str, object]:
    deaths = sum(c["values"]["deaths"] for c in counties)
    target = sum(c["values"]["death_target"] for c in counties)
    rate = Decimal(sum(c["values"]["hazards_rectified"] for c in counties)) / sum(
        c["values"]["hazards_found"] for c in counties)
    over = sum(1 for c in counties if c["values"]["deaths"] > c["values"]["death_target"])
    failed = sum(1 for c in counties if c["grade"] == "不合格")
    items = {
        "A1": max(0, 20 - 2 * max(0, deaths - target)),
        "A2": max(0, 20 - 5 * over),
        "B1": 30 - min(30, int(((Decimal("0.9") - rate) * 100).to_integral_value(ROUND_CEILING))) if rate < Decimal(
            "0.9") else 30,
        "C1": max(0, 20 - 5 * failed),
        "D1": 10 if plan_issued else 0,
    }
    total = sum(items.values())
    grade = "优秀" if total >= 90 else "良好" if total >= 80 else "合格" if total >= 60 else "不合格"
    if failed and grade == "优秀":
        grade = "良好"
    return {"items": items, "total": total, "grade": grade}


def test_each_city_is_its_counties_rolled_up() -> None:
    result = cli("score", "-c", str(HERE / "city.yaml"), "-d", str(HERE / "cities"), "-f", "json")
    assert result.exit_code == 0, result.output
    cities = {r["name"]: r for r in _json(result.output)["results"]}
    given = cli("score", "-c", str(HERE / "city.yaml"), "-d", str(HERE / "cities"), "-f", "json",
                "--rollup", f"counties@秦州市={SOURCES['秦州市']}", "--rollup", f"counties={HERE / 'peer-counties'}")
    assert given.exit_code == 0, given.output   # the same sources given to the run instead of the scheme's
    assert [r["total"] for r in _json(given.output)["results"]] == [r["total"] for r in _json(result.output)["results"]]
    plans = {"秦州市": True, "岐州市": True, "汉源市": False}
    for name, source in SOURCES.items():
        lower = cli("score", "-c", str(COUNTY), "-d", str(source), "-f", "json")
        assert lower.exit_code == 0, lower.output
        want = _by_hand(_json(lower.output)["results"], plans[name])
        got = cities[name]
        assert {k: Decimal(v) for k, v in got["items"].items()} == want["items"], name
        assert Decimal(got["total"]) == want["total"] and got["grade"] == want["grade"], name
    assert cities["秦州市"]["total"] == "88.00" and cities["秦州市"]["values"]["deaths"] == 25
    assert [cities[n]["rank"] for n in ("岐州市", "秦州市", "汉源市")] == [1, 2, 3]


def test_the_peer_counties_are_what_the_generator_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_peers", HERE / "make_peers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for city in ("C02", "C03"):
        names = sorted(p.name for p in (HERE / "peer-counties" / city).iterdir())
        assert names == sorted(p.name for p in (tmp_path / city).iterdir())
        _same, mismatch, errors = filecmp.cmpfiles(tmp_path / city, HERE / "peer-counties" / city, names, shallow=False)
        assert not mismatch and not errors, (city, mismatch, errors)

"""Compare two results (files, or runs of criteria on data) and verify a published result."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from results.compare import match_events
from tests.helpers import SPEC, SPEC_DATA, cli

AT = "2021-01-15T09:30:00+08:00"


@pytest.fixture
def corrected(tmp_path: Path) -> Path:
    """The spec data after 二县 corrected its ledger: hazard H2 rectified."""
    d = tmp_path / "corrected"
    shutil.copytree(SPEC_DATA, d)
    f = d / "hazards.csv"
    text = f.read_text(encoding="utf-8")
    assert "c02,H2,重大,是,2020-03-01,2020-06-01,\n" in text
    f.write_text(text.replace("c02,H2,重大,是,2020-03-01,2020-06-01,\n", "c02,H2,重大,是,2020-03-01,2020-06-01,2020-05-30\n"),
                 encoding="utf-8")
    return d


def unit(doc: dict, entity: str) -> dict:
    return next(u for u in doc["units"] if u["entity"] == entity)


def test_compare_data_sets_explains_the_changed_items_with_events(corrected: Path) -> None:
    result = cli("compare", "-c", str(SPEC), "-d", str(SPEC_DATA), "-d", str(corrected), "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["changed"] == 1
    c02 = unit(doc, "c02")
    assert c02["total"]["from"] == "79.16" and c02["total"]["change"].startswith("+")
    assert c02["grade"] == {"from": "合格", "to": "良好"}
    items = {i["item"]: i for i in c02["items"]}
    assert set(items) == {"B1", "B2"}
    b2 = items["B2"]
    assert (b2["from"], b2["to"], b2["change"]) == ("3", "4", "+1")
    [ev] = b2["events"]
    assert ev["change"] == "removed" and ev["from"]["evidence"]["隐患编号"] == "H2"
    assert {e["change"] for e in items["B1"]["events"]} == {"removed"}
    assert c02["values"]["hazards_rectified"] == {"from": 1, "to": 2}
    assert not unit(doc, "c01")["changed"]     # the same rows in another folder are the same events
    table = cli("compare", "-c", str(SPEC), "-d", str(SPEC_DATA), "-d", str(corrected))
    assert "二县（c02）：总分 79.16→" in table.stdout and "B2：3 → 4（+1）" in table.stdout
    assert "取消：-1分" in table.stdout and "共4个单位，1个有变化" in table.stdout


def test_compare_result_files(tmp_path: Path, corrected: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json", "-o", str(a)).exit_code == 0
    assert cli("score", "-c", str(SPEC), "-d", str(corrected), "-f", "json", "-o", str(b)).exit_code == 0
    doc = json.loads(cli("compare", str(a), str(b), "-f", "json").stdout)
    assert doc["a"]["run"]["data"]["path"] == str(SPEC_DATA)
    assert [u["entity"] for u in doc["units"] if u["changed"]] == ["c02"]
    same = json.loads(cli("compare", str(a), str(a), "-f", "json").stdout)
    assert same["changed"] == 0


def test_compare_two_schemes_on_one_data_set(tmp_path: Path) -> None:
    revised = tmp_path / "revised.yaml"
    text = SPEC.read_text(encoding="utf-8")
    old = "          - deduct: 0.5\n            per: duties_missed"
    assert old in text
    revised.write_text(text.replace(old, "          - deduct: 1\n            per: duties_missed"), encoding="utf-8")
    doc = json.loads(cli("compare", "-c", str(SPEC), "-c", str(revised), "-d", str(SPEC_DATA), "-f", "json").stdout)
    c02 = unit(doc, "c02")
    a1 = next(i for i in c02["items"] if i["item"] == "A1")
    assert (a1["from"], a1["to"]) == ("1.5", "1")
    [ev] = a1["events"]
    assert ev["change"] == "changed" and (ev["from"]["points"], ev["to"]["points"]) == ("-0.5", "-1")
    c03 = unit(doc, "c03")      # 6 duties missed: 2 points lost either way (clamped), the events changed
    a1 = next(i for i in c03["items"] if i["item"] == "A1")
    assert a1["change"] is None or a1["change"] == "0"
    assert any(e["change"] == "changed" for e in a1["events"])


def test_compare_usage() -> None:
    assert cli("compare", "only.json").exit_code == 2
    assert cli("compare", "-c", str(SPEC), "-d", str(SPEC_DATA)).exit_code == 2
    assert cli("compare", "a.json", "b.json", "-c", str(SPEC)).exit_code == 2


def test_event_matching() -> None:
    a = [{"item": "B2", "rule": "B2", "points": "-1", "reason": "r", "evidence": {"出处": "x/h.csv·第3行", "k": 1}},
         {"item": "A1", "rule": "A1.rules[0]", "points": "-0.5", "reason": "少1项", "evidence": {}}]
    b = [{"item": "B2", "rule": "B2", "points": "-1", "reason": "r", "evidence": {"出处": "y/h.csv·第3行", "k": 1}},
         {"item": "A1", "rule": "A1.rules[0]", "points": "-1", "reason": "少2项", "evidence": {}},
         {"item": "B2", "rule": "B2", "points": "-1", "reason": "r", "evidence": {"出处": "y/h.csv·第4行", "k": 2}}]
    got = [(c.change, c.item) for c in match_events(a, b)]
    assert got == [("changed", "A1"), ("added", "B2")]


# ----------------------------------------------------------------------------------------------- verify


@pytest.fixture
def published(tmp_path: Path) -> Path:
    out = tmp_path / "result.json"
    assert cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json", "--at", AT, "-o", str(out)).exit_code == 0
    return out


def test_verify_passes_an_unedited_result(published: Path) -> None:
    result = cli("verify", str(published))          # criteria and data from the run record
    assert result.exit_code == 0, result.output
    assert "逐字节一致" in result.stdout
    assert cli("verify", str(published), "-c", str(SPEC), "-d", str(SPEC_DATA)).exit_code == 0


def test_verify_catches_an_edited_number(published: Path) -> None:
    text = published.read_text(encoding="utf-8")
    assert text.count('"total": "96.50"') == 1
    published.write_text(text.replace('"total": "96.50"', '"total": "97.50"'), encoding="utf-8")
    result = cli("verify", str(published))
    assert result.exit_code == 1
    assert "未能复现" in result.stdout and "sha256 相同" in result.stdout
    assert "四县（c04）：总分 97.50→96.50" in result.stdout
    doc = json.loads(cli("verify", str(published), "-f", "json").stdout)
    assert doc["reproduced"] is False and doc["inputs"] == []
    assert [u["entity"] for u in doc["units"]] == ["c04"]


def test_verify_catches_an_edited_event(published: Path) -> None:
    doc = json.loads(published.read_text(encoding="utf-8"))
    c03 = next(r for r in doc["results"] if r["entity"] == "c03")
    ev = next(e for e in c03["events"] if e["item"] == "A1")
    ev["points"] = "-1"
    published.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    out = json.loads(cli("verify", str(published), "-f", "json").stdout)
    [u] = out["units"]
    assert u["entity"] == "c03"
    [item] = u["items"]
    assert item["item"] == "A1" and item["events"][0]["change"] == "changed"


def test_verify_catches_changed_inputs(published: Path, corrected: Path) -> None:
    result = cli("verify", str(published), "-c", str(SPEC), "-d", str(corrected))
    assert result.exit_code == 1
    assert "数据文件 hazards.csv：内容已改动" in result.stdout
    assert "输入文件不在记录的位置" in result.stdout and "二县（c02）" in result.stdout


def _folder_published(root: Path) -> Path:
    """A published folder as the server freezes one: scheme, data and the result together."""
    folder = root / "published"
    shutil.copytree(SPEC_DATA, folder / "data")
    shutil.copy(SPEC, folder / "scheme.yaml")
    out = folder / "results.json"
    assert cli("score", "-c", str(folder / "scheme.yaml"), "-d", str(folder / "data"), "-f", "json", "--at", AT,
               "-o", str(out)).exit_code == 0
    return folder


def test_verify_a_published_folder_moved_whole(tmp_path: Path) -> None:
    folder = _folder_published(tmp_path / "old")
    text = (folder / "results.json").read_text(encoding="utf-8")
    assert str(folder / "data" / "hazards.csv") in text        # the paths are in the document (出处, run record)
    moved = tmp_path / "archive" / "2020年度考核"
    shutil.move(str(folder), moved)
    result = cli("verify", str(moved / "results.json"))      # the recorded paths are gone: found beside it
    assert result.exit_code == 0, result.output
    assert "逐字节一致" in result.stdout and "输入文件不在记录的位置" in result.stdout
    assert str(moved / "data") in result.stdout
    # given explicitly, the same
    assert cli("verify", str(moved / "results.json"), "-c", str(moved / "scheme.yaml"),
               "-d", str(moved / "data")).exit_code == 0
    # an input edited after the move is still caught
    f = moved / "data" / "hazards.csv"
    f.write_text(f.read_text(encoding="utf-8").replace("c02,H2,重大,是,2020-03-01,2020-06-01,\n",
                                                       "c02,H2,重大,是,2020-03-01,2020-06-01,2020-05-30\n"),
                 encoding="utf-8")
    result = cli("verify", str(moved / "results.json"))
    assert result.exit_code == 1 and "数据文件 hazards.csv：内容已改动" in result.stdout


def test_relocate_rewrites_only_whole_paths() -> None:
    from results.verify import relocate

    text = '{"出处": "/new/d/h.csv·第2行", "path": "/new/d", "x": "/new/dd/h.csv", "y": "见 /new/d/h.csv"}'
    assert relocate(text, "/new/d", "/old/data") == (
        '{"出处": "/old/data/h.csv·第2行", "path": "/old/data", "x": "/new/dd/h.csv", "y": "见 /new/d/h.csv"}')


def test_verify_a_reformatted_result(published: Path) -> None:
    doc = json.loads(published.read_text(encoding="utf-8"))
    published.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = cli("verify", str(published))
    assert result.exit_code == 1 and "写法" in result.stdout


def test_verify_refuses_what_is_not_a_result(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    assert cli("verify", str(bad)).exit_code == 1

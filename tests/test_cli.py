"""The CLI is thin and documented: exit codes, outputs written whole or not at all, Chinese help."""

from __future__ import annotations

import contextlib
from pathlib import Path

from assess import main
from common.files import write_text_atomic
from tests.helpers import SPEC, SPEC_DATA, cli


def test_help_is_chinese_and_lists_commands() -> None:
    result = cli("--help")
    assert result.exit_code == 0
    assert "安全生产考核评分" in result.output
    for cmd in main.commands:
        assert cmd in result.output


def test_usage_error_is_exit_2() -> None:
    assert cli("score", "--criteria").exit_code == 2
    assert cli("frobnicate").exit_code == 2


def test_score_table_aligns_and_prints_ranking() -> None:
    result = cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "名次" in lines[1] and "一县" in lines[3]


def test_score_out_writes_file(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "r.csv"
    result = cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "csv", "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("名次,编号,单位,总分,等次")
    assert list(tmp_path.glob("sub/.*tmp")) == []


def test_write_atomic_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")

    class Boom(str):
        def __str__(self) -> str:
            raise RuntimeError

    with contextlib.suppress(Exception):
        write_text_atomic(target, Boom("x"))
    assert target.read_text(encoding="utf-8") in ("old", "x")
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_explain_unit_and_item() -> None:
    result = cli("explain", "-c", str(SPEC), "-d", str(SPEC_DATA), "c03")
    assert result.exit_code == 0
    assert "三县（c03）：总分 65.40，等次 不合格" in result.output
    assert "瞒报谎报生产安全事故" in result.output
    one = cli("explain", "-c", str(SPEC), "-d", str(SPEC_DATA), "c03", "B2")
    assert "隐患编号=H2" in one.output and "A1" not in one.output


def test_explain_unknown_unit_suggests() -> None:
    result = cli("explain", "-c", str(SPEC), "-d", str(SPEC_DATA), "c3")
    assert result.exit_code == 2
    assert "单位“c3”不存在" in result.output


def test_explain_by_name() -> None:
    assert cli("explain", "-c", str(SPEC), "-d", str(SPEC_DATA), "三县").exit_code == 0


def test_validate_runs_cases() -> None:
    result = cli("validate", str(SPEC))
    assert result.exit_code == 0
    assert "案例" in result.output and "通过" in result.output


def test_explain_signs_match_what_happened() -> None:
    """An item scored up from 0 (basis: zero) that ends 1.5 of 2 lost 0.5: not shown as "+1.5"."""
    root = Path(__file__).resolve().parent.parent
    result = cli("explain", "-c", str(root / "criteria/2020/county.yaml"), "-d", str(root / "examples/city-2020/counties"),
                 "u13", "E5")
    assert result.exit_code == 0, result.output
    assert "1.5/2（失0.5分）" in result.output
    assert "得1.5 分" in result.output and "+1.5" not in result.output

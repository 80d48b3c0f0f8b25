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


# Terminal width, GBK consoles and -o (issue 16, item 6)

COUNTY = Path(__file__).parent.parent / "criteria/2020/county.yaml"
COUNTY_DATA = Path(__file__).parent.parent / "examples/city-2020/counties"


def _widest(text: str) -> int:
    from wcwidth import wcswidth

    return max((wcswidth(line) for line in text.splitlines()), default=0)


def test_tables_fit_the_terminal_width_and_keep_every_value() -> None:
    from click.testing import CliRunner

    wide = CliRunner().invoke(main, ["score", "-c", str(COUNTY), "-d", str(COUNTY_DATA)], env={"COLUMNS": "400"})
    assert _widest(wide.stdout) > 200  # the ranking is wide: the narrow runs below must fold it
    for columns in (60, 80, 120):
        result = CliRunner().invoke(
            main, ["score", "-c", str(COUNTY), "-d", str(COUNTY_DATA)], env={"COLUMNS": str(columns)}
        )
        assert result.exit_code == 0, result.output
        assert _widest(result.stdout) <= columns, (columns, result.stdout)
        flat = result.stdout.replace("\n", "").replace(" ", "")
        for name in ("秦川区", "秦州高新区", "97.20"):
            assert name in flat


def test_a_too_wide_table_folds_into_column_groups() -> None:
    from reports.terminal import fit_table

    headers = ["编号", "单位", *[f"类别{k}得分" for k in range(12)]]
    rows = [["u01", "秦川区", *[str(k) for k in range(12)]]]
    text = fit_table(headers, rows, keys=2, width=60)
    assert _widest(text) <= 60
    assert text.count("秦川区") >= 2  # the key columns are repeated in each group
    assert "类别11得分" in text.replace("\n", "").replace(" ", "") or "类别11" in text


def test_problems_and_explain_fold_long_lines() -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(
        main, ["explain", "-c", str(COUNTY), "-d", str(COUNTY_DATA), "u10"], env={"COLUMNS": "70"}
    )
    assert result.exit_code == 0
    assert _widest(result.stdout) <= 70


def test_validate_redirected_in_gbk_does_not_crash(tmp_path: Path) -> None:
    """A Chinese Windows console or a redirect there is GBK, which has no '✓': the marks are GBK-safe."""
    import os
    import subprocess
    import sys

    root = Path(__file__).parent.parent
    out = tmp_path / "out.txt"
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    env.pop("COLUMNS", None)
    with out.open("wb") as f:
        done = subprocess.run(
            [sys.executable, "-m", "assess", "validate", *map(str, sorted((root / "criteria/2020").glob("*.yaml")))],
            stdout=f,
            stderr=subprocess.PIPE,
            env=env,
            cwd=root,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    text = out.read_bytes().decode("gbk")
    assert "通过" in text and "county.yaml" in text


def test_a_character_gbk_lacks_is_replaced_not_a_crash() -> None:
    """A unit name may hold a character outside GBK: the streams replace it instead of raising."""
    import io

    from cli.shared import safe_streams

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk")
    import sys

    saved = sys.stdout
    sys.stdout = stream
    try:
        safe_streams()
        print("✓ 𠮷县")
        stream.flush()
    finally:
        sys.stdout = saved
    assert raw.getvalue().decode("gbk").startswith("? ")


def test_every_command_that_prints_a_report_has_out(tmp_path: Path) -> None:
    for name in ("score", "explain", "selfcheck", "check", "compare", "verify", "codes"):
        params = {p.name for p in main.commands[name].params}
        assert "out" in params, f"assess {name} has no -o"
    target = tmp_path / "说明.txt"
    result = cli("explain", "-c", str(SPEC), "-d", str(SPEC_DATA), "-o", str(target), "c01")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "总分" in target.read_text(encoding="utf-8")
    target = tmp_path / "问题.txt"
    result = cli("check", "-c", str(SPEC), "-d", str(SPEC_DATA), "-o", str(target))
    assert target.exists() and result.stdout == ""


def test_tables_outside_a_command_are_not_folded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The web server renders the same tables: they follow no terminal, even one with $COLUMNS set."""
    from reports.terminal import fit_table, fitted_to_terminal

    monkeypatch.setenv("COLUMNS", "40")
    headers, rows = ["编号", "说明"], [["u01", "很长的说明" * 20]]
    assert _widest(fit_table(headers, rows)) > 40
    with fitted_to_terminal():
        assert _widest(fit_table(headers, rows)) <= 40

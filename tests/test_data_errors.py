"""Broken data: every problem in one run, naming file, row, column and value; exit 1; nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import SPEC, SPEC_DATA, cli


def copy_data(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(SPEC_DATA, d)
    return d


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bad_data_all_reported_at_once(tmp_path: Path) -> None:
    d = copy_data(tmp_path)
    edit(d / "values.csv", "c01,0,0,", "c01,两人,0,")                # text in an int column
    edit(d / "values.csv", "c04,0,0,", "c04,-1,0,")                  # a negative count
    with (d / "hazards.csv").open("a", encoding="utf-8") as f:
        f.write("c99,H9,一般,否,2020-02-01,2020-03-01,\n")            # a row for an unknown unit
        f.write("c01,H1,一般,否,2020-02-01,2020-03-01,\n")            # a duplicate ledger key
    with (d / "entities.csv").open("a", encoding="utf-8") as f:
        f.write("c05,五县,一类,其他部门\n")                              # a unit without values
    edit(d / "values.csv", "92%", "92")                               # an ambiguous percent
    edit(d / "hazards.csv", "c01,H1,一般", "c01,H1,较大")              # a value not allowed
    out_file = tmp_path / "out.json"
    result = cli("score", "--criteria", str(SPEC), "--data", str(d), "--format", "json", "--out", str(out_file))
    assert result.exit_code == 1
    out = result.output
    values, hazards = f"{d / 'values.csv'}", f"{d / 'hazards.csv'}"
    assert f"{values}·第2行·“deaths”列: 应为整数，实际为“两人”" in out
    assert f"{values}·第5行·“deaths”列: 不能小于0，实际为-1" in out
    assert f"{hazards}·第9行·“entity”列: 单位“c99”不在单位名册中" in out
    assert "单位“c01”的隐患编号“H1”重复" in out and f"{hazards}·第10行" in out
    assert "单位“c05”没有填报数据" in out
    assert "“92”含义不明：百分数请写成 92% 或 0.92" in out
    assert "“较大”不是允许的取值" in out
    assert not out_file.exists()


def test_missing_column_and_unknown_file(tmp_path: Path) -> None:
    d = copy_data(tmp_path)
    text = (d / "values.csv").read_text(encoding="utf-8").splitlines()
    # drop the awareness column
    rows = [r.split(",") for r in text]
    k = rows[0].index("awareness")
    (d / "values.csv").write_text("\n".join(",".join(c for i, c in enumerate(r) if i != k) for r in rows) + "\n",
                                  encoding="utf-8")
    (d / "hazard.csv").write_text("entity\n", encoding="utf-8")
    result = cli("score", "--criteria", str(SPEC), "--data", str(d))
    assert result.exit_code == 1
    assert "缺少“群众知晓率”（awareness）列" in result.output
    assert "无法识别的文件“hazard.csv”（是否指 hazards？）" in result.output


def test_labels_work_as_column_names(tmp_path: Path) -> None:
    d = copy_data(tmp_path)
    edit(d / "values.csv", "awareness", "群众知晓率")
    result = cli("score", "--criteria", str(SPEC), "--data", str(d), "--format", "csv")
    assert result.exit_code == 0, result.output


def test_gbk_csv_is_read(tmp_path: Path) -> None:
    d = copy_data(tmp_path)
    for f in d.glob("*.csv"):
        f.write_bytes(f.read_text(encoding="utf-8").encode("gb18030"))
    result = cli("score", "--criteria", str(SPEC), "--data", str(d), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "一县" in result.output


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    d = copy_data(tmp_path)
    before = {p.name: p.read_bytes() for p in d.iterdir()}
    cli("score", "--criteria", str(SPEC), "--data", str(d), "--format", "json", "--out", str(tmp_path / "r.json"))
    assert {p.name: p.read_bytes() for p in d.iterdir()} == before


def test_an_unreadable_ledger_is_one_problem_not_a_check_failing_for_every_unit(tmp_path: Path) -> None:
    """The county scheme checks its hazards ledger against typed figures; with hazards.csv unreadable those
    checks would fail for all 13 counties. Only the file's own problem is listed (scoring.unread)."""
    from scoring.pipeline import check

    root = Path(__file__).resolve().parent.parent
    folder = tmp_path / "counties"
    shutil.copytree(root / "examples" / "city-2020" / "counties", folder)
    lines = (folder / "hazards.csv").read_text(encoding="utf-8").splitlines()
    lines[2] += ",多出的字段"
    (folder / "hazards.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = check(root / "criteria" / "2020" / "county.yaml", folder)
    assert [p.code for p in checked.problems.errors] == ["csv-fields"], \
        [p.render() for p in checked.problems.errors][:5]
    assert checked.results is None


def test_tables_behind_a_check_follow_derived_values() -> None:
    """Which checks echo an unreadable ledger: those whose figures are computed from it (scoring.unread)."""
    from common.problems import Problems
    from rules.language.criteria import load_criteria
    from scoring.unread import tables_behind
    root = Path(__file__).resolve().parent.parent
    scheme = load_criteria(root / "criteria" / "2020" / "county.yaml", Problems())
    assert scheme is not None
    reads = [set().union(*(tables_behind(scheme, r) for r in c.reads)) if c.reads else set() for c in scheme.checks]
    assert {"hazards"} in reads and set() in reads   # some checks read the hazards ledger, some none


def test_scoring_needs_the_scorers_records_a_self_check_does_not(tmp_path: Path) -> None:
    """Without findings.csv the items scored by others would all score as unrecorded: `score` refuses, while
    a county checking its own data (which never holds the scorers' records) is not asked for them."""
    root = Path(__file__).resolve().parent.parent
    folder = tmp_path / "counties"
    shutil.copytree(root / "examples" / "city-2020" / "counties", folder)
    (folder / "findings.csv").unlink()
    county = str(root / "criteria" / "2020" / "county.yaml")
    scored = cli("score", "-c", county, "-d", str(folder))
    assert scored.exit_code == 1 and "findings.csv" in scored.output and "(missing-ledger)" in scored.output
    assert cli("selfcheck", "-c", county, "-d", str(folder), "-e", "u12").exit_code == 0

"""assess: 安全生产考核评分 — the command line. Thin: it parses arguments and calls the pipeline.

Exit codes: 0 ok; 1 problems in criteria or data (all of them printed, nothing written);
2 usage (a wrong command or option).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from rules.criteria import load_criteria
from rules.problems import Problems
from scoring.cases import cases_path, run_cases_file
from scoring.pipeline import Results, run
from scoring.report.explain import explain_unit
from scoring.report.jsonreport import to_json
from scoring.report.tables import ranking_csv, ranking_table

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _print_problems(problems: Problems) -> None:
    for p in sorted(problems.items, key=lambda p: (p.level != "error", p.file or "", p.line or 0, p.row or 0)):
        click.echo(p.render(), err=True)
    if problems:
        click.echo(f"共 {len(problems.errors)} 个错误，{len(problems.warnings)} 个警告。", err=True)


def write_atomic(path: Path, text: str) -> None:
    """Write all or nothing: a half-written result must never be mistaken for a result."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text)
        click.echo(f"已写入 {out}", err=True)


def _score(criteria: Path, data: Path) -> Results:
    problems = Problems()
    results = run(criteria, data, problems)
    if results is None or problems.errors:
        _print_problems(problems)
        click.echo("存在错误，未输出结果。请按上述提示修改后重试。", err=True)
        sys.exit(1)
    return results


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="assess", message="assess %(version)s")
def main() -> None:
    """安全生产考核评分：考核细则（YAML）+ 填报数据 → 得分、等次、排名和扣分说明。

    \b
    退出码：0 成功；1 考核细则或数据有问题（全部列出，不输出结果）；2 命令用法错误。
    """


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-cases", is_flag=True, help="只检查考核细则，不运行同名的 .cases.yaml 案例。")
def validate(files: tuple[Path, ...], no_cases: bool) -> None:
    """检查考核细则文件（格式、分值、名称、判定表……），并运行旁边的案例文件。"""
    failed = False
    for f in files:
        if f.name.endswith(".cases.yaml"):
            continue
        problems = Problems()
        scheme = load_criteria(f, problems)
        cases_note = ""
        if scheme is not None and not no_cases:
            cp = cases_path(f)
            if cp.exists():
                results = run_cases_file(scheme, cp, problems)
                passed = sum(r.ok for r in results)
                cases_note = f"，案例 {passed}/{len(results)} 通过"
            else:
                cases_note = f"，没有案例文件（{cp.name}）"
        _print_problems(problems)
        if problems.errors:
            failed = True
            click.echo(f"✗ {f}：{len(problems.errors)} 个错误{cases_note}")
        else:
            click.echo(f"✓ {f}：通过{cases_note}")
    sys.exit(1 if failed else 0)


@main.command(context_settings=CONTEXT)
@click.option("--criteria", "-c", required=True, type=click.Path(path_type=Path), help="考核细则 YAML 文件。")
@click.option("--data", "-d", required=True, type=click.Path(path_type=Path), help="填报数据文件夹。")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="输出格式。")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="输出文件；不指定则输出到屏幕。")
def score(criteria: Path, data: Path, fmt: str, out: Path | None) -> None:
    """评分：输出每个单位的总分、等次、排名（json 含每一分的扣分事件）。"""
    results = _score(criteria, data)
    text = {"table": ranking_table, "json": to_json, "csv": ranking_csv}[fmt](results)
    _emit(text, out)
    _print_problems(results.problems)


@main.command(context_settings=CONTEXT)
@click.option("--criteria", "-c", required=True, type=click.Path(path_type=Path), help="考核细则 YAML 文件。")
@click.option("--data", "-d", required=True, type=click.Path(path_type=Path), help="填报数据文件夹。")
@click.argument("entity")
@click.argument("item", required=False)
def explain(criteria: Path, data: Path, entity: str, item: str | None) -> None:
    """说明某单位（或其某一项目）每一分的得失、理由、条款和依据数据。"""
    results = _score(criteria, data)
    r = results.unit(entity)
    if r is None:
        by_name = next((u for u in results.units if u.name == entity), None)
        if by_name is None:
            from rules.problems import did_you_mean

            choices = [u.entity for u in results.units] + [u.name for u in results.units]
            click.echo(f"单位“{entity}”不存在{did_you_mean(entity, choices)}", err=True)
            sys.exit(2)
        r = by_name
    if item is not None and item not in r.items:
        from rules.problems import did_you_mean

        click.echo(f"项目“{item}”不存在{did_you_mean(item, list(r.items))}", err=True)
        sys.exit(2)
    click.echo(explain_unit(results, r, item), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()

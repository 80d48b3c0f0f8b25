"""The criteria language's commands: check criteria files and run their cases (validate), list the problem codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.shared import CONTEXT, FAIL, PASS, emit, print_problems
from common.codes import codes_table
from common.problems import Problems
from rules.language.criteria import load_criteria
from scoring.cases import cases_path, has_inline_scheme, run_cases_file


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-cases", is_flag=True, help="只检查考核细则，不运行同名的 .cases.yaml 案例。")
def validate(files: tuple[Path, ...], no_cases: bool) -> None:
    """检查考核细则文件（格式、分值、名称、判定表……），并运行旁边的案例文件。"""
    failed = False
    for f in files:
        if f.name.endswith(".cases.yaml") and not has_inline_scheme(f):
            continue  # run with the scheme beside it
        problems = Problems()
        inline = f.name.endswith(".cases.yaml")  # a cases file with its own scheme (construct cases)
        scheme = None if inline else load_criteria(f, problems)
        cases_note = ""
        if inline:
            results = run_cases_file(None, f, problems)
            cases_note = f"，案例 {sum(r.ok for r in results)}/{len(results)} 通过"
        elif scheme is not None and not no_cases:
            cp = cases_path(f)
            if cp.exists():
                results = run_cases_file(scheme, cp, problems)
                passed = sum(r.ok for r in results)
                cases_note = f"，案例 {passed}/{len(results)} 通过"
            else:
                cases_note = f"，没有案例文件（{cp.name}）"
        print_problems(problems)
        if problems.errors:
            failed = True
            click.echo(f"{FAIL} {f}：{len(problems.errors)} 个错误{cases_note}")
        else:
            click.echo(f"{PASS} {f}：通过{cases_note}")
    sys.exit(1 if failed else 0)


@click.command(context_settings=CONTEXT)
@click.option("--out", "-o", type=click.Path(path_type=Path), help="输出文件；不指定则输出到屏幕。")
def codes(out: Path | None) -> None:
    """列出全部问题代码及其含义（Markdown 表格，criteria/README.md 附录即由此生成）。"""
    emit(codes_table(), out)

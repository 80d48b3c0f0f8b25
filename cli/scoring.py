"""Scoring commands: the ranking (score), one unit's points explained (explain), the documents to publish (report),
one unit's self-check (selfcheck) and every problem in returned data (check)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from cli.shared import (
    CONTEXT,
    PERIOD_HELP,
    emit,
    emit_bytes,
    finish,
    inputs_of,
    print_problems,
    read_by,
    refuse_inputs,
    rollup_option,
    rollup_sources,
    score_or_exit,
    write_failed,
)
from common.files import write_files_atomic
from common.oserrors import os_error_words
from common.problems import Problems
from reports.explain import explain_unit
from reports.tables import ranking_csv, ranking_table
from results.document import to_json
from scoring.pipeline import Results


@click.command(context_settings=CONTEXT)
@click.option("--criteria", "-c", required=True, type=click.Path(path_type=Path), help="考核细则 YAML 文件。")
@click.option("--data", "-d", required=True, type=click.Path(path_type=Path), help="填报数据：CSV 文件夹、工作簿文件夹或一个汇总工作簿。")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="输出格式。")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="输出文件；不指定则输出到屏幕。")
@click.option("--at", "at", metavar="TIME",
              help="运行记录（json 的 run.time）中的时间，如 2021-01-15T09:30:00+08:00；不指定则取环境变量 "
                   "SOURCE_DATE_EPOCH，再不然取当前时间。")
@click.option("--period", "period", metavar="期别", help=PERIOD_HELP)
@rollup_option
def score(criteria: Path, data: Path, fmt: str, out: Path | None, at: str | None, period: str | None,
          rollups: tuple[str, ...]) -> None:
    """评分：输出每个单位的总分、等次、排名（json 含每一分的扣分事件和运行记录）。"""
    results = score_or_exit(criteria, data, period, rollups)
    _stamp_run(results, criteria, data, at)
    text = {"table": ranking_table, "json": to_json, "csv": ranking_csv}[fmt](results)
    if fmt == "table":
        from reports.selfscore import self_score_table

        text += self_score_table(results)
    emit(text, out, inputs_of(criteria, data, read=read_by(results)))
    finish(results)


def _stamp_run(results: Results, criteria: Path, data: Path, at: str | None) -> None:
    from results.runrecord import BadTime, run_time, stamp

    try:
        stamp(results, criteria, data, run_time(at, os.environ))
    except BadTime as e:
        raise click.BadParameter(str(e), param_hint="--at") from None


@click.command(context_settings=CONTEXT)
@click.option("--criteria", "-c", required=True, type=click.Path(path_type=Path), help="考核细则 YAML 文件。")
@click.option("--data", "-d", required=True, type=click.Path(path_type=Path), help="填报数据：CSV 文件夹、工作簿文件夹或一个汇总工作簿。")
@click.argument("entity")
@click.argument("item", required=False)
@click.option("--out", "-o", type=click.Path(path_type=Path), help="输出文件；不指定则输出到屏幕。")
@click.option("--period", "period", metavar="期别", help=PERIOD_HELP)
@rollup_option
def explain(criteria: Path, data: Path, entity: str, item: str | None, out: Path | None, period: str | None,
            rollups: tuple[str, ...]) -> None:
    """说明某单位（或其某一项目）每一分的得失、理由、条款和依据数据。"""
    from intake.lookup import UnknownUnit, find_unit

    results = score_or_exit(criteria, data, period, rollups)
    try:
        r = results.unit(find_unit(entity, [u.entity for u in results.units], {u.entity: u.name for u in results.units}))
    except UnknownUnit as e:
        click.echo(str(e), err=True)
        sys.exit(2)
    assert r is not None
    adjustments = [a.id for a in results.scheme.adjustments()]
    if item is not None and item not in r.items and item not in adjustments:
        from common.problems import did_you_mean

        click.echo(f"项目“{item}”不存在{did_you_mean(item, [*r.items, *adjustments])}", err=True)
        sys.exit(2)
    emit(explain_unit(results, r, item), out, inputs_of(criteria, data, read=read_by(results)))


@click.command(context_settings=CONTEXT)
@click.option("--criteria", "-c", required=True, type=click.Path(path_type=Path), help="考核细则 YAML 文件。")
@click.option("--data", "-d", required=True, type=click.Path(path_type=Path), help="填报数据：CSV 文件夹、工作簿文件夹或一个汇总工作簿。")
@click.option("--out", "-o", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="输出文件夹（不存在则新建；同名文件将被替换）。")
@click.option("--notice-template", type=click.Path(path_type=Path, dir_okay=False),
              help="通报.docx 的 Word 模板（如本单位的红头文件）；不指定则用自带模板。写法见 criteria/README.md。")
@click.option("--period", "period", metavar="期别", help=PERIOD_HELP)
@rollup_option
def report(criteria: Path, data: Path, out: Path, notice_template: Path | None, period: str | None,
           rollups: tuple[str, ...]) -> None:
    """发布用报告：结果工作簿 results.xlsx（含各单位评分表）、离线网页 report.html（含图表）、通报草稿 通报.md 和 通报.docx。"""
    from reports.html import render_html
    from reports.notice import notice_markdown
    from reports.noticedocx import notice_docx
    from reports.xlsx import build_workbook

    if out.exists() and not out.is_dir():
        click.echo(f"输出路径 {out} 是一个文件，请给出文件夹。", err=True)
        sys.exit(2)
    template = read_template(notice_template) if notice_template is not None else None
    results = score_or_exit(criteria, data, period, rollups)
    names = ["results.xlsx", "report.html", "通报.md", "通报.docx"]
    refuse_inputs([out / n for n in names], inputs_of(criteria, data, read=read_by(results)))
    files = {  # built whole in memory first: a failure leaves no half-written report
        "results.xlsx": build_workbook(results),
        "report.html": render_html(results).encode("utf-8"),
        "通报.md": notice_markdown(results).encode("utf-8"),
        "通报.docx": notice_docx(results, template),
    }
    try:
        write_files_atomic(out, files)
    except OSError as e:
        write_failed(e, out)
    for name in files:
        click.echo(f"已写入 {out / name}", err=True)
    finish(results)


def read_template(path: Path) -> bytes:
    """The office's Word template, or exit 2 saying why it cannot serve."""
    from reports.noticedocx import template_problem

    try:
        data = path.read_bytes()
    except OSError as e:
        click.echo(f"无法读取通报模板 {path}：{os_error_words(e)}。", err=True)
        sys.exit(2)
    problem = template_problem(data)
    if problem:
        click.echo(f"通报模板 {path} {problem}", err=True)
        sys.exit(2)
    return data


@click.command(context_settings=CONTEXT)
@click.option("--criteria", "-c", required=True, type=click.Path(path_type=Path), help="考核细则 YAML 文件。")
@click.option("--data", "-d", required=True, type=click.Path(path_type=Path),
              help="填报数据文件夹（只有本单位，或含全市各单位：排名项目需要全市数据）。")
@click.option("--entity", "-e", required=True, help="自查单位的编号或名称。")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式。")
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="输出文件；不指定则输出到屏幕。文件名以 .docx 或 .xlsx 结尾时写成可打印的自查报告（Word 或 Excel）。")
@click.option("--period", "period", metavar="期别", help=PERIOD_HELP)
def selfcheck(criteria: Path, data: Path, entity: str, fmt: str, out: Path | None, period: str | None) -> None:
    """自查：本单位的得分和等次（按分数线）、否决风险、按失分多少排列的失分项，以及挽回失分的目标值。"""
    from intake.lookup import UnknownUnit
    from reports.selfcheckprint import selfcheck_docx, selfcheck_xlsx
    from reports.selfcheckreport import selfcheck_json, selfcheck_table
    from selfcheck.check import run_selfcheck

    printed = {".docx": selfcheck_docx, ".xlsx": selfcheck_xlsx}   # -o with these suffixes: a document to print
    problems = Problems()
    try:
        sc = run_selfcheck(criteria, data, entity, problems, period)
    except UnknownUnit as e:
        click.echo(str(e), err=True)
        sys.exit(2)
    if sc is None or problems.errors:
        print_problems(problems)
        click.echo("存在错误，无法自查。请按上述提示修改后重试。", err=True)
        sys.exit(1)
    if out is not None and out.suffix.lower() in printed:
        emit_bytes(printed[out.suffix.lower()](sc), out, inputs_of(criteria, data))
    else:
        emit(selfcheck_json(sc) if fmt == "json" else selfcheck_table(sc), out, inputs_of(criteria, data))
    print_problems(problems)


@click.command("check", context_settings=CONTEXT)
@click.option("--criteria", "-c", required=True, type=click.Path(path_type=Path), help="考核细则 YAML 文件。")
@click.option("--data", "-d", required=True, type=click.Path(path_type=Path),
              help="填报数据：CSV 文件夹、各单位工作簿所在文件夹，或一个汇总工作簿。")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式。")
@click.option("--annotate", type=click.Path(path_type=Path, file_okay=False),
              help="把标注了问题（填色并加批注）的工作簿副本写入此文件夹，可直接退回填报单位；原件不变。")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="输出文件；不指定则输出到屏幕。")
@click.option("--period", "period", metavar="期别", help=PERIOD_HELP)
@rollup_option
def check_command(criteria: Path, data: Path, fmt: str, annotate: Path | None, out: Path | None,
                  period: str | None, rollups: tuple[str, ...]) -> None:
    """检查填报数据：一次列出全部问题（级别、单位、工作簿、工作表、行、列、值、怎么改）。

    \b
    与 assess score 评分前的检查相同；有错误时退出码为 1。"""
    from intake.annotate import annotate as annotate_files
    from reports.problems import DATA_AT_CRITERIA_LINE, locate, problems_json, problems_table
    from scoring.pipeline import check

    checked = check(criteria, data, period=period, rollups=rollup_sources(rollups))
    if checked.scheme is None:
        print_problems(checked.problems)
        click.echo("考核细则有错误，请先修正（assess validate）。", err=True)
        sys.exit(1)
    located = locate(checked)
    emit(problems_table(located) if fmt == "table" else problems_json(located, checked.scheme.meta.id), out,
         inputs_of(criteria, data, read=checked.data.files if checked.data is not None else ()))
    lint = sum(1 for p in checked.problems.items if p.line is not None and p.code != "check"
               and p.code not in DATA_AT_CRITERIA_LINE)
    if lint:
        click.echo(f"（另有考核细则本身的 {lint} 个警告未列出，见 assess validate）", err=True)
    if annotate is not None and checked.raw is not None:
        try:
            written, notes = annotate_files([x.problem for x in located], checked.raw, checked.scheme, annotate)
        except ValueError as e:
            click.echo(str(e), err=True)
            sys.exit(2)
        for note in notes:
            click.echo(note, err=True)
        for p in written:
            click.echo(f"已写入 {p}", err=True)
    sys.exit(1 if checked.problems.errors else 0)

"""Data in Excel (issue 4): fill-in templates for the units (template), and conversion between a CSV folder and
workbooks without losing a value (convert). Checking returned data is `assess check` (cli/scoring.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.shared import CONTEXT, inputs_of, print_problems, refuse_inputs, writable, write_failed
from common.problems import Problems
from rules.language.criteria import load_criteria
from rules.language.scheme import Scheme


def _scheme_or_exit(criteria: Path) -> Scheme:
    problems = Problems()
    scheme = load_criteria(criteria, problems)
    if scheme is None:
        print_problems(problems)
        click.echo("考核细则有错误，请先修正（assess validate）。", err=True)
        sys.exit(1)
    return scheme


@click.command(context_settings=CONTEXT)
@click.option("--criteria", "-c", required=True, type=click.Path(path_type=Path), help="考核细则 YAML 文件。")
@click.option("--out", "-o", required=True, type=click.Path(path_type=Path),
              help="模板文件（.xlsx）；有 --entities 时为输出文件夹。")
@click.option("--entities", "-e", type=click.Path(path_type=Path),
              help="单位名册（entities.csv 或含“单位名册”表的工作簿）：为每个单位生成预填、锁定编号和名称的工作簿。")
@click.option("--layout", type=click.Choice(["unit", "consolidated"]), default="unit", show_default=True,
              help="unit：每个单位一个工作簿（逐项填报）；consolidated：所有单位在一个工作簿（每行一个单位）。")
@click.option("--deadline", help="报送期限，写入填报说明（如 2021年1月10日）。")
def template(criteria: Path, out: Path, entities: Path | None, layout: str, deadline: str | None) -> None:
    """生成填报模板（Excel）：填报说明、填报数据、各台账、自评分、考核扣分记录，带数据有效性校验。"""
    from common.files import safe_file_name
    from intake import register_only
    from intake.layout import CONSOLIDATED_BOOK
    from intake.workbook import unit_book_paths, write_consolidated, write_template, write_unit_books

    scheme = _scheme_or_exit(criteria)
    inputs = inputs_of(criteria, entities)
    if entities is None:
        path = out if out.suffix.lower() == ".xlsx" else out / safe_file_name(scheme.meta.id, "-填报模板.xlsx")
        writable(path)
        refuse_inputs([path], inputs)
        try:
            written = [write_template(scheme, path, deadline=deadline, consolidated=layout == "consolidated")]
        except OSError as e:
            write_failed(e, path)
    else:
        problems = Problems()
        register = register_only(scheme, entities, problems)
        print_problems(problems)
        if register is None:
            click.echo("单位名册有错误，未生成模板。", err=True)
            sys.exit(1)
        planned = unit_book_paths(register, out) if layout == "unit" else [out / CONSOLIDATED_BOOK]
        refuse_inputs(planned, inputs)
        write = write_unit_books if layout == "unit" else write_consolidated
        try:
            written = write(scheme, register, out, deadline=deadline)
        except OSError as e:
            write_failed(e, out)
    for p in written:
        click.echo(f"已写入 {p}", err=True)


@click.command(context_settings=CONTEXT)
@click.argument("data", type=click.Path(path_type=Path))
@click.option("--criteria", "-c", required=True, type=click.Path(path_type=Path), help="考核细则 YAML 文件。")
@click.option("--to", "to", required=True, type=click.Choice(["xlsx", "csv"]), help="转换成的形式。")
@click.option("--out", "-o", required=True, type=click.Path(path_type=Path, file_okay=False), help="输出文件夹。")
@click.option("--layout", type=click.Choice(["unit", "consolidated"]), default="unit", show_default=True,
              help="转成 xlsx 时：unit 每个单位一个工作簿（另有 单位名册.xlsx）；consolidated 一个汇总工作簿。")
def convert(data: Path, criteria: Path, to: str, out: Path, layout: str) -> None:
    """在 CSV 文件夹与 Excel 工作簿两种填报形式之间转换数据，不丢失任何值。"""
    from intake import read_data
    from intake.csvout import csv_folder_names, write_csv_folder
    from intake.layout import CONSOLIDATED_BOOK
    from intake.workbook import unit_book_paths, write_consolidated, write_unit_books

    scheme = _scheme_or_exit(criteria)
    source = data if data.is_dir() else data.parent
    if out.exists() and source.exists() and out.resolve() == source.resolve():
        click.echo("输出文件夹不能是数据所在的文件夹：原有文件不会被改写。", err=True)
        sys.exit(2)
    problems = Problems()
    dataset = read_data(scheme, data, problems)
    print_problems(problems)
    if dataset is None:
        click.echo("数据有错误，未转换。请先用 assess check 列出全部问题并修正。", err=True)
        sys.exit(1)
    if to == "csv":
        planned = [out / name for name in csv_folder_names(scheme)]
    else:
        planned = unit_book_paths(dataset, out) if layout == "unit" else [out / CONSOLIDATED_BOOK]
    refuse_inputs(planned, inputs_of(criteria, data, read=dataset.files))
    try:
        if to == "csv":
            written = write_csv_folder(scheme, dataset, out)
        else:
            written = (write_unit_books if layout == "unit" else write_consolidated)(scheme, dataset, out)
    except OSError as e:
        write_failed(e, out)
    for p in written:
        click.echo(f"已写入 {p}", err=True)

"""assess: 安全生产考核评分 — the command line. Thin: it parses arguments and calls the pipeline.

Exit codes: 0 ok; 1 problems in criteria or data (all of them printed, nothing written);
2 usage (a wrong command or option).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.compare import compare, verify
from cli.language import codes, validate
from cli.scoring import check_command, explain, report, score, selfcheck
from cli.shared import (
    CONTEXT,
    inputs_of,
    print_problems,
    refuse_inputs,
    writable,
    write_failed,
)
from common.problems import Problems
from rules.language.criteria import load_criteria
from rules.language.scheme import Scheme


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="assess", message="assess %(version)s")
def main() -> None:
    """安全生产考核评分：考核细则（YAML）+ 填报数据 → 得分、等次、排名和扣分说明。

    \b
    退出码：0 成功；1 考核细则或数据有问题（全部列出，不输出结果）；2 命令用法错误。
    """


# The commands live in cli/, one module per group; `assess --help` lists them by name, whatever the order here.
main.add_command(validate)
main.add_command(codes)
main.add_command(score)
main.add_command(explain)
main.add_command(report)
main.add_command(selfcheck)
main.add_command(check_command)
main.add_command(compare)
main.add_command(verify)


# -- Excel: fill-in templates, conversion between CSV and workbooks, checking returned data (issue 4)


def _scheme_or_exit(criteria: Path) -> Scheme:
    problems = Problems()
    scheme = load_criteria(criteria, problems)
    if scheme is None:
        print_problems(problems)
        click.echo("考核细则有错误，请先修正（assess validate）。", err=True)
        sys.exit(1)
    return scheme


@main.command(context_settings=CONTEXT)
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


@main.command(context_settings=CONTEXT)
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


# -- The web face (issue 11): Django, imported only when this command runs


@main.command(context_settings=CONTEXT)
@click.option("--instance", type=click.Path(path_type=Path, file_okay=False),
              help="实例文件夹（数据库、密钥、上传的文件、发布的文件）；默认 ./assess-instance，--demo 时 ./assess-demo。")
@click.option("--database", metavar="URL", help="PostgreSQL 数据库地址 postgresql://用户:密码@主机:端口/库名；"
              "不指定则取环境变量 ASSESS_DATABASE_URL，再不然用实例文件夹中的 SQLite。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（内网服务器上通常为 0.0.0.0，或只监听本机、由反向代理转发）。")
@click.option("--port", default=8000, show_default=True, type=int, help="监听端口。")
@click.option("--threads", default=8, show_default=True, type=int, help="同时处理的请求数。")
@click.option("--demo", is_flag=True, help="创建演示实例：示例城市的两个考核轮次、46 个单位和演示账号（启动时列出）。")
@click.option("--debug", is_flag=True, help="调试模式（显示内部错误信息），切勿用于正式环境。")
@click.option("--https", is_flag=True, help="在 HTTPS 反向代理之后运行：安全 Cookie、HSTS，按 X-Forwarded-Proto 识别 HTTPS。")
@click.option("--allowed-hosts", "hosts", metavar="HOSTS", help="允许的访问域名，逗号分隔（如 kaohe.example.gov.cn）；默认只允许本机。")
@click.option("--create-office", metavar="USERNAME", help="创建一个市安委办账号（初始密码只显示一次）。")
@click.option("--no-run", is_flag=True, help="只初始化（迁移数据库、创建账号或演示数据），不启动服务。")
def serve(instance: Path | None, database: str | None, host: str, port: int, threads: int, demo: bool, debug: bool,
          https: bool, hosts: str | None, create_office: str | None, no_run: bool) -> None:
    """网页服务：各单位上传填报数据、查看自查结果，市安委办查看报送情况、暂定排名并发布结果。"""
    from web.serve import serve as run_server

    folder = instance or Path("assess-demo" if demo else "assess-instance")
    run_server(folder, database, host, port, threads, demo, debug, https, hosts, create_office, no_run)


if __name__ == "__main__":  # pragma: no cover
    main()

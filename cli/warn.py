"""`assess warn`: the warnings during the year, as of a date (alerts/, reports/alertsreport.py)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from cli.shared import CONTEXT, emit, emit_bytes, inputs_of, print_problems
from common.problems import Problems


def _date(ctx: click.Context, param: click.Parameter, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"“{value}”不是日期，请写成 2020-09-30 的样子", param_hint="--as-of") from None


@click.command("warn", context_settings=CONTEXT)
@click.option("--criteria", "-c", required=True, type=click.Path(path_type=Path), help="考核细则 YAML 文件。")
@click.option("--data", "-d", required=True, type=click.Path(path_type=Path),
              help="截至预警日期的填报数据（年初至今的累计数和台账）：CSV 文件夹、工作簿文件夹或一个汇总工作簿。")
@click.option("--as-of", "as_of", required=True, metavar="日期", callback=_date,
              help="数据截至的日期，如 2020-09-30；按“已过天数/全年天数”把累计数折算到年底。")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式。")
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="输出文件；不指定则输出到屏幕。文件名以 .xlsx 或 .html 结尾时写成可下发的工作簿或网页。")
def warn(criteria: Path, data: Path, as_of: dt.date, fmt: str, out: Path | None) -> None:
    """年中预警：截至某日，哪些单位按进度将触发否决或扣分（已触发、按进度将触发、临近），距离多远，最迟何时处置。

    \b
    有预警也以 0 退出（这是一份报告）；数据或日期有错误时退出码为 1。见 docs/预警.md。"""
    from alerts.run import run_warnings
    from reports.alertsreport import warnings_html, warnings_json, warnings_table, warnings_xlsx

    problems = Problems()
    w = run_warnings(criteria, data, as_of, problems)
    if w is None or problems.blocking:
        print_problems(problems)
        click.echo("存在错误，未输出预警。请按上述提示修改后重试。", err=True)
        sys.exit(1)
    suffix = out.suffix.lower() if out is not None else ""
    if out is not None and suffix == ".xlsx":
        emit_bytes(warnings_xlsx(w), out, inputs_of(criteria, data))
    elif out is not None and suffix in (".html", ".htm"):
        emit(warnings_html(w), out, inputs_of(criteria, data))
    else:
        emit(warnings_json(w) if fmt == "json" else warnings_table(w), out, inputs_of(criteria, data))
    print_problems(problems)
    if problems.errors:   # a unit whose own data have errors is not in the list: say so, as assess score does
        left_out = sorted({p.entity for p in problems.errors if p.entity})
        click.echo(f"以下单位因数据错误未列入预警：{'、'.join(left_out)}；其余单位的预警已输出。", err=True)
        sys.exit(1)

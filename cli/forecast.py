"""`assess forecast`: a city's forecast score under the higher scheme, from its own data and its counties'
(rolled up), with every point explained and the targets that win points back (selfcheck/forecast.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.shared import CONTEXT, emit, emit_bytes, inputs_of, print_problems, rollup_option, rollup_sources
from common.problems import Problems


@click.command("forecast", context_settings=CONTEXT)
@click.option("--criteria", "-c", required=True, type=click.Path(path_type=Path),
              help="上级考核细则 YAML 文件（如省对设区市的细则，其中用 rollup 汇总所辖县区的结果）。")
@click.option("--data", "-d", required=True, type=click.Path(path_type=Path),
              help="本市的填报数据文件夹；放入同类城市的名册和数据即可在同类城市中排名。")
@click.option("--entity", "-e", help="预测哪个单位（编号或名称）；数据中只有一个单位时可不写。")
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="输出文件：以 .xlsx 结尾写成工作簿，以 .html 结尾写成网页，其他写成文字；不指定则输出到屏幕。")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="写成文字（table）或数据（json，数字为精确的十进制文字）；-o 以 .xlsx、.html 结尾时不看此项。")
@rollup_option
def forecast(criteria: Path, data: Path, entity: str | None, out: Path | None, fmt: str,
             rollups: tuple[str, ...]) -> None:
    """预测：本市在上级考核中的得分、等次和同类城市中的名次；每一分落到所辖县区（部门）和台账行；
    按挽回分数排列的目标（哪个县区的哪项数据改成多少、本市能挽回几分）。"""
    from intake.lookup import UnknownUnit
    from reports.forecastreport import forecast_html, forecast_json, forecast_text, forecast_xlsx
    from rules.language.criteria import load_criteria
    from selfcheck.forecast import run_forecast

    problems = Problems()
    sources = rollup_sources(rollups)
    scheme = load_criteria(criteria, problems)
    f = None
    if scheme is not None:
        try:
            f = run_forecast(scheme, data, entity, problems, sources)
        except UnknownUnit as e:
            click.echo(str(e), err=True)
            sys.exit(2)
    if f is None or problems.errors:
        print_problems(problems)
        click.echo("存在错误，无法预测。请按上述提示修改后重试。", err=True)
        sys.exit(1)
    inputs = inputs_of(criteria, data, read=f.inputs)
    suffix = out.suffix.lower() if out is not None else ""
    if out is not None and suffix == ".xlsx":
        emit_bytes(forecast_xlsx(f), out, inputs)
    elif out is not None and suffix in (".html", ".htm"):
        emit(forecast_html(f), out, inputs)
    else:
        emit(forecast_json(f) if fmt == "json" else forecast_text(f), out, inputs)
    print_problems(problems)

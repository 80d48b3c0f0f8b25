"""Comparing results: two results side by side (compare), and a published result against a fresh run of the
inputs its run record names (verify)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.shared import CONTEXT, emit, inputs_of, rollup_option, score_or_exit
from common.oserrors import os_error_words


def _read_text(path: Path) -> str:
    """A results file's text (size and encoding checked: results.reading)."""
    from results.reading import BadResult, read_result_file

    try:
        return read_result_file(path)
    except BadResult as e:
        click.echo(str(e), err=True)
    except OSError as e:
        click.echo(f"无法读取 {path}：{os_error_words(e)}", err=True)
    sys.exit(1)


@click.command(context_settings=CONTEXT)
@click.argument("results", nargs=-1, type=click.Path(path_type=Path))
@click.option("--criteria", "-c", "criteria", multiple=True, type=click.Path(path_type=Path),
              help="考核细则 YAML 文件（可写两次：两版细则比较）。")
@click.option("--data", "-d", "data", multiple=True, type=click.Path(path_type=Path),
              help="填报数据文件夹（可写两次：两份数据比较）。")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式。")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="输出文件；不指定则输出到屏幕。")
def compare(results: tuple[Path, ...], criteria: tuple[Path, ...], data: tuple[Path, ...], fmt: str,
            out: Path | None) -> None:
    """比较两次结果：每个单位总分、名次、等次的变化，以及引起变化的项目和扣分事件。

    \b
    assess compare A.json B.json                  两个结果文件（assess score -f json 的输出）
    assess compare -c 细则.yaml -d 数据1 -d 数据2   同一细则、两份数据（更正前后、两个年度）
    assess compare -c 旧细则.yaml -c 新细则.yaml -d 数据   两版细则、同一份数据
    """
    from reports.comparereport import comparison_json, comparison_table
    from results.compare import compare_docs, pairs_to_compare
    from results.document import to_document
    from results.reading import BadResult, parse_result

    if results and (criteria or data):
        raise click.UsageError("结果文件与 --criteria/--data 只能二选一")
    if results:
        if len(results) != 2:
            raise click.UsageError("请给出两个结果文件：assess compare A.json B.json")
        try:
            docs = [parse_result(_read_text(p), str(p)) for p in results]
        except BadResult as e:
            click.echo(str(e), err=True)
            sys.exit(1)
        labels = [str(p) for p in results]
    else:
        try:
            pairs = pairs_to_compare([str(c) for c in criteria], [str(d) for d in data])
        except ValueError as e:
            raise click.UsageError(str(e)) from None
        docs = [to_document(score_or_exit(Path(c), Path(d))) for c, d in pairs]
        labels = [f"{c} + {d}" for c, d in pairs]
    comparison = compare_docs(docs[0], docs[1], labels[0], labels[1])
    emit(comparison_json(comparison) if fmt == "json" else comparison_table(comparison), out,
         inputs_of(*results, *criteria, *data))


@click.command(context_settings=CONTEXT)
@click.argument("result", type=click.Path(path_type=Path))
@click.option("--criteria", "-c", type=click.Path(path_type=Path),
              help="考核细则 YAML 文件；不指定则用结果中运行记录的路径。")
@click.option("--data", "-d", type=click.Path(path_type=Path), help="填报数据文件夹；不指定则用运行记录的路径。")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式。")
@click.option("--out", "-o", type=click.Path(path_type=Path), help="输出文件；不指定则输出到屏幕。")
@rollup_option
def verify(result: Path, criteria: Path | None, data: Path | None, fmt: str, out: Path | None,
           rollups: tuple[str, ...]) -> None:
    """核验发布的结果：按原输入重新计算，看是否逐字节一致（运行时间除外）；不一致时列出不同的输入、单位、项目和事件。

    \b
    退出码：0 可复现；1 不能复现（或输入有错误）。
    """
    from reports.comparereport import verification_json, verification_text
    from results.reading import BadResult, parse_result
    from results.verify import found_beside, recorded_paths
    from results.verify import verify as verify_result

    text = _read_text(result)
    try:
        doc = parse_result(text, str(result))
        rec_criteria, rec_data = recorded_paths(doc)
    except BadResult as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    if criteria is None and data is None and rec_criteria and rec_data:
        # a published folder moved whole (archived, copied): its inputs beside the result, in the recorded layout
        criteria, data = found_beside(result, rec_criteria, rec_data) or (None, None)
    criteria = criteria or (Path(rec_criteria) if rec_criteria else None)
    data = data or (Path(rec_data) if rec_data else None)
    if criteria is None or data is None:
        raise click.UsageError("结果中没有运行记录，请用 --criteria 和 --data 指定考核细则和数据")
    period = doc.get("period")   # a period's result is re-scored for that period (criteria/README.md 2.20)
    period_id = period.get("id") if isinstance(period, dict) and isinstance(period.get("id"), str) else None
    recorded = (doc.get("run") or {}).get("rollup") if isinstance(doc.get("run"), dict) else None
    if not rollups and isinstance(recorded, list):   # the sources the published run was given
        rollups = tuple(str(x) for x in recorded)
    v = verify_result(text, score_or_exit(criteria, data, period_id, rollups), criteria, data)
    emit(verification_json(v) if fmt == "json" else verification_text(v), out, inputs_of(result, criteria, data))
    sys.exit(0 if v.identical else 1)
